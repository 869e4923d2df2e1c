/**
 * The summary printed at the end of `lab run`, in the style of hyperfine:
 * per workload, a table of topology × connections with answered (2xx) req/s
 * as `mean ± σ (n=…)` (repeats taken together), all responses and non-2xx
 * beside it where some were not answered, p50, p99, errors, server CPU %,
 * the Little's-law ratio and both predictions (textbook and this machine),
 * then the verdict; the windows that were extended, the calibration and the
 * warnings last. Pure: returns strings.
 */
import { unavailableLine } from './platform.js'
import type { ResultsDocument, RunResult } from './results.js'
import { openLoopTable } from './format-open.js'
import { answeredRate, compareLevel, fmtRate, levelRate } from './labels.js'
import { lessonHeadline, lessonVerdict } from './lesson-verdict.js'
import { NO_DATA, approximateNotes, calibrationLines, describeWorkload, extras, serverCpuPercent, windowLines } from './format-notes.js'
import { num } from './format-number.js'
import { engineText } from './handout.js'
import { currentLang, t } from './i18n.js'
import { warningMessages } from './warnings.js'

export { describeWorkload, serverCpuPercent, num }

const pad = (s: string, n: number) => s.padStart(n)
const fix = (n: number, d = 1) => num(n, d)
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length

/**
 * The verdict at the highest connection count of a workload: the topology
 * with the most answered req/s against each other one, from their 95 %
 * intervals (lab/core/labels.ts `compareLevel`), e.g.
 * `io-bound @128: async served 24.3× (95 % CI 23.9–24.8×) the answered req/s of prefork`;
 * one line per other topology.
 * @returns the lines, empty when fewer than two topologies were measured at that level or none answered anything
 */
export function verdictLines(workload: string, runs: readonly RunResult[]): string[] {
  const mine = runs.filter((r) => r.workload === workload && !r.openLoop)
  if (mine.length === 0) return []
  const top = Math.max(...mine.map((r) => r.connections))
  const byTopology = groupBy(mine.filter((r) => r.connections === top), (r) => r.topology)
  return compareLevel(`${workload} @${top}`, [...byTopology].map(([name, rs]) => ({ name, rate: levelRate(rs) }))).map((v) => v.text)
}

function groupBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>()
  for (const x of xs) out.set(key(x), [...(out.get(key(x)) ?? []), x])
  return out
}

/**
 * The table's column headings in the current language and their widths: the
 * English width, or the heading's length and a space where a translation is longer.
 */
function columns() {
  const col = (key: Parameters<typeof t>[0], width: number) => {
    const label = t(key)
    return { label, w: Math.max(width, label.length + 1) }
  }
  return {
    conns: col('summary.conns', 6), answered: col('summary.answered', 26), all: col('summary.all', 11), non2xx: col('summary.non2xx', 10),
    p50: col('summary.p50', 10), p99: col('summary.p99', 10), errors: col('summary.errors', 8), cpu: col('summary.cpu', 8), littles: col('summary.littles', 10),
    textbook: col('summary.textbook', 11), thisMachine: col('summary.thisMachine', 14), measPred: col('summary.measPred', 11),
  }
}

/** A level's row: its repeats (one or more) of one topology at one connection count. */
function row(rs: RunResult[], width: number, shed: boolean, cpuNa: boolean): string {
  const c = columns()
  const r = rs[0] as RunResult
  const answered = levelRate(rs)
  const all = levelRate(rs, 'all')
  const predicted = (pick: (p: NonNullable<RunResult['prediction']>) => { perSecond: number; approximate?: string } | undefined) => {
    const p = r.prediction ? pick(r.prediction) : undefined
    return p ? `${p.approximate ? '~' : ''}${fix(p.perSecond)}` : NO_DATA
  }
  // no answered response: no latency to show (an unanswered level's histogram reads 0.0 ms)
  const answeredNone = rs.every((x) => (x.requests.ok ?? x.requests.total) === 0)
  const latency = (pick: (x: RunResult) => number) => (answeredNone ? NO_DATA : fix(mean(rs.map(pick))))
  const little = rs.flatMap((x) => (x.littlesLaw.ratio === null ? [] : [x.littlesLaw.ratio]))
  const basis = r.prediction?.perSecond
  return (
    `  ${r.topology.padEnd(width)}${pad(String(r.connections), c.conns.w)}${pad(fmtRate(answered), c.answered.w)}` +
    (shed ? `${pad(fix(all.mean), c.all.w)}${pad(fix(all.mean - answered.mean), c.non2xx.w)}` : '') +
    `${pad(latency((x) => x.latencyMs.p50), c.p50.w)}${pad(latency((x) => x.latencyMs.p99), c.p99.w)}` +
    `${pad(String(rs.reduce((s, x) => s + x.errors.total, 0)), c.errors.w)}${pad(cpuNa ? t('describe.na') : fix(mean(rs.map(serverCpuPercent)), 0), c.cpu.w)}` +
    `${pad(little.length ? fix(mean(little), 2) : NO_DATA, c.littles.w)}` +
    `${pad(predicted((p) => p.textbook ?? (p.basis === undefined ? p : undefined)), c.textbook.w)}${pad(predicted((p) => p.thisMachine), c.thisMachine.w)}` +
    `${pad(basis !== undefined && basis > 0 && r.requests.total > 0 ? fix(answered.mean / basis, 2) : NO_DATA, c.measPred.w)}`
  )
}

