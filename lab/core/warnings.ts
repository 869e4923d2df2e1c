/**
 * The warnings catalogue: checks every measured level against what must hold
 * for the numbers to mean what they seem to (docs/measurement.md, "Warnings";
 * docs/architecture.md, "Conventions"). Pure: no I/O.
 */
import { answeredPerSecond, runLabelIn } from './labels.js'
import { DIAGNOSIS_THRESHOLDS, diagnose, type Diagnosis, type DiagnosisContext } from './diagnosis.js'
import { num } from './format-number.js'
import { currentLang, t, type MessageKey } from './i18n.js'
import type { Lang } from './i18n-lang.js'
import type { ResultsDocument, RunResult, Warning } from './results.js'
import { eventPct, rarestKindPct } from './window.js'
import { relativeSpread } from './stats.js'
import type { WarningCode } from './vocabulary.js'

/** Thresholds, with where each comes from. */
export const THRESHOLDS = {
  /** Little's law must hold in a closed loop; more than 10 % off means the measurement is wrong (docs/measurement.md, "Little's law"). */
  littlesLaw: 0.1,
  /** autocannon is single-threaded; above ~85 % of a core it measures itself (docs/measurement.md, "The client's CPU"; core/diagnosis.ts). */
  clientCpuPercent: DIAGNOSIS_THRESHOLDS.clientCpuPercent,
  /** σ/mean of per-second throughput above this: the level never settled. */
  spread: 0.2,
  /** Fewer measured responses than this make percentiles meaningless. */
  minResponses: 20,
  /** Measured / predicted throughput outside 1 ± this: theory and measurement disagree (issue 6). */
  model: 0.15,
} as const


/** The messages' words and numbers in one language (lab/i18n/en/warnings.ts). */
function wording(lang: Lang) {
  return {
    say: (key: Extract<MessageKey, `warningText.${string}`>, vars: Record<string, string | number> = {}) => t(key, vars, lang),
    f1: (n: number) => num(n, 1, lang),
    f2: (n: number) => num(n, 2, lang),
  }
}

/**
 * Checks one level.
 * @param index - the level's index in `runs`
 * @param ctx - the machine's cores (and the workload's fault rate): with it
 *   the level is diagnosed from its data (core/diagnosis.ts): a window too
 *   short to trust by the rules of core/window.ts, and, where the textbook
 *   prediction is off by more than {@link THRESHOLDS}.model, whose CPU ran
 *   out; a disagreement with theory is blamed on that before a short run
 * @param lang - the messages' language (default English, as the results document keeps them)
 */
export function warningsFor(run: RunResult, index: number, ctx?: DiagnosisContext, lang: Lang = 'en'): Warning[] {
  const out: Warning[] = []
  const add = (code: WarningCode, message: string) => out.push({ code, run: index, message })
  const diagnoses = ctx ? diagnose(run, ctx, lang) : []
  const { say, f1, f2 } = wording(lang)
  const who = runLabelIn(run, lang)
  const { ratio, expectedMeanMs, measuredMeanMs } = run.littlesLaw
  // With failed requests the check cannot hold: their time is in no latency. errors-seen says so.
  if (run.errors.total === 0 && ratio !== null && expectedMeanMs !== null && measuredMeanMs !== null && Math.abs(ratio - 1) > THRESHOLDS.littlesLaw) {
    add(
      'littles-law-mismatch',
      say('warningText.littles', { who, measured: f1(measuredMeanMs), ratio: f2(ratio), connections: run.connections, rate: f1(run.requests.perSecond.mean), expected: f1(expectedMeanMs) }),
    )
  }
  const cpu = run.loadGenerator.cpuPercent.mean
  if (cpu > THRESHOLDS.clientCpuPercent) {
    add('client-saturated', say('warningText.clientSaturated', { who, cpu: f1(cpu) }))
  }
  const e = run.errors
  if (e.total > 0) {
    const statuses = Object.entries(e.byStatus).filter(([s]) => !s.startsWith('2')).map(([s, n]) => `${s}: ${n}`).join(', ')
    const parts = [
      e.timeouts ? say('warningText.timeouts', { count: e.timeouts }) : '',
      e.resets ? say('warningText.resets', { count: e.resets }) : '',
      e.non2xx ? say('warningText.non2xx', { count: e.non2xx, statuses }) : '',
    ].filter(Boolean)
    add('errors-seen', say('warningText.errorsSeen', { who, parts: parts.join(', ') }))
  }
  if (run.prediction && run.prediction.perSecond > 0 && run.requests.total > 0) {
    const measured = answeredPerSecond(run)
    const ratio = measured / run.prediction.perSecond
    if (Math.abs(ratio - 1) > THRESHOLDS.model) {
      const what = say(measured === run.requests.perSecond.mean ? 'warningText.reqPerS' : 'warningText.answeredReqPerS')
      const which = say(run.prediction.basis === 'this-machine' ? 'warningText.calibratedModel' : 'warningText.theory')
      const cause = likelyCause(run, ratio, diagnoses, lang)
      add('model-mismatch', say('warningText.modelMismatch', { who, measured: f1(measured), what, ratio: f2(ratio), predicted: f1(run.prediction.perSecond), which, cause }))
    }
  }
  // CPU saturation is named where the textbook model (io_ms and cpu_ms only) would mislead
  const textbook = run.prediction?.textbook ?? (run.prediction?.basis === undefined ? run.prediction : undefined)
  const offTextbook = textbook !== undefined && textbook.perSecond > 0 && Math.abs(answeredPerSecond(run) / textbook.perSecond - 1) > THRESHOLDS.model
  for (const d of diagnoses) {
    if ((d.code === 'cpu-saturated' || d.code === 'cores-saturated') && offTextbook) add(d.code, d.message)
    if (d.code === 'too-short-to-trust' || d.code === 'machine-busy') add(d.code, d.message)
  }
  const slow = run.slowClients
  if (slow?.via === 'paced' && slow.note) add('slow-link-unavailable', `${who}: ${slow.note}.`)
  if (run.requests.total === 0) {
    add('no-responses', say('warningText.noResponses', { who, more: say(run.prediction?.perSecond === 0 ? 'warningText.noResponsesLesson' : 'warningText.noResponsesFault') }))
  } else if (run.requests.total < THRESHOLDS.minResponses) {
    add('run-too-short', say('warningText.runTooShort', { who, count: run.requests.total }))
  } else if (relativeSpread(run.requests.perSecond) > THRESHOLDS.spread) {
    add('spread-too-wide', say('warningText.spread', { who, spread: f1(relativeSpread(run.requests.perSecond) * 100) }))
  }
  return out
}

