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
import { approximateNotes, calibrationLines, describeWorkload, extras, serverCpuPercent, windowLines } from './format-notes.js'

export { describeWorkload, serverCpuPercent }

const pad = (s: string, n: number) => s.padStart(n)
const fix = (n: number, d = 1) => n.toFixed(d)
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

/** A level's row: its repeats (one or more) of one topology at one connection count. */
function row(rs: RunResult[], width: number, shed: boolean, cpuNa: boolean): string {
  const r = rs[0] as RunResult
  const answered = levelRate(rs)
  const all = levelRate(rs, 'all')
  const predicted = (pick: (p: NonNullable<RunResult['prediction']>) => { perSecond: number; approximate?: string } | undefined) => {
    const p = r.prediction ? pick(r.prediction) : undefined
    return p ? `${p.approximate ? '~' : ''}${fix(p.perSecond)}` : '-'
  }
  const little = rs.flatMap((x) => (x.littlesLaw.ratio === null ? [] : [x.littlesLaw.ratio]))
  const basis = r.prediction?.perSecond
  return (
    `  ${r.topology.padEnd(width)}${pad(String(r.connections), 6)}${pad(fmtRate(answered), 26)}` +
    (shed ? `${pad(fix(all.mean), 11)}${pad(fix(all.mean - answered.mean), 10)}` : '') +
    `${pad(fix(mean(rs.map((x) => x.latencyMs.p50))), 10)}${pad(fix(mean(rs.map((x) => x.latencyMs.p99))), 10)}` +
    `${pad(String(rs.reduce((s, x) => s + x.errors.total, 0)), 8)}${pad(cpuNa ? 'n/a' : fix(mean(rs.map(serverCpuPercent)), 0), 8)}` +
    `${pad(little.length ? fix(mean(little), 2) : '-', 10)}` +
    `${pad(predicted((p) => p.textbook ?? (p.basis === undefined ? p : undefined)), 11)}${pad(predicted((p) => p.thisMachine), 14)}` +
    `${pad(basis !== undefined && basis > 0 && r.requests.total > 0 ? fix(answered.mean / basis, 2) : '-', 11)}`
  )
}

/** The table of one workload: a header and a row per topology and connection count (repeats together); CPU `n/a` where the system has no /proc. */
function table(runs: readonly RunResult[], width: number, cpuNa = false): string[] {
  const shed = runs.some((r) => answeredRate(r).mean < r.requests.perSecond.mean)
  const header =
    `  ${'topology'.padEnd(width)}${pad('conns', 6)}${pad('answered req/s (mean ± σ)', 26)}` +
    (shed ? `${pad('all req/s', 11)}${pad('non-2xx/s', 10)}` : '') +
    `${pad('p50 ms', 10)}${pad('p99 ms', 10)}${pad('errors', 8)}${pad('CPU %', 8)}${pad("Little's", 10)}` +
    `${pad('textbook', 11)}${pad('this machine', 14)}${pad('meas/pred', 11)}`
  return [header, ...[...groupBy(runs, (r) => `${r.topology}\u0000${r.connections}`).values()].map((rs) => row(rs, width, shed, cpuNa))]
}

/** Under a table: which prediction meas/pred divides by, and what n counts. */
function legend(runs: readonly RunResult[]): string[] {
  const machine = runs.some((r) => r.prediction?.basis === 'this-machine')
  const repeats = runs.some((r) => r.repeat > 0)
  const others = runs.flatMap((r) => (r.otherCpuPercent === undefined ? [] : [r.otherCpuPercent]))
  const taken = others.length ? `; other processes took ${fix(Math.min(...others), 0)}–${fix(Math.max(...others), 0)} % of a core meanwhile, left out of this machine's cores` : ''
  return [
    '',
    `  n: ${repeats ? 'repeats (each on a fresh topology), or ' : ''}whole seconds of the window; no ± below n = 2. CPU %: server processes, % of one core.`,
    `  textbook: io_ms and cpu_ms only; this machine: calibrated (CPU per response of the engine and of the load generator${taken}). meas/pred: answered ÷ ${machine ? 'this machine' : 'textbook'}.`,
  ]
}

/**
 * The whole summary: a block per workload, then the windows that were
 * extended, the calibration and the warnings.
 * @returns text ending in a newline
 */
export function formatSummary(doc: ResultsDocument): string {
  const lines: string[] = []
  const def = doc.scenario.definition as { workloads?: Record<string, Record<string, unknown>> } | undefined
  const workloads = [...new Set(doc.runs.map((r) => r.workload))]
  lines.push(`${doc.scenario.title}${doc.complete ? '' : '  (incomplete: interrupted or failed)'}`)
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
    if (verdicts.length) lines.push('', ...verdicts.map((v) => `  ${v}`))
  }
  lines.push(...windowLines(doc.runs), ...calibrationLines(doc))
  const na = unavailableLine(doc.env.unavailable)
  if (na) lines.push('', na)
  if (doc.warnings.length) {
    lines.push('', 'Warnings:')
    for (const warning of doc.warnings) lines.push(`  - [${warning.code}] ${warning.message}`)
  }
  return lines.join('\n') + '\n'
}
