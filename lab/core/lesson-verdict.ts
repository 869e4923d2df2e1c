/**
 * The headline verdict of a run: the scenario's lesson (lab/core/lesson.ts)
 * read on the lesson's metric, with the interval rule every comparison of
 * the lab uses (lab/core/verdict.ts `compareRates`: a ratio only where the
 * two 95 % intervals are apart). The CLI summary's first line, the report's
 * banner and its predict boxes use it.
 *
 * Pure: no I/O. Its words are in lab/i18n/en/lesson.ts (key `lesson`), in the
 * current language (lab/core/i18n.ts `t`); its numbers through `num`.
 */
import { summarize, summarizeSeries } from './confidence.js'
import { num } from './format-number.js'
import { MESSAGES, t, type MessageKey } from './i18n.js'
import { fmtRatio, levelRate, loadLabel } from './labels.js'
import { LESSON_METRICS, lessonOf, lessonSides, type Lesson, type LessonMetric } from './lesson.js'
import type { ResultsDocument, RunResult, TimelinePoint } from './results.js'
import { compareRates, type Comparison, type Rate } from './verdict.js'

/** A value of the lesson's metric at one level, in the shape {@link compareRates} reads (n = whole seconds or repeats). */
export interface LessonValue extends Rate {
  /** Something the reader must know about the value (e.g. per-kind counts include errors). */
  caveat?: string
}

/** One compared pair of a lesson verdict. */
export interface LessonLine {
  /** The two sides, as named in the line (a topology or a workload, with its level when the two differ). */
  a: string
  b: string
  /** Their values; null where the side was not measured or the metric could not be read. */
  values: [LessonValue | null, LessonValue | null]
  /** What the two intervals say; null when a side has no value. */
  comparison: Comparison | null
  /** e.g. `cpu-20ms @3: async 41.2 ms, prefork 1.3 ms: async is 31.7× prefork (one sample each: …)`. */
  text: string
}

/** A run's headline verdict on its lesson. */
export interface LessonVerdict {
  metric: LessonMetric
  /** The metric as printed, with its unit and direction: `probe p99 (ms, lower is better)`. */
  metricLabel: string
  sentence: string
  /** One per neighbouring pair of `lesson.compare`. */
  lines: LessonLine[]
  /** True when no pair could be compared on the metric (every line says why). */
  unmeasured: boolean
}

const MIB = 1024 * 1024
const windowS = (r: RunResult) => r.window?.measuredS ?? r.durationS
/** The window's whole seconds of a timeline (no warm-up, no trailing part-second, no open-loop drain). */
const windowSeconds = (r: RunResult) => r.timeline.filter((p) => !p.warmup && !p.partial && !p.drain)

/** The metric's name as printed: `"fast" p99` for a kind metric. */
export function metricName(lesson: Pick<Lesson, 'metric' | 'kind'>): string {
  const name = t(`lesson.metrics.${lesson.metric}.name`)
  return lesson.kind !== undefined ? t('lesson.kindMetric', { kind: lesson.kind, name }) : name
}

/** The metric's unit as printed, in the current language: `ms`, `req/s`, `responses/s`. */
export const metricUnit = (metric: LessonMetric): string => t(`lesson.metrics.${metric}.unit`)

/** One run's value of a per-run metric, or why there is none. */
function scalar(run: RunResult, lesson: Lesson): number | string {
  const kind = lesson.kind === undefined ? undefined : run.perKind?.[lesson.kind]
  switch (lesson.metric) {
    case 'kind-rate':
      return kind ? kind.responses / windowS(run) : t('lesson.noKind', { kind: lesson.kind ?? '' })
    case 'kind-p99':
      return kind && kind.responses > 0 ? kind.latencyMs.p99 : t('lesson.noKind', { kind: lesson.kind ?? '' })
    case 'probe-p99':
      return run.probe && run.probe.requests > 0 ? run.probe.latencyMs.p99 : t('lesson.noProbe')
    case 'p99':
      return run.requests.total > 0 ? run.latencyMs.p99 : t('lesson.nothing')
    case 'errors':
      return run.errors.total / windowS(run)
    case 'upstream-rate':
      return Object.values(run.perUpstream ?? {}).reduce((s, n) => s + n, 0) / windowS(run)
    case 'pss':
      return run.processes.length > 0 && run.processes.every((p) => p.pssBytes) ? run.processes.reduce((s, p) => s + (p.pssBytes?.mean ?? 0), 0) / MIB : t('lesson.noPss')
    case 'cpu-per-response':
      return typeof run.cpuPerResponseUs === 'number' ? run.cpuPerResponseUs : t('lesson.nothing')
    case 'deliveries':
      return run.websockets ? run.websockets.deliveredPerSecond : t('lesson.noSockets')
    case 'dropped':
      return run.openLoop ? run.openLoop.dropped / windowS(run) : 0
    case 'worst-second': {
      const secs = windowSeconds(run)
      return secs.length ? Math.min(...secs.map((p) => p.perSecond)) : t('lesson.noSeconds')
    }
    case 'answered':
      return levelRate([run]).mean
  }
}

