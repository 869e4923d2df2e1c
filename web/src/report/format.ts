/**
 * Numbers, names, colours and small tables as the report and the live page
 * write them. Pure. The names the CLI shares (a level's name, a ratio, a
 * reproduce command) come from `lab/core/labels.ts`.
 */
import { shellCommand } from '../../../lab/core/labels.js'
import type { ResultsDocument } from '../../../lab/core/results.js'
import type { LineSeries, Table } from './types.js'
import { num } from '../../../lab/core/format-number.js'

/** Okabe–Ito colours (colour-blind safe), in the order series get them; black and yellow left out for lines on white. */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9'] as const

/** The colour of each process role (and the load generator) in the CPU and memory charts. */
export const ROLE_COLORS: Record<string, string> = {
  master: '#56B4E9',
  worker: '#0072B2',
  server: '#D55E00',
  proxy: '#009E73',
  'load generator': '#E69F00',
}

/** Bytes in a MiB. */
export const MiB = 1024 * 1024

/** The distinct values, in the order they first come. */
export const uniq = <T>(xs: T[]): T[] => [...new Set(xs)]
/** Mean of a list (NaN for an empty one). */
export const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length
/** Sum of a list (0 for an empty one). */
export const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0)

/** Formats a number with a fixed number of decimals in the page's language (lab/core/format-number.ts); `–` for null or non-finite. */
export function fmt(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '–' : num(value, digits)
}

/** measured ÷ theory; null when there is no theory or it is 0 (nothing to divide by). */
export function theoryRatio(measured: number, theory: number | null | undefined): number | null {
  return theory === null || theory === undefined || !(theory > 0) || !Number.isFinite(theory) ? null : measured / theory
}

/** `2026-11-22 10:00 UTC` from an ISO timestamp (the text as it is when it is not one). */
export function fmtDate(iso: string): string {
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`
}

/** The label that tells documents apart when several are compared: `node · lab-vm-01 · 2026-11-22 10:00 UTC`. */
export function documentLabel(doc: ResultsDocument): string {
  return `${doc.stack} · ${doc.env.hostname ?? 'host'} · ${fmtDate(doc.startedAt)}`
}

/**
 * Legend labels for documents compared in one report: only the parts that
 * differ between them, of stack, host, quick or full load, and start time
 * (`python`, `teacher-pc · 2026-11-23 09:30 UTC`); `#1`, `#2`… when none differ.
 * Each document's full label stays in the environment table.
 */
export function documentLabels(docs: readonly ResultsDocument[]): string[] {
  const parts = docs.map((d) => [d.stack, d.env.hostname ?? 'host', /(^|\s)--quick(\s|$)/.test(d.command ?? '') ? 'quick' : 'full', fmtDate(d.startedAt)])
  const differs = [0, 1, 2, 3].filter((i) => new Set(parts.map((p) => p[i])).size > 1)
  return parts.map((p, n) => (differs.length ? differs.map((i) => p[i]).join(' · ') : `#${n + 1}`))
}

/** The command that reproduces a document's run: its `command`, else `lab run <scenario>`. */
export function reproduceCommand(doc: ResultsDocument): string {
  return doc.command ?? shellCommand(['lab', 'run', doc.scenario.name])
}

/** An id-safe form of a name: `With 4 streams!` → `with-4-streams`. */
export const slug = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')

/** A table whose first column is x and whose other columns are the series' y at that x. */
export function seriesTable(xTitle: string, series: LineSeries[], formatX: (x: number) => string, digits: number): Table {
  const xs = uniq(series.flatMap((s) => s.points.map((p) => p.x))).sort((a, b) => a - b)
  return {
    columns: [xTitle, ...series.map((s) => s.label)],
    rows: xs.map((x) => [formatX(x), ...series.map((s) => fmt(s.points.find((p) => p.x === x)?.y, digits))]),
  }
}

/** A column of a per-connections table: its title and its cell at each connection count. */
export interface Column {
  title: string
  at: (connections: number) => string
}

/** A table with a row per connection count and a column per `Column`. */
export function columnsTable(xs: number[], columns: Column[]): Table {
  return { columns: ['connections', ...columns.map((c) => c.title)], rows: xs.map((x) => [String(x), ...columns.map((c) => c.at(x))]) }
}
