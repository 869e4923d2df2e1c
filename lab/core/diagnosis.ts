/**
 * Warnings that diagnose from data (issue 11, "Warnings that diagnose from
 * data"): what limited a level, read from what it recorded, instead of
 * blaming a short run. Each diagnosis names whose CPU ran out and what that
 * means for the lesson.
 *
 * Pure: no I/O.
 */
import { num } from './format-number.js'
import { t, type MessageKey } from './i18n.js'
import type { Lang } from './i18n-lang.js'
import { runLabelIn } from './labels.js'
import type { ProcessStats, RunResult, Warning } from './results.js'
import { cpuMsPerResponse } from './model.js'
import type { WarningCode } from './vocabulary.js'
import { windowShortfalls } from './window.js'

/** Thresholds, tunable, with where each comes from. */
export const DIAGNOSIS_THRESHOLDS = {
  /** A process at this share of one core (mean over the window), percent, is CPU-bound: /proc sampling reads a busy thread at 95–105 %. */
  processCpuPercent: 95,
  /** Server processes and load generator together at this share of all cores: the machine had no idle CPU. */
  coresBusyShare: 0.95,
  /** autocannon is single-threaded; above ~85 % of a core it measures itself (docs/measurement.md). */
  clientCpuPercent: 85,
  /**
   * Other processes on the machine at this share of one core, percent (mean over the level): on
   * the 2-core machine, helpers' compilers at 130–190 % cut an event loop's 640 req/s to 390 with
   * the loop at 16 % CPU: every wake-up queued behind them (docs/measurement.md, "A busy machine").
   */
  otherCpuPercent: 50,
} as const

/** Codes of the diagnoses (words of the vocabulary's warning codes, with their text there). */
export type DiagnosisCode = Extract<WarningCode, 'cpu-saturated' | 'cores-saturated' | 'client-saturated' | 'too-short-to-trust' | 'machine-busy'>

/** One diagnosis: a code and a message that says whose, and what it means. */
export interface Diagnosis {
  code: DiagnosisCode
  message: string
  /** The processes concerned (cpu-saturated). */
  pids?: number[]
}

/** What a level's record does not carry. */
export interface DiagnosisContext {
  /** Cores of the machine (`env.cores`). */
  cores: number
  /** Percent of requests that crash or hang in the level's workload (`crash_pct + hang_pct`). */
  eventPct?: number
  /** Percent of a mix's requests of its rarest kind (lab/core/window.ts `rarestKindPct`). */
  rareKindPct?: number
}

const f0 = (n: number) => n.toFixed(0)
/** A message of lab/i18n/en/warnings.ts in `lang`. */
const say = (lang: Lang, key: Extract<MessageKey, `warningText.${string}`>, vars: Record<string, string | number> = {}) => t(key, vars, lang)


/** Processes at or above {@link DIAGNOSIS_THRESHOLDS}.processCpuPercent, grouped by role. */
function saturated(run: RunResult): Map<ProcessStats['role'], ProcessStats[]> {
  const out = new Map<ProcessStats['role'], ProcessStats[]>()
  for (const p of run.processes) {
    if (p.cpuPercent.mean < DIAGNOSIS_THRESHOLDS.processCpuPercent) continue
    out.set(p.role, [...(out.get(p.role) ?? []), p])
  }
  return out
}

function meaning(run: RunResult, role: ProcessStats['role'], procs: ProcessStats[], ctx: DiagnosisContext, lang: Lang): string {
  const pids = procs.map((p) => say(lang, 'warningText.pidAt', { pid: p.pid, cpu: f0(p.cpuPercent.mean) })).join(', ')
  const engine = role === 'proxy' ? (run.engines.proxy ?? say(lang, 'warningText.theProxy')) : run.engines.server
  if (role === 'server') {
    const perReq = cpuMsPerResponse(procs.reduce((a, p) => a + p.cpuPercent.mean, 0), run.requests.perSecond.mean)
    const cost = perReq === undefined ? '' : say(lang, 'warningText.serverCost', { ms: num(perReq, 3, lang), max: f0(1000 / perReq) })
    return say(lang, 'warningText.server', { engine, pids, cost })
  }
  if (role === 'worker') {
    const all = run.processes.filter((p) => p.role === 'worker').length
    return say(lang, 'warningText.workers', { busy: procs.length, all, engine, pids, cores: ctx.cores })
  }
  if (role === 'proxy') return say(lang, 'warningText.proxy', { engine, pids })
  return say(lang, 'warningText.master', { engine, pids })
}

/**
 * What limited a level, from its record: CPU saturation of a server process
 * (≥ 95 % of a core) or of the whole machine, a saturated load generator,
 * other processes busy on the same cores, and a window too short to trust
 * (core/window.ts rules).
 * @param lang - the messages' language (default English, as the results document keeps them)
 * @returns the diagnoses, most telling first; empty when nothing limited the level but its own design
 */
export function diagnose(run: RunResult, ctx: DiagnosisContext, lang: Lang = 'en'): Diagnosis[] {
  const out: Diagnosis[] = []
  const who = runLabelIn(run, lang)
  for (const [role, procs] of saturated(run)) {
    out.push({ code: 'cpu-saturated', pids: procs.map((p) => p.pid), message: say(lang, 'warningText.cpuSaturated', { who, meaning: meaning(run, role, procs, ctx, lang) }) })
  }
  const server = run.processes.reduce((a, p) => a + p.cpuPercent.mean, 0)
  const client = run.loadGenerator.cpuPercent.mean
  const capacity = ctx.cores * 100
  if (server + client >= DIAGNOSIS_THRESHOLDS.coresBusyShare * capacity) {
    out.push({
      code: 'cores-saturated',
      message: say(lang, 'warningText.coresSaturated', { who, cores: ctx.cores, server: f0(server), client: f0(client), capacity: f0(capacity) }),
    })
  }
  if (client > DIAGNOSIS_THRESHOLDS.clientCpuPercent) {
    out.push({
      code: 'client-saturated',
      message: say(lang, 'warningText.clientSaturated', { who, cpu: f0(client) }),
    })
  }
  const other = run.otherCpuPercent ?? 0
  if (other >= DIAGNOSIS_THRESHOLDS.otherCpuPercent) {
    out.push({
      code: 'machine-busy',
      message: say(lang, 'warningText.machineBusy', { who, cpu: f0(other) }),
    })
  }
  const short = windowShortfalls({
    measuredS: run.window?.measuredS ?? run.durationS,
    connections: run.connections,
    responses: run.requests.total,
    meanMs: run.requests.total > 0 ? run.latencyMs.mean : null,
    ...(run.prediction && Number.isFinite(run.prediction.meanMs) ? { predictedMeanMs: run.prediction.meanMs } : {}),
    ...(ctx.eventPct ? { eventPct: ctx.eventPct } : {}),
    ...(ctx.rareKindPct ? { rareKindPct: ctx.rareKindPct } : {}),
  }, lang)
  // a level that answered nothing is its own diagnosis (no-responses), not a short window
  if (short.length && run.requests.total > 0) {
    out.push({
      code: 'too-short-to-trust',
      message: say(lang, 'warningText.tooShort', { who, why: short.map((s) => s.message).join('; ') }),
    })
  }
  return out
}

/** {@link diagnose} as entries of the warnings catalogue (`run` is the level's index in `runs`). */
export function diagnosisWarnings(run: RunResult, index: number, ctx: DiagnosisContext): Warning[] {
  return diagnose(run, ctx).map((d) => ({ code: d.code, run: index, message: d.message }))
}