const single = (mean: number): LessonValue => ({ n: 1, mean, stdError: null, df: null, ci95: null })

/**
 * The lesson's metric at one level: answered req/s with its interval over
 * whole seconds or repeats (lab/core/labels.ts `levelRate`); errors/s over
 * the window's whole seconds (`summarizeSeries`) for one run; any other
 * metric one value per run, with Student's t over repeats when there are two
 * or more (n = repeats), else n = 1 and no interval.
 * @param runs - the repeats of one topology, workload and level
 * @returns the value, or why it could not be read
 * @throws RangeError for no runs
 */
export function lessonValue(runs: readonly RunResult[], lesson: Lesson): LessonValue | { why: string } {
  if (runs.length === 0) throw new RangeError('no runs')
  if (lesson.metric === 'answered') {
    const r = levelRate(runs)
    return { n: r.n ?? 1, mean: r.mean, stdError: r.stdError ?? null, df: r.df ?? null, ci95: r.ci95 ?? null }
  }
  const values = runs.map((r) => scalar(r, lesson))
  const why = values.find((v): v is string => typeof v === 'string')
  if (why !== undefined) return { why }
  const nums = values as number[]
  const non2xx = runs.reduce((s, r) => s + r.errors.non2xx, 0)
  const caveat = lesson.metric === 'kind-rate' && non2xx > 0 ? { caveat: t('lesson.kindCaveat', { count: non2xx }) } : {}
  const run = runs[0] as RunResult
  const perSecond = lesson.metric === 'errors' ? (p: TimelinePoint) => p.errors : lesson.metric === 'dropped' && run.openLoop ? (p: TimelinePoint) => p.dropped ?? 0 : null
  const secs = windowSeconds(run)
  if (runs.length === 1 && perSecond && secs.length >= 2) {
    const s = summarizeSeries(secs.map(perSecond))
    return { n: s.n, mean: s.mean, stdError: s.stdError, df: s.df, ci95: s.ci95 }
  }
  // a closed loop drops nothing by construction: an exact 0, not a sample
  if (lesson.metric === 'dropped' && runs.every((r) => !r.openLoop)) return { n: secs.length, mean: 0, stdError: 0, df: 1_000_000, ci95: [0, 0] }
  if (runs.length === 1) return { ...single(nums[0] as number), ...caveat }
  const s = summarize(nums)
  return { n: s.n, mean: s.mean, stdError: s.stdError, df: s.df, ci95: s.ci95, ...caveat }
}

/** `41.2 ms`, `0.83 req/s`, `1240 µs`: no decimal from 100 up, one from 1, else two; the language's decimal separator (`num`). */
function fmtNum(v: number): string {
  return num(v, v === 0 || Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 1 ? 1 : 2)
}
function fmtValue(v: number, unit: string): string {
  return `${fmtNum(v)} ${unit}`
}

/** The claim of a comparison of `a` and `b`, in the lesson's metric. */
function claim(c: Comparison, sides: [string, LessonValue][], bothZero: boolean): string {
  const [a, b] = sides.map(([name]) => name) as [string, string]
  if (bothZero) return t('lesson.bothNone')
  if (c.kind === 'no-measurable-difference') {
    const shown = sides.flatMap(([name, v]) => (v.ci95 ? [`${name} ${fmtNum(v.ci95[0])}–${fmtNum(v.ci95[1])}`] : []))
    return t('lesson.overlap', { intervals: shown.length === 2 ? `: ${shown.join(', ')}` : '' })
  }
  const [hi, lo] = c.higher === 'a' ? [a, b] : [b, a]
  const noneAt = () => t('lesson.noneAt', { lo })
  const ratio = (r: number) => t('lesson.ratio', { hi, ratio: fmtRatio(r), lo })
  if (c.kind === 'none-answered') return noneAt()
  if (c.kind === 'no-interval') return `${c.ratio === null ? noneAt() : ratio(c.ratio)} (${t('lesson.oneSample')})`
  const ci = c.ci95 ? t('lesson.ci', { low: num(c.ci95[0], 1), high: num(c.ci95[1], 1) }) : t('lesson.unbounded')
  return `${ratio(c.ratio)} (${ci})`
}

/** The runs of one side at its highest level: closed loops by connections, open loops by offered rate. */
function topLevel(runs: readonly RunResult[]): RunResult[] {
  if (runs.length === 0) return []
  const key = (r: RunResult) => r.openLoop?.ratePerSecond ?? r.connections
  const open = runs.some((r) => r.openLoop)
  const mine = runs.filter((r) => Boolean(r.openLoop) === open)
  const top = Math.max(...mine.map(key))
  return mine.filter((r) => key(r) === top)
}

/** One compared side of a lesson in a document: its runs at its highest level and its value there. */
export interface LessonReading {
  /** The topology or workload id. */
  id: string
  /** The fixed id of the other kind it was read on (the workload, or the topology), if any run matched. */
  on: string | undefined
  /** The side's runs at its highest level (repeats together); empty when it was not measured. */
  runs: RunResult[]
  /** `@128`, `@20 req/s`; '' when not measured. */
  level: string
  /** The value, or why there is none. */
  value: LessonValue | { why: string }
}

