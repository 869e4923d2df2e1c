/**
 * How the lab names and counts things wherever it prints them: the CLI
 * summary, the warnings, the report and the live page all write a level's
 * name, its answered rate, a verdict, a timestamp and a reproduce command
 * with these functions, so the same run reads the same everywhere.
 * Pure: no I/O, no DOM (the report and live pages import it too).
 */
import type { RunResult } from './results.js'

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

/** `repeat 2` for the second repeat (0-based `repeat` 1), '' for the first. */
export function repeatLabel(repeat: number): string {
  return repeat > 0 ? `repeat ${repeat + 1}` : ''
}

/** `@128` for a closed loop's connections, `@20 req/s` for an open loop's offered rate. */
export function loadLabel(level: Pick<LevelKey, 'connections' | 'openLoop'>): string {
  return level.openLoop ? `@${level.openLoop.ratePerSecond} req/s` : `@${level.connections}`
}

/**
 * A level's name: `prefork io-bound @128`, or `prefork io-bound @128 (repeat 2)` after the first repeat;
 * an open-loop level shows its offered rate, `prefork io-bound @20 req/s`.
 */
export function runLabel(level: LevelKey): string {
  const repeat = repeatLabel(level.repeat)
  return `${level.topology} ${level.workload} ${loadLabel(level)}${repeat ? ` (${repeat})` : ''}`
}

/**
 * Answered (2xx) req/s of a level: its mean req/s scaled by the 2xx share of
 * its responses when the document counts them (`requests.ok`), else all of
 * its req/s. The queueing model predicts answers, not 503s, so this is what
 * theory is compared with.
 */
export function answeredPerSecond(run: Pick<RunResult, 'requests'>): number {
  const { total, ok, perSecond } = run.requests
  return ok === undefined || total === 0 ? perSecond.mean : (perSecond.mean * ok) / total
}

/**
 * A ratio of two throughputs: `30.4×`, one decimal below 100 and none from
 * 100 up (`152×`), about three significant figures: more than a run-to-run
 * spread of a few percent can back.
 */
export function fmtRatio(ratio: number): string {
  return `${ratio.toFixed(Number(ratio.toFixed(1)) >= 100 ? 0 : 1)}×`
}

/** One line of a verdict: the topology (or document) with the most req/s against one other. */
export interface Comparison {
  best: string
  other: string
  /** The best one's req/s (mean over repeats). */
  bestPerSecond: number
  /** best req/s ÷ other req/s; `Infinity` when the other served none. */
  ratio: number
}

/**
 * Ranks entries measured at the same connection count: the one with the most
 * req/s against each other one, most req/s first, then those that served
 * none. Entries without a figure (`undefined`: not measured there) are left
 * out; with nothing served at all there is nothing to compare (`[]`).
 */
export function rankPerSecond(entries: readonly { name: string; perSecond: number | undefined }[]): Comparison[] {
  const served = entries
    .filter((e): e is { name: string; perSecond: number } => e.perSecond !== undefined && e.perSecond > 0)
    .sort((a, b) => b.perSecond - a.perSecond)
  const [best, ...others] = served
  if (!best) return []
  const line = (other: string, ratio: number): Comparison => ({ best: best.name, other, bestPerSecond: best.perSecond, ratio })
  return [
    ...others.map((o) => line(o.name, best.perSecond / o.perSecond)),
    ...entries.filter((e) => e.perSecond === 0).map((e) => line(e.name, Infinity)),
  ]
}

/** What the best one served against the other: `30.4× the req/s of prefork`, or `97.3 req/s where prefork served none`. */
export function comparisonPhrase(c: Comparison): string {
  return Number.isFinite(c.ratio) ? `${fmtRatio(c.ratio)} the req/s of ${c.other}` : `${c.bestPerSecond.toFixed(1)} req/s where ${c.other} served none`
}

/**
 * A verdict line: `io-bound @128: async served 30.4× the req/s of prefork`.
 * Comparisons of the same best one share one line, their phrases joined by
 * commas (the CLI summary); one comparison gives one line (the report).
 * @param head - what was compared, e.g. `io-bound @128`
 */
export function verdictText(head: string, comparisons: readonly Comparison[]): string {
  return `${head}: ${comparisons[0]?.best ?? ''} served ${comparisons.map(comparisonPhrase).join(', ')}`
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