/** The table of one workload: a header and a row per topology and connection count (repeats together); CPU `n/a` where the system has no /proc. */
function table(runs: readonly RunResult[], width: number, cpuNa = false): string[] {
  const shed = runs.some((r) => answeredRate(r).mean < r.requests.perSecond.mean)
  const c = columns()
  const cell = (x: { label: string; w: number }) => pad(x.label, x.w)
  const header =
    `  ${t('summary.topology').padEnd(width)}${cell(c.conns)}${cell(c.answered)}` +
    (shed ? `${cell(c.all)}${cell(c.non2xx)}` : '') +
    `${cell(c.p50)}${cell(c.p99)}${cell(c.errors)}${cell(c.cpu)}${cell(c.littles)}` +
    `${cell(c.textbook)}${cell(c.thisMachine)}${cell(c.measPred)}`
  return [header, ...[...groupBy(runs, (r) => `${r.topology}\u0000${r.connections}`).values()].map((rs) => row(rs, width, shed, cpuNa))]
}

/** Under a table: which prediction meas/pred divides by, and what n counts. */
function legend(runs: readonly RunResult[]): string[] {
  const machine = runs.some((r) => r.prediction?.basis === 'this-machine')
  const repeats = runs.some((r) => r.repeat > 0)
  const others = runs.flatMap((r) => (r.otherCpuPercent === undefined ? [] : [r.otherCpuPercent]))
  const taken = others.length ? t('summary.legendTaken', { min: fix(Math.min(...others), 0), max: fix(Math.max(...others), 0) }) : ''
  return [
    '',
    `  ${t('summary.legendN', { repeats: repeats ? t('summary.legendRepeats') : '', none: NO_DATA })}`,
    `  ${t('summary.legendPred', { taken, basis: t(machine ? 'summary.thisMachine' : 'summary.textbook') })}`,
    `  ${t('summary.legendGood')}`,
  ]
}

/** `prefork = node-prefork, proxied = nginx → gunicorn`: which engine served each topology, '' without runs. */
export function engineList(runs: readonly RunResult[]): string {
  const by = new Map<string, string>()
  for (const r of runs) if (!by.has(r.topology)) by.set(r.topology, engineText(r.engines))
  return [...by].map(([topology, e]) => `${topology} = ${e}`).join(', ')
}

/** `engines: prefork = node-prefork, proxied = nginx → gunicorn` ({@link engineList} in the current language), '' without runs. */
export function engineLine(runs: readonly RunResult[]): string {
  const list = engineList(runs)
  return list ? t('charts.env.enginesLine', { list }) : ''
}

/**
 * A warning's line: its message as the run wrote it (English, with the
 * measured figures) or, in another language, the translated title first and
 * the message in that language (lab/core/warnings.ts `warningMessages`).
 */
function warningLine(w: ResultsDocument['warnings'][number], message: string): string {
  return currentLang() === 'en' ? message : `${t(`warning.${w.code}.title`)}: ${message}`
}

/**
 * The whole summary: the verdict on the scenario's lesson first (when it
 * declares one: lab/core/lesson-verdict.ts), then a block per workload
 * (its other comparisons under its table), the windows that were extended,
 * the calibration and the warnings.
 * @returns text ending in a newline
 */
export function formatSummary(doc: ResultsDocument): string {
  const lesson = lessonVerdict(doc)
  const lines: string[] = lesson ? [...lessonHeadline(lesson), ''] : []
  const def = doc.scenario.definition as { workloads?: Record<string, Record<string, unknown>> } | undefined
  const workloads = [...new Set(doc.runs.map((r) => r.workload))]
  lines.push(`${doc.scenario.title}${doc.complete ? '' : `  ${t('summary.incomplete')}`}`)
  const engines = engineLine(doc.runs)
  if (engines) lines.push(engines)
  for (const w of workloads) {
    const params = def?.workloads?.[w]
    const runs = doc.runs.filter((r) => r.workload === w)
    const closed = runs.filter((r) => !r.openLoop)
    const width = Math.max(14, ...runs.map((r) => r.topology.length + 2))
    lines.push('', `${w}${params ? ` (${describeWorkload(params)})` : ''}`)
    if (closed.length) lines.push(...table(closed, width, doc.env.unavailable?.includes('cpu') === true), ...legend(closed))
    lines.push(...openLoopTable(runs, width))
    lines.push(...approximateNotes(runs), ...extras(runs))
    const verdicts = verdictLines(w, doc.runs)
    if (verdicts.length) lines.push('', ...(lesson ? [`  ${t('lesson.otherComparisons')}`] : []), ...verdicts.map((v) => `  ${v}`))
  }
  lines.push(...windowLines(doc.runs), ...calibrationLines(doc))
  const na = unavailableLine(doc.env.unavailable)
  if (na) lines.push('', na)
  if (doc.warnings.length) {
    lines.push('', t('summary.warnings'))
    const messages = warningMessages(doc)
    doc.warnings.forEach((warning, i) => lines.push(`  - [${warning.code}] ${warningLine(warning, messages[i] ?? warning.message)}`))
  }
  return lines.join('\n') + '\n'
}
