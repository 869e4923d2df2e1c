/**
 * How the lab names and counts things wherever it prints them: the CLI
 * summary, the warnings, the report and the live page all write a level's
 * name, its answered rate with its spread, a verdict, a timestamp and a
 * reproduce command with these functions, so the same run reads the same everywhere.
 * Pure: no I/O, no DOM (the report and live pages import it too).
 */
import { plusMinus, summarize } from './confidence.js'
import { num } from './format-number.js'
import { currentLang, t } from './i18n.js'
import type { Lang } from './i18n-lang.js'
import type { Rate, Repeated, RunResult } from './results.js'
import { compareRates, verdictLine, type Comparison, type Rate as ComparedRate } from './verdict.js'

/** What names a measured level: a plan's `Level` and a `RunResult` both have it. */
export interface LevelKey {
  topology: string
  workload: string
  connections: number
  /** 0-based repeat number. */
  repeat: number
  /** Open loop: the offered rate (a plan's level and a result both carry it). */
  openLoop?: { ratePerSecond: number }
}

/** `repeat 2` for the second repeat (0-based `repeat` 1), '' for the first; in `lang` (default the current language). */
export function repeatLabel(repeat: number, lang: Lang = currentLang()): string {
  return repeat > 0 ? t('describe.repeat', { n: repeat + 1 }, lang) : ''
}

/** `@128` for a closed loop's connections, `@20 req/s` for an open loop's offered rate. */
export function loadLabel(level: Pick<LevelKey, 'connections' | 'openLoop'>): string {
  return level.openLoop ? `@${level.openLoop.ratePerSecond} req/s` : `@${level.connections}`
}

/**
 * A level's name: `prefork io-bound @128`, or `prefork io-bound @128 (repeat 2)` after the first repeat;
 * an open-loop level shows its offered rate, `prefork io-bound @20 req/s`; the repeat's word in the current language.
 */
export function runLabel(level: LevelKey): string {
  return runLabelIn(level, currentLang())
}

/** {@link runLabel} with the repeat's word in `lang`. */
export function runLabelIn(level: LevelKey, lang: Lang): string {
  const repeat = repeatLabel(level.repeat, lang)
  return `${level.topology} ${level.workload} ${loadLabel(level)}${repeat ? ` (${repeat})` : ''}`
}

/**
 * Answered (2xx) req/s of a level: its `requests.answeredPerSecond` when the
 * document has it; in older documents its mean req/s scaled by the 2xx share
 * of its responses (`requests.ok`), else all of its req/s. The queueing
 * model predicts answers, not 503s, so this is what theory and other
 * topologies are compared with.
 */
export function answeredPerSecond(run: Pick<RunResult, 'requests'>): number {
  return answeredRate(run).mean
}

/**
 * A level's answered (2xx) throughput with its spread: `requests.answeredPerSecond`,
 * or in older documents `requests.perSecond` scaled by the 2xx share (σ, min
 * and max scaled alike, the interval, when there is one, too).
 */
export function answeredRate(run: Pick<RunResult, 'requests'>): Rate {
  const { total, ok, perSecond, answeredPerSecond } = run.requests
  if (answeredPerSecond) return answeredPerSecond
  if (ok === undefined || total === 0 || ok === total) return perSecond
  const k = ok / total
  const scaled = (x: number | null | undefined) => (x === null || x === undefined ? x : x * k)
  return {
    ...perSecond,
    mean: perSecond.mean * k,
    stddev: perSecond.stddev * k,
    min: perSecond.min * k,
    max: perSecond.max * k,
    ...(perSecond.ci95 ? { ci95: [perSecond.ci95[0] * k, perSecond.ci95[1] * k] as [number, number] } : {}),
    ...(perSecond.stdError !== undefined ? { stdError: scaled(perSecond.stdError) } : {}),
  }
}

/**
 * One level's throughput over its repeats: with two or more repeats (each
 * on a fresh topology), Student's t over the repeats' means (n = repeats);
 * with one, that run's own per-second spread (n = whole seconds).
 * @param runs - the repeats of one topology, workload and connection count
 * @param of - which rate of each run: all responses, or the answered ones (default)
 * @throws RangeError for no runs
 */
export function levelRate(runs: readonly Pick<RunResult, 'requests'>[], of: 'answered' | 'all' = 'answered'): Rate {
  const rate = (r: Pick<RunResult, 'requests'>) => (of === 'all' ? r.requests.perSecond : answeredRate(r))
  if (runs.length === 0) throw new RangeError('no runs')
  if (runs.length === 1) return rate(runs[0] as Pick<RunResult, 'requests'>)
  const s = summarize(runs.map((r) => rate(r).mean))
  return { n: s.n, mean: s.mean, stddev: s.stddev ?? 0, min: s.min, max: s.max, ci95: s.ci95, method: s.method, stdError: s.stdError, df: s.df, note: `${s.note} (repeats, each on a fresh topology)` }
}