/**
 * Each side a lesson compares, read in one document: the side's runs at its
 * highest level on the lesson's workload (or topology) and the metric's value there.
 */
export function lessonReadings(doc: Pick<ResultsDocument, 'runs'>, lesson: Lesson): LessonReading[] {
  const sides = lessonSides(lesson)
  const fixed = sides.across === 'topologies' ? sides.workload : sides.topology
  const fixedOf = (r: RunResult) => (sides.across === 'topologies' ? r.workload : r.topology)
  const sideOf = (r: RunResult) => (sides.across === 'topologies' ? r.topology : r.workload)
  const mine = doc.runs.filter((r) => sides.ids.includes(sideOf(r)))
  const on = fixed ?? mine.map(fixedOf)[0]
  return sides.ids.map((id) => {
    // a topology that measures only its own workload (`topologies.<id>.workloads`, e.g. an unloaded
    // baseline) is read on that one when the lesson names no workload
    const onFixed = mine.filter((r) => sideOf(r) === id && fixedOf(r) === on)
    const runs = topLevel(onFixed.length || fixed !== undefined ? onFixed : mine.filter((r) => sideOf(r) === id))
    const first = runs[0]
    return { id, on, runs, level: first ? loadLabel(first) : '', value: first ? lessonValue(runs, lesson) : { why: t('lesson.notMeasured', { id }) } }
  })
}

/** Two readings side by side: the line naming their values and what their intervals say. */
function pairLine(lesson: Lesson, x: LessonReading, y: LessonReading): LessonLine {
  const unit = metricUnit(lesson.metric)
  const same = x.level === y.level
  const a = same ? x.id : `${x.id} ${x.level}`
  const b = same ? y.id : `${y.id} ${y.level}`
  const head = `${x.on ?? y.on ?? ''}${same && x.level ? ` ${x.level}` : ''}`
  const values = [x, y].map((r) => ('why' in r.value ? null : r.value)) as [LessonValue | null, LessonValue | null]
  const [va, vb] = values
  if (va === null || vb === null) {
    const missing = [x, y].flatMap((r) => ('why' in r.value ? [`${r.id}: ${r.value.why}`] : []))
    return { a, b, values, comparison: null, text: `${head}: ${t('lesson.unmeasured', { name: metricName(lesson), why: missing.join('; ') })}` }
  }
  const comparison = compareRates(va, vb)
  const caveats = [...new Set([va.caveat, vb.caveat].filter((c): c is string => c !== undefined))]
  const shown = `${a} ${fmtValue(va.mean, unit)}, ${b} ${fmtValue(vb.mean, unit)}`
  return { a, b, values, comparison, text: `${head}: ${shown}: ${claim(comparison, [[a, va], [b, vb]], va.mean === 0 && vb.mean === 0)}${caveats.length ? ` [${caveats.join('; ')}]` : ''}` }
}

/**
 * The lesson's sentence in the current language: the translation of
 * lab/i18n/\*\/lessons.ts where the scenario's sentence is the English one
 * kept there, else the sentence as the scenario writes it.
 */
export function lessonSentence(scenario: string, sentence: string): string {
  const english: Readonly<Record<string, string>> = MESSAGES.en.lessons
  return english[scenario] === sentence ? t(`lessons.${scenario}` as MessageKey) : sentence
}

/**
 * The headline verdict of a results document on its scenario's lesson, or
 * null when the document's scenario declares none (documents from before
 * lessons). Sides not measured in this run (e.g. left out by `--quick` or
 * `--topology`) and metrics that could not be read are named in their line:
 * a verdict never falls back silently to another metric.
 */
export function lessonVerdict(doc: Pick<ResultsDocument, 'runs' | 'scenario'>): LessonVerdict | null {
  const lesson = lessonOf(doc.scenario.definition)
  if (!lesson) return null
  const m = LESSON_METRICS[lesson.metric]
  const readings = lessonReadings(doc, lesson)
  const lines = readings.slice(1).map((y, i) => pairLine(lesson, readings[i] as LessonReading, y))
  return {
    metric: lesson.metric,
    metricLabel: t('lesson.metricLabel', { name: metricName(lesson), unit: metricUnit(lesson.metric), better: t(m.better === 'higher' ? 'lesson.higher' : 'lesson.lower') }),
    sentence: lessonSentence(doc.scenario.name, lesson.sentence),
    lines,
    unmeasured: lines.every((l) => l.comparison === null),
  }
}

/**
 * The verdict as the CLI summary's first line, then the lesson's sentence:
 * `Verdict on probe p99 (ms, lower is better): cpu-20ms @3: async 41.2 ms, prefork 1.3 ms: …`
 * @returns two lines, no newline at the end
 */
export function lessonHeadline(v: LessonVerdict): string[] {
  return [t('lesson.headline', { metric: v.metricLabel, lines: v.lines.map((l) => l.text).join('; ') }), `  ${t('lesson.lesson')}${v.sentence}`]
}