/** The likeliest reason theory and measurement disagree, from what the level recorded and its diagnoses. */
function likelyCause(run: RunResult, ratio: number, diagnoses: readonly Diagnosis[], lang: Lang): string {
  const { say } = wording(lang)
  if (run.loadGenerator.cpuPercent.mean > THRESHOLDS.clientCpuPercent) return say('warningText.causeClient')
  if (run.errors.timeouts > 0 || (run.errors.non2xx > 0 && run.requests.ok === undefined)) return say('warningText.causeErrors')
  const busy = diagnoses.find((d) => d.code === 'machine-busy')
  if (busy && ratio < 1) return say('warningText.causeCpu', { detail: busy.message.slice(busy.message.indexOf(': ') + 2) })
  const cpu = diagnoses.find((d) => d.code === 'cpu-saturated' || d.code === 'cores-saturated')
  if (cpu) return say('warningText.causeCpu', { detail: cpu.message.slice(cpu.message.indexOf(': ') + 2) })
  if (diagnoses.some((d) => d.code === 'too-short-to-trust')) return say('warningText.causeShortWindow')
  if (diagnoses.length === 0 && (run.requests.total < 100 || run.durationS < 1.95)) return say('warningText.causeShortRun')
  const serverCpu = run.processes.reduce((a, p) => a + p.cpuPercent.mean, 0)
  if (ratio < 1 && serverCpu > 0) return say('warningText.causeLeftOut')
  return say('warningText.causeAssumption')
}

/**
 * The messages of a document's warnings in `lang`, one per warning, in order.
 * The document keeps them in English; each level's warnings are derived again
 * from its record ({@link warningsFor}, the context rebuilt from `env.cores`
 * and the workload's fault rate) and a translation is used only where the
 * English derived again is the message the document keeps, so a document from
 * an older lab (other wording, other thresholds) shows its own English.
 * @param lang - default the current language (lab/core/i18n.ts)
 */
export function warningMessages(doc: Pick<ResultsDocument, 'runs' | 'warnings' | 'env' | 'scenario'>, lang: Lang = currentLang()): string[] {
  if (lang === 'en') return doc.warnings.map((w) => w.message)
  const workloads = (doc.scenario.definition as { workloads?: Record<string, { crash_pct?: number; hang_pct?: number; mix?: Array<{ weight: number }>; mix_split?: 'requests' | 'connections' }> } | undefined)?.workloads ?? {}
  const derived = new Map<number, { en: Warning[]; tr: Warning[] }>()
  const used = new Map<string, number>()
  return doc.warnings.map((w) => {
    const run = w.run === undefined ? undefined : doc.runs[w.run]
    if (run === undefined || w.run === undefined) return w.message
    let mine = derived.get(w.run)
    if (!mine) {
      const wl = workloads[run.workload] ?? {}
      const pct = eventPct(wl)
      const rare = run.mode !== 'open' ? rarestKindPct(wl) : undefined
      const ctx: DiagnosisContext = { cores: doc.env.cores, ...(pct > 0 ? { eventPct: pct } : {}), ...(rare ? { rareKindPct: rare } : {}) }
      mine = { en: warningsFor(run, w.run, ctx, 'en'), tr: warningsFor(run, w.run, ctx, lang) }
      derived.set(w.run, mine)
    }
    // the n-th warning of this code on this level (a level may be CPU-saturated in two roles)
    const key = `${w.run}\u0000${w.code}`
    const nth = used.get(key) ?? 0
    used.set(key, nth + 1)
    const same = (ws: Warning[]) => ws.filter((x) => x.code === w.code)[nth]?.message
    return same(mine.en) === w.message ? (same(mine.tr) ?? w.message) : w.message
  })
}