/**
 * `77.3 ± 0.4 req/s (n=3)`: mean ± σ and n (lab/core/confidence.ts
 * `plusMinus`); with n < 2 no ± at all. A document from before n was
 * recorded shows mean ± σ without n, or the mean alone when σ is 0.
 */
export function fmtRate(r: Rate, digits = 1, unit = ''): string {
  if (r.n === undefined) return `${num(r.mean, digits)}${r.stddev > 0 ? ` ± ${num(r.stddev, digits)}` : ''}${unit ? ` ${unit}` : ''}`
  return plusMinus({ n: r.n, mean: r.mean, stddev: r.n >= 2 ? r.stddev : null }, digits, unit)
}

/** Levels measured more than once, taken together: one entry per topology, workload and connection count with two or more repeats. */
export function repeatedLevels(runs: readonly RunResult[]): Repeated[] {
  const groups = new Map<string, number[]>()
  runs.forEach((r, i) => {
    const key = JSON.stringify([r.topology, r.workload, r.connections])
    groups.set(key, [...(groups.get(key) ?? []), i])
  })
  return [...groups.values()]
    .filter((idx) => idx.length > 1)
    .map((idx) => {
      const rs = idx.map((i) => runs[i] as RunResult)
      const first = rs[0] as RunResult
      return { topology: first.topology, workload: first.workload, connections: first.connections, runs: idx, perSecond: levelRate(rs, 'all'), answeredPerSecond: levelRate(rs) }
    })
}

/**
 * A ratio of two throughputs: `30.4×`, one decimal below 100 and none from
 * 100 up (`152×`), about three significant figures: more than a run-to-run
 * spread of a few percent can back.
 */
export function fmtRatio(ratio: number): string {
  return `${num(ratio, Number(ratio.toFixed(1)) >= 100 ? 0 : 1)}×`
}

/** One verdict line: the topology (or document) with the most answered req/s against one other. */
export interface LevelVerdict {
  best: string
  other: string
  /** What the two intervals say (lab/core/verdict.ts). */
  comparison: Comparison
  /** best ÷ other answered req/s (means); `Infinity` when the other answered none. */
  ratio: number
  /** The line, e.g. `io-bound @128: async served 24.3× (95 % CI 23.9–24.8×) the answered req/s of prefork`. */
  text: string
}

/**
 * Ranks entries measured at the same level by answered req/s and compares
 * the best with each other one (lab/core/verdict.ts `compareRates`): a ratio
 * with its interval where their 95 % intervals are apart, "no measurable
 * difference" where they overlap. Entries without a rate (not measured
 * there) are left out; with nothing answered at all there is nothing to compare (`[]`).
 * @param head - what was compared, e.g. `io-bound @128`
 */
export function compareLevel(head: string, entries: readonly { name: string; rate: Rate | undefined }[]): LevelVerdict[] {
  const measured = entries.filter((e): e is { name: string; rate: Rate } => e.rate !== undefined).sort((a, b) => b.rate.mean - a.rate.mean)
  const [best, ...others] = measured
  if (!best || !(best.rate.mean > 0)) return []
  return others.map((o) => {
    const comparison = compareRates(forComparison(best.rate), forComparison(o.rate))
    return { best: best.name, other: o.name, comparison, ratio: o.rate.mean > 0 ? best.rate.mean / o.rate.mean : Infinity, text: verdictLine(head, [best.name, o.name], comparison) }
  })
}

/** The parts of a stored rate a comparison reads; documents from before intervals were recorded have none. */
function forComparison(r: Rate): ComparedRate {
  return { n: r.n ?? 1, mean: r.mean, stdError: r.stdError ?? null, df: r.df ?? null, ci95: r.ci95 ?? null }
}

/** `2026-11-22T10:00:00.123Z` → `20261122T100000Z`: a UTC time that sorts as text and has no colons (file names, run ids). */
export function stamp(iso: string): string {
  return iso.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')
}

/** One argument for a POSIX shell: as it is when it has no special character, else in single quotes (`'` written `'\''`). */
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`
}

/** A command line a POSIX shell runs as these arguments: `npx lab run x --set 'quick.connections=[8]'`. */
export function shellCommand(args: readonly string[]): string {
  return args.map(shellQuote).join(' ')
}
