/**
 * The report's view-model: results documents in, verdict lines, chart series
 * and table rows out. Pure (no DOM, no Chart.js) so the report page and the
 * live demo page draw the same things from the same data.
 *
 * Units follow the results document: `perSecond` req/s, `Ms` milliseconds,
 * `Percent` percent of one core, `Bytes` bytes (shown here in MiB, GiB).
 */
import type { ResultsDocument, RunResult } from '../../lab/core/results.js'
import { eventMarks, marksSummary, type EventMark } from './annotations.js'
import { proxySection } from './proxy-charts.js'

/** What `lab report` embeds in the page's `#lab-data` element. */
export interface ReportPayload {
  documents: ResultsDocument[]
  /** The scenario notes, already rendered to HTML by the Node side. */
  notesHtml: string
}

/** Okabe–Ito colours (colour-blind safe), in the order series get them; black and yellow left out for lines on white. */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9'] as const
const ROLE_COLORS: Record<string, string> = {
  master: '#56B4E9',
  worker: '#0072B2',
  server: '#D55E00',
  proxy: '#009E73',
  'load generator': '#E69F00',
}

export interface Point {
  x: number
  y: number
}
export interface Scale {
  title: string
  type: 'linear' | 'logarithmic'
  /** Put ticks exactly here (and nowhere else). */
  ticks?: number[]
  /** `percentile`: x is 1/(1−p), label ticks as percentiles. */
  format?: 'percentile'
  min?: number
  max?: number
  /** Distance between ticks of a linear x axis (default 1). */
  step?: number
}
export interface LineSeries {
  label: string
  color: string
  points: Point[]
  /** `theory` is dashed with no points; `dots` draws points only. */
  style: 'line' | 'theory' | 'dots'
  axis: 'y' | 'y2'
  /** Point marker; p99 lines use triangles so they differ from p50 without colour. */
  marker: 'circle' | 'triangle'
}
/** A shaded range on one axis (warm-up seconds, the Little's-law tolerance). */
export interface Band {
  axis: 'x' | 'y'
  from: number
  to: number
  label: string
  /** Shade the range (default); unshaded bands only show their label, to mark alternating ranges. */
  shade?: boolean
}
/** A table of formatted cells, first column is the row heading. */
export interface Table {
  columns: string[]
  rows: string[][]
}
interface ChartBase {
  id: string
  title: string
  /** One line: what to look for. */
  caption: string
  table: Table
  bands: Band[]
}
export interface LineChartModel extends ChartBase {
  kind: 'line'
  x: Scale
  y: Scale
  y2?: Scale
  series: LineSeries[]
  /** Lab events (worker killed, died, booted) marked on a timeline; absent or empty draws nothing extra. */
  marks?: EventMark[]
}
export interface BarSeries {
  label: string
  color: string
  values: (number | null)[]
  /** Bars with the same stack pile up; different stacks stand side by side. */
  stack: string
  /** `dots`: a marker per category instead of a bar (for values that do not start at zero). */
  style: 'bar' | 'dots'
}
export interface BarChartModel extends ChartBase {
  kind: 'bar'
  /** One entry per bar group, each a list of label lines. */
  categories: string[][]
  y: Scale
  series: BarSeries[]
}
export type ChartModel = LineChartModel | BarChartModel

export interface Section {
  id: string
  title: string
  caption: string
  /** `grid` lays small charts out side by side (the per-run timelines). */
  layout: 'wide' | 'grid'
  charts: ChartModel[]
  /** Small tables shown as they are, after the charts, each with what to look for. */
  tables?: { id: string; title: string; caption: string; table: Table }[]
}
export interface Verdict {
  text: string
  workload: string
  connections: number
  best: string
  other: string
  /** best req/s ÷ other req/s */
  ratio: number
}
export interface WarningView {
  code: string
  title: string
  /** What it means and what to do, in plain words. */
  explanation: string
  /** The lab's own message, with the numbers. */
  message: string
  /** Which run, e.g. `prefork io-bound @128`, or '' for the whole document. */
  run: string
}
export interface ReportModel {
  title: string
  subtitle: string
  /** Things to know before reading anything else (mixed scenarios, an interrupted run). */
  notices: string[]
  verdicts: Verdict[]
  sections: Section[]
  warnings: WarningView[]
  errorsTotal: number
  errors: Table
  environment: Table
  /** The commands that reproduce each document. */
  commands: string[]
}

// ---------------------------------------------------------------- formatting

/** Formats a number with a fixed number of decimals; `–` for null or non-finite. */
export function fmt(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits)
}

/** A ratio as the verdicts print it: `30.4×` (one decimal below 100, none above). */
export function fmtRatio(ratio: number): string {
  return `${ratio.toFixed(ratio >= 100 ? 0 : 1)}×`
}

const MiB = 1024 * 1024
const uniq = <T>(xs: T[]): T[] => [...new Set(xs)]
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0)

/**
 * Answered (2xx) req/s of a run: its req/s scaled by the 2xx share when the
 * document counts it (`requests.ok`), as the lab's model-mismatch warning
 * does; the queueing model predicts answers, not 503s.
 */
export function answeredPerSecond(run: RunResult): number {
  const { total, ok, perSecond } = run.requests
  return ok === undefined || total === 0 ? perSecond.mean : (perSecond.mean * ok) / total
}

/** measured ÷ theory; null when there is no theory or it is 0 (nothing to divide by). */
export function theoryRatio(measured: number, theory: number | null | undefined): number | null {
  return theory === null || theory === undefined || !(theory > 0) || !Number.isFinite(theory) ? null : measured / theory
}

/** `2026-11-22 10:00 UTC` from an ISO timestamp. */
export function fmtDate(iso: string): string {
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`
}

/** The label that tells documents apart when several are compared: `node · lab-vm-01 · 2026-11-22 10:00 UTC`. */
export function documentLabel(doc: ResultsDocument): string {
  return `${doc.stack} · ${doc.env.hostname ?? 'host'} · ${fmtDate(doc.startedAt)}`
}

/** The command that reproduces a document's run. */
export function reproduceCommand(doc: ResultsDocument): string {
  return doc.command ?? `lab run ${doc.scenario.name}`
}

// ------------------------------------------------------- spectrum transform

/**
 * Maps a percentile (0..100) to the HDR spectrum's x, `1/(1−p/100)` computed as
 * `100/(100−p)`: 50 % → 2, 90 % → 10, 99 % → 100, 99.9 % → 1000. The 100 %
 * point (the maximum) would be infinitely far right: `null`, not plotted (the
 * chart's table still lists it).
 */
export function spectrumX(percentile: number): number | null {
  return percentile >= 100 ? null : 100 / (100 - percentile)
}

/** The label of a spectrum tick at x: 1 → `0%`, 2 → `50%`, 1000 → `99.9%`. */
export function percentileLabel(x: number): string {
  const p = 100 - 100 / x
  return `${Number(p.toFixed(6))}%`
}

/** Spectrum ticks: 1 (0 %), 2 (50 %), then powers of ten (90 %, 99 %, ...) up to `max`. */
export function spectrumTicks(max: number): number[] {
  const ticks = [1, 2]
  for (let x = 10; x <= max * 1.0001; x *= 10) ticks.push(x)
  return ticks
}

// ------------------------------------------------------------- grouping

/** A series identity: one topology in one document. */
export interface Identity {
  doc: number
  topology: string
}

/** Runs of one key averaged over repeats. */
export interface Level {
  connections: number
  perSecond: number
  /** Answered (2xx) req/s, what the queueing model predicts (see `answeredPerSecond`). */
  answered: number
  /** Responses measured, summed over repeats; 0 means nothing completed and the latencies are empty. */
  responses: number
  p50: number
  p99: number
  /** Measured mean latency, to set beside the model's. */
  meanMs: number
  prediction?: { perSecond: number; meanMs: number }
  runs: RunResult[]
}

/** Series colours, labels and averaged levels of a set of documents. */
export class Context {
  readonly multi: boolean
  readonly topologies: string[]
  readonly workloads: string[]
  constructor(readonly docs: ResultsDocument[]) {
    this.multi = docs.length > 1
    this.topologies = uniq(docs.flatMap((d) => d.runs.map((r) => r.topology)))
    this.workloads = uniq(docs.flatMap((d) => d.runs.map((r) => r.workload)))
  }
  identities(): Identity[] {
    return this.docs.flatMap((d, doc) =>
      this.topologies.filter((t) => d.runs.some((r) => r.topology === t)).map((topology) => ({ doc, topology })),
    )
  }
  color(id: Identity): string {
    const i = id.doc * this.topologies.length + this.topologies.indexOf(id.topology)
    return PALETTE[i % PALETTE.length] ?? PALETTE[0]
  }
  /** `prefork` alone; `prefork · node · lab-vm-01 · 2026-11-22 10:00 UTC` when documents are compared. */
  label(id: Identity): string {
    const doc = this.docs[id.doc]
    return this.multi && doc ? `${id.topology} · ${documentLabel(doc)}` : id.topology
  }
  /** Connection levels of one identity and workload, ascending, repeats averaged. */
  levels(id: Identity, workload: string): Level[] {
    const runs = (this.docs[id.doc]?.runs ?? []).filter((r) => r.topology === id.topology && r.workload === workload)
    return uniq(runs.map((r) => r.connections))
      .sort((a, b) => a - b)
      .map((connections) => {
        const rs = runs.filter((r) => r.connections === connections)
        const predicted = rs.flatMap((r) => (r.prediction ? [r.prediction] : []))
        const level: Level = {
          connections,
          perSecond: mean(rs.map((r) => r.requests.perSecond.mean)),
          answered: mean(rs.map(answeredPerSecond)),
          responses: sum(rs.map((r) => r.requests.total)),
          p50: mean(rs.map((r) => r.latencyMs.p50)),
          p99: mean(rs.map((r) => r.latencyMs.p99)),
          meanMs: mean(rs.map((r) => r.latencyMs.mean)),
          runs: rs,
        }
        if (predicted[0]) level.prediction = predicted[0]
        return level
      })
  }
  connections(workload: string): number[] {
    return uniq(this.docs.flatMap((d) => d.runs.filter((r) => r.workload === workload).map((r) => r.connections))).sort(
      (a, b) => a - b,
    )
  }
  runLabel(doc: number, run: RunResult): string {
    const base = `${run.topology} ${run.workload} @${run.connections}${run.repeat > 0 ? ` (repeat ${run.repeat + 1})` : ''}`
    const d = this.docs[doc]
    return this.multi && d ? `${base} · ${documentLabel(d)}` : base
  }
}

/** A table whose first column is x and whose other columns are the series' y at that x. */
function seriesTable(xTitle: string, series: LineSeries[], formatX: (x: number) => string, digits: number): Table {
  const xs = uniq(series.flatMap((s) => s.points.map((p) => p.x))).sort((a, b) => a - b)
  return {
    columns: [xTitle, ...series.map((s) => s.label)],
    rows: xs.map((x) => [formatX(x), ...series.map((s) => fmt(s.points.find((p) => p.x === x)?.y, digits))]),
  }
}

/** An id-safe form of a name: `With 4 streams!` → `with-4-streams`. */
export const slug = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')

// ------------------------------------------------------------------ verdicts

/**
 * The headline comparisons: for every workload, at its highest connection
 * count, the topology with the most req/s against each of the others, e.g.
 * `io-bound @128: async served 30.4× the req/s of prefork`. When documents are
 * compared, each line names its document, and the same topology is also
 * compared across documents.
 */
export function verdicts(docs: ResultsDocument[]): Verdict[] {
  const ctx = new Context(docs)
  const out: Verdict[] = []
  /** The entry with the most req/s against each of the others. */
  const compare = (head: string, workload: string, connections: number, entries: { name: string; rps: number | undefined }[]): void => {
    const ranked = entries
      .filter((e): e is { name: string; rps: number } => e.rps !== undefined && e.rps > 0)
      .sort((a, b) => b.rps - a.rps)
    const [best, ...others] = ranked
    for (const o of best ? others : []) {
      const ratio = (best?.rps ?? 0) / o.rps
      const text = `${head}: ${best?.name} served ${fmtRatio(ratio)} the req/s of ${o.name}`
      out.push({ text, workload, connections, best: best?.name ?? '', other: o.name, ratio })
    }
    // a topology that answered nothing has no ratio: say so (ratio Infinity)
    for (const o of best ? entries.filter((e) => e.rps === 0) : []) {
      const text = `${head}: ${best?.name} served ${fmt(best?.rps)} req/s where ${o.name} served none`
      out.push({ text, workload, connections, best: best?.name ?? '', other: o.name, ratio: Infinity })
    }
  }
  for (const workload of ctx.workloads) {
    const top = ctx.connections(workload).at(-1)
    if (top === undefined) continue
    const at = (id: Identity): number | undefined => ctx.levels(id, workload).find((l) => l.connections === top)?.perSecond
    docs.forEach((doc, d) => {
      const head = `${workload} @${top}${ctx.multi ? ` on ${documentLabel(doc)}` : ''}`
      const ids = ctx.identities().filter((id) => id.doc === d)
      compare(head, workload, top, ids.map((id) => ({ name: id.topology, rps: at(id) })))
    })
    if (!ctx.multi) continue
    for (const topology of ctx.topologies) {
      compare(`${workload} @${top}, ${topology}`, workload, top, docs.map((doc, d) => ({ name: documentLabel(doc), rps: at({ doc: d, topology }) })))
    }
  }
  return out
}

// -------------------------------------------------------------------- charts

/** A column of a per-connections table: its title and its cell at each connection count. */
interface Column {
  title: string
  at: (connections: number) => string
}

function columnsTable(xs: number[], columns: Column[]): Table {
  return { columns: ['connections', ...columns.map((c) => c.title)], rows: xs.map((x) => [String(x), ...columns.map((c) => c.at(x))]) }
}

/** What the charts' legends call the model's lines. */
export const THEORY = 'theory (queueing model)'
const THEORY_CAPTION = ` Dashed: ${THEORY}, the same topology's colour.`

/**
 * Throughput (mean req/s) against connections, one line per topology; a
 * dashed theory line where runs carry a prediction, and then the table adds
 * the theory and measured ÷ theory (answered req/s ÷ predicted req/s).
 */
export function throughputChart(docs: ResultsDocument[], workload: string): LineChartModel {
  const ctx = new Context(docs)
  const series: LineSeries[] = []
  const columns: Column[] = []
  for (const id of ctx.identities()) {
    const levels = ctx.levels(id, workload)
    if (levels.length === 0) continue
    const at = (x: number): Level | undefined => levels.find((l) => l.connections === x)
    const label = ctx.label(id)
    const base = { color: ctx.color(id), axis: 'y' as const, marker: 'circle' as const }
    series.push({ ...base, label, style: 'line', points: levels.map((l) => ({ x: l.connections, y: l.perSecond })) })
    columns.push({ title: label, at: (x) => fmt(at(x)?.perSecond, 1) })
    const theory = levels.flatMap((l) => (l.prediction ? [{ x: l.connections, y: l.prediction.perSecond }] : []))
    if (theory.length === 0) continue
    series.push({ ...base, label: `${label} ${THEORY}`, style: 'theory', points: theory })
    columns.push(
      { title: `${label} theory`, at: (x) => fmt(at(x)?.prediction?.perSecond, 1) },
      { title: `${label} measured ÷ theory`, at: (x) => fmt(ratioAt(at(x), (l) => l.answered, (p) => p.perSecond), 2) },
    )
  }
  const ticks = ctx.connections(workload)
  const theory = series.some((s) => s.style === 'theory')
  return {
    kind: 'line',
    id: `lab-throughput-${slug(workload)}`,
    title: `Throughput, ${workload}`,
    caption: `Where a line flattens, that topology has run out of workers or CPU: more connections then only add waiting.${theory ? THEORY_CAPTION : ''}`,
    x: { title: 'connections', type: 'logarithmic', ticks },
    y: { title: 'req/s (mean)', type: 'linear', min: 0 },
    series,
    bands: [],
    table: columnsTable(ticks, columns),
  }
}

/** measured ÷ theory at one level, null without a level, a prediction or a response. */
function ratioAt(
  level: Level | undefined,
  measured: (l: Level) => number,
  predicted: (p: NonNullable<Level['prediction']>) => number,
): number | null {
  if (!level?.prediction || level.responses === 0) return null
  return theoryRatio(measured(level), predicted(level.prediction))
}

/**
 * p50 and p99 latency against connections (log y), one pair of lines per
 * topology; a dashed theory line (the model's mean) where predicted, and then
 * the table adds measured mean, theory mean and their ratio. Levels where
 * nothing completed have no latency and draw no point.
 */
export function latencyChart(docs: ResultsDocument[], workload: string): LineChartModel {
  const ctx = new Context(docs)
  const series: LineSeries[] = []
  const columns: Column[] = []
  for (const id of ctx.identities()) {
    const levels = ctx.levels(id, workload)
    if (levels.length === 0) continue
    const answered = levels.filter((l) => l.responses > 0)
    const at = (x: number): Level | undefined => answered.find((l) => l.connections === x)
    const label = ctx.label(id)
    const base = { color: ctx.color(id), axis: 'y' as const, style: 'line' as const }
    series.push({ ...base, label: `${label} p50`, marker: 'circle', points: answered.map((l) => ({ x: l.connections, y: l.p50 })) })
    series.push({ ...base, label: `${label} p99`, marker: 'triangle', points: answered.map((l) => ({ x: l.connections, y: l.p99 })) })
    columns.push({ title: `${label} p50`, at: (x) => fmt(at(x)?.p50, 2) }, { title: `${label} p99`, at: (x) => fmt(at(x)?.p99, 2) })
    const theory = levels.flatMap((l) => (l.prediction ? [{ x: l.connections, y: l.prediction.meanMs }] : []))
    if (theory.length === 0) continue
    series.push({ ...base, style: 'theory', marker: 'circle', label: `${label} ${THEORY}, mean`, points: theory })
    const level = (x: number): Level | undefined => levels.find((l) => l.connections === x)
    columns.push(
      { title: `${label} mean`, at: (x) => fmt(at(x)?.meanMs, 2) },
      { title: `${label} theory mean`, at: (x) => fmt(level(x)?.prediction?.meanMs, 2) },
      { title: `${label} measured ÷ theory`, at: (x) => fmt(ratioAt(at(x), (l) => l.meanMs, (p) => p.meanMs), 2) },
    )
  }
  const theory = series.some((s) => s.style === 'theory')
  const ticks = ctx.connections(workload)
  return {
    kind: 'line',
    id: `lab-latency-${slug(workload)}`,
    title: `Latency p50 and p99, ${workload}`,
    caption:
      'p50 is the typical request, p99 the slowest in a hundred; a line rising with connections means requests queue (log scale).' +
      (theory ? ` Dashed: ${THEORY}, its mean latency.` : ''),
    x: { title: 'connections', type: 'logarithmic', ticks },
    y: { title: 'latency (ms)', type: 'logarithmic' },
    series,
    bands: [],
    table: columnsTable(ticks, columns),
  }
}

/** The HDR latency spectrum of every topology at the workload's highest connection count (x: 1/(1−p), log). */
export function spectrumChart(docs: ResultsDocument[], workload: string): LineChartModel {
  const ctx = new Context(docs)
  const top = ctx.connections(workload).at(-1) ?? 0
  const series: LineSeries[] = []
  const rows = new Map<number, Map<string, number>>()
  for (const id of ctx.identities()) {
    const run = ctx.levels(id, workload).find((l) => l.connections === top)?.runs[0]
    if (!run || run.histogram.length === 0) continue
    const label = ctx.label(id)
    series.push({
      label,
      color: ctx.color(id),
      style: 'line',
      axis: 'y',
      marker: 'circle',
      points: run.histogram.flatMap(([ms, p]) => {
        const x = spectrumX(p)
        return x === null ? [] : [{ x, y: ms }]
      }),
    })
    for (const [ms, p] of run.histogram) rows.set(p, (rows.get(p) ?? new Map<string, number>()).set(label, ms))
  }
  const maxX = Math.max(10, ...series.flatMap((s) => s.points.map((p) => p.x)))
  const percentiles = [...rows.keys()].sort((a, b) => a - b)
  return {
    kind: 'line',
    id: `lab-spectrum-${slug(workload)}`,
    title: `Latency spectrum, ${workload} @${top}`,
    caption: 'Read to the right for rarer requests: a flat line means all took about as long; a late upturn is a tail of slow outliers (the maximum is in the table).',
    x: { title: 'percentile', type: 'logarithmic', format: 'percentile', ticks: spectrumTicks(maxX), min: 1, max: maxX },
    y: { title: 'latency (ms)', type: 'linear', min: 0 },
    series,
    bands: [],
    table: {
      columns: ['percentile', ...series.map((s) => `${s.label} (ms)`)],
      rows: percentiles.map((p) => [p >= 100 ? `${p}% (max)` : `${p}%`, ...series.map((s) => fmt(rows.get(p)?.get(s.label), 2))]),
    },
  }
}

/**
 * One line on whether a run held still after its warm-up, from σ/mean of its
 * per-second req/s: `steady` up to 5 %, `wobbly` up to 20 % (where the
 * `spread-too-wide` warning starts), else `unsteady`.
 */
export function steadiness(run: RunResult): string {
  const { mean: m, stddev } = run.requests.perSecond
  const cv = m > 0 ? stddev / m : 0
  const warmup = run.window?.warmupS ?? run.timeline.filter((p) => p.warmup).length
  if (run.requests.total === 0) return `no response after ${fmt(warmup, 0)} s warm-up: every request was still waiting`
  return `${cv <= 0.05 ? 'steady' : cv <= 0.2 ? 'wobbly' : 'unsteady'} after ${fmt(warmup, 0)} s warm-up: ${fmt(m)} ± ${fmt(stddev)} req/s, p99 ${fmt(run.latencyMs.p99)} ms`
}

/** Per-second req/s (line) and p99 (dots, right axis) of one run; warm-up seconds shaded. */
export function timelineChart(docs: ResultsDocument[], workload: string, topology: string, connections: number): LineChartModel {
  const ctx = new Context(docs)
  const series: LineSeries[] = []
  const bands: Band[] = []
  const captions: string[] = []
  const marks: EventMark[] = []
  docs.forEach((doc, d) => {
    for (const run of doc.runs.filter((r) => r.workload === workload && r.topology === topology && r.connections === connections)) {
      const label = `${ctx.multi ? `${documentLabel(doc)} ` : ''}${run.repeat > 0 ? `repeat ${run.repeat + 1} ` : ''}`
      const color = ctx.color({ doc: d, topology })
      series.push({ label: `${label}req/s`, color, style: 'line', axis: 'y', marker: 'circle', points: run.timeline.map((p) => ({ x: p.t, y: p.perSecond })) })
      series.push({
        label: `${label}p99 ms`,
        color,
        style: 'dots',
        axis: 'y2',
        marker: 'triangle',
        points: run.timeline.flatMap((p) => (p.p99Ms === null ? [] : [{ x: p.t, y: p.p99Ms }])),
      })
      const runMarks = eventMarks(run.events, label === '' ? '' : `${label.trim()}: `)
      marks.push(...runMarks)
      captions.push(`${label}${steadiness(run)}${runMarks.length ? `; marked: ${marksSummary(runMarks)}` : ''}`)
      const lastWarm = run.timeline.filter((p) => p.warmup).at(-1)
      if (lastWarm && !bands.some((b) => b.to === lastWarm.t)) bands.push({ axis: 'x', from: 0, to: lastWarm.t, label: 'warm-up' })
    }
  })
  const table = seriesTable('second', series, String, 1)
  const first = docs.flatMap((doc) => doc.runs).find((r) => r.workload === workload && r.topology === topology && r.connections === connections)
  if (first) {
    table.columns.push('warm-up')
    table.rows.forEach((row) => row.push(first.timeline.find((p) => String(p.t) === row[0])?.warmup ? 'yes' : ''))
  }
  if (marks.length) {
    // each event in the row of the second it happened in: (previous row's t, this row's t]
    table.columns.push('events')
    table.rows.forEach((row, i) => {
      const from = i === 0 ? -Infinity : Number(table.rows[i - 1]?.[0])
      const to = i === table.rows.length - 1 ? Infinity : Number(row[0])
      row.push(marks.filter((m) => m.t > from && m.t <= to).map((m) => m.message).join(' · '))
    })
  }
  return {
    kind: 'line',
    id: `lab-timeline-${slug(workload)}-${slug(topology)}-${connections}`,
    title: `${topology} · ${workload} @${connections}`,
    caption: captions.join('; '),
    x: { title: 'second', type: 'linear', min: 0 },
    y: { title: 'req/s', type: 'linear', min: 0 },
    y2: { title: 'p99 (ms)', type: 'linear', min: 0 },
    series,
    bands,
    table,
    ...(marks.length ? { marks } : {}),
  }
}

type Role = 'master' | 'worker' | 'server' | 'proxy'
const ROLES: Role[] = ['master', 'worker', 'server', 'proxy']
const ROLE_LABEL: Record<Role, string> = { master: 'master', worker: 'workers (sum)', server: 'server', proxy: 'proxy' }

/** Every (document, run) of a workload, in document order. */
function runsOf(docs: ResultsDocument[], workload: string): { doc: number; run: RunResult }[] {
  return docs.flatMap((d, doc) => d.runs.filter((r) => r.workload === workload).map((run) => ({ doc, run })))
}

/** One row per server process and one per load generator: what the CPU and memory charts draw, in full. */
function processTable(ctx: Context, runs: { doc: number; run: RunResult }[]): Table {
  return {
    columns: ['run', 'role', 'pid', 'CPU mean (%)', 'CPU max (%)', 'RSS mean (MiB)', 'RSS max (MiB)', 'requests'],
    rows: runs.flatMap(({ doc, run }) => [
      ...run.processes.map((p) => [
        ctx.runLabel(doc, run),
        p.role,
        String(p.pid),
        fmt(p.cpuPercent.mean),
        fmt(p.cpuPercent.max),
        fmt(p.rssBytes.mean / MiB),
        fmt(p.rssBytes.max / MiB),
        String(p.requests),
      ]),
      [ctx.runLabel(doc, run), 'load generator', '', fmt(run.loadGenerator.cpuPercent.mean), fmt(run.loadGenerator.cpuPercent.max), '', '', ''],
    ]),
  }
}

function runCategory(ctx: Context, doc: number, run: RunResult): string[] {
  const d = ctx.docs[doc]
  return [run.topology, `@${run.connections}`, ...(ctx.multi && d ? [documentLabel(d)] : [])]
}

/** Server CPU % per role (stacked) beside the load generator's CPU %, one bar group per run. */
export function cpuChart(docs: ResultsDocument[], workload: string): BarChartModel {
  const ctx = new Context(docs)
  const runs = runsOf(docs, workload)
  const roles = ROLES.filter((role) => runs.some(({ run }) => run.processes.some((p) => p.role === role)))
  const series: BarSeries[] = roles.map((role) => ({
    label: ROLE_LABEL[role],
    color: ROLE_COLORS[role] ?? PALETTE[0],
    stack: 'server',
    style: 'bar',
    values: runs.map(({ run }) => sum(run.processes.filter((p) => p.role === role).map((p) => p.cpuPercent.mean))),
  }))
  series.push({
    label: 'load generator',
    color: ROLE_COLORS['load generator'] ?? PALETTE[4],
    stack: 'client',
    style: 'bar',
    values: runs.map(({ run }) => run.loadGenerator.cpuPercent.mean),
  })
  return {
    kind: 'bar',
    id: `lab-cpu-${slug(workload)}`,
    title: `CPU, ${workload}`,
    caption: 'Server processes stacked (100 % = one core) beside the load generator; a client above ~85 % measures itself, not the server.',
    categories: runs.map(({ doc, run }) => runCategory(ctx, doc, run)),
    y: { title: 'CPU (% of one core, mean)', type: 'linear', min: 0 },
    series,
    bands: [],
    table: processTable(ctx, runs),
  }
}

/** Resident memory per role (stacked), one bar group per run. */
export function memoryChart(docs: ResultsDocument[], workload: string): BarChartModel {
  const ctx = new Context(docs)
  const runs = runsOf(docs, workload)
  const roles = ROLES.filter((role) => runs.some(({ run }) => run.processes.some((p) => p.role === role)))
  return {
    kind: 'bar',
    id: `lab-memory-${slug(workload)}`,
    title: `Memory (RSS), ${workload}`,
    caption: 'Every pre-forked worker is a whole process with its own memory; one event loop holds all its connections in one.',
    categories: runs.map(({ doc, run }) => runCategory(ctx, doc, run)),
    y: { title: 'RSS (MiB, mean)', type: 'linear', min: 0 },
    series: roles.map((role) => ({
      label: ROLE_LABEL[role],
      color: ROLE_COLORS[role] ?? PALETTE[0],
      stack: 'server',
      style: 'bar',
      values: runs.map(({ run }) => sum(run.processes.filter((p) => p.role === role).map((p) => p.rssBytes.mean / MiB))),
    })),
    bands: [],
    table: processTable(ctx, runs),
  }
}

/** Little's-law ratio (measured mean latency ÷ connections/throughput) of every run as dots, with the ±10 % band. */
export function littlesLawChart(docs: ResultsDocument[]): BarChartModel {
  const ctx = new Context(docs)
  const runs = docs.flatMap((d, doc) => d.runs.map((run) => ({ doc, run })))
  const ratios = runs.flatMap(({ run }) => (run.littlesLaw.ratio === null ? [] : [run.littlesLaw.ratio]))
  return {
    kind: 'bar',
    id: 'lab-littles-law',
    title: "Little's law check",
    caption: 'Mean latency should equal connections ÷ throughput: a dot outside the shaded 0.9–1.1 band means the measurement is suspect.',
    categories: runs.map(({ doc, run }) => [run.topology, run.workload, ...runCategory(ctx, doc, run).slice(1)]),
    y: {
      title: 'measured ÷ expected',
      type: 'linear',
      min: Math.min(0.8, Math.floor((Math.min(...ratios) - 0.05) * 10) / 10),
      max: Math.max(1.2, Math.ceil((Math.max(...ratios) + 0.05) * 10) / 10),
    },
    series: docs.map((d, doc) => ({
      label: ctx.multi ? documentLabel(d) : 'measured ÷ expected',
      color: PALETTE[doc % PALETTE.length] ?? PALETTE[0],
      stack: `doc${doc}`,
      style: 'dots',
      values: runs.map((r) => (r.doc === doc ? r.run.littlesLaw.ratio : null)),
    })),
    bands: [{ axis: 'y', from: 0.9, to: 1.1, label: '±10 %' }],
    table: {
      columns: ['run', 'connections', 'req/s', 'expected mean (ms)', 'measured mean (ms)', 'ratio'],
      rows: runs.map(({ doc, run }) => [
        ctx.runLabel(doc, run),
        String(run.connections),
        fmt(run.requests.perSecond.mean),
        fmt(run.littlesLaw.expectedMeanMs, 2),
        fmt(run.littlesLaw.measuredMeanMs, 2),
        fmt(run.littlesLaw.ratio, 3),
      ]),
    },
  }
}

// ----------------------------------------------------------------- warnings

/** Plain words for the warning catalogue's codes: what it means and what to do. */
export const WARNING_TEXT: Record<string, { title: string; explanation: string }> = {
  'littles-law-mismatch': {
    title: "Little's law does not hold",
    explanation:
      'In a closed loop the mean latency must equal connections ÷ throughput. It does not here, so the measurement itself is wrong (the load generator timed something else); do not trust this run’s latencies.',
  },
  'client-saturated': {
    title: 'The load generator was the bottleneck',
    explanation:
      'autocannon runs on one core and used most of it, so these numbers measure the client, not the server. Use fewer connections or a heavier workload per request.',
  },
  'errors-seen': {
    title: 'Some requests failed',
    explanation:
      'Timeouts, resets or non-2xx answers were counted. Throughput and latency only describe the requests that succeeded; look at the errors table.',
  },
  'spread-too-wide': {
    title: 'Throughput never settled',
    explanation:
      'Requests per second changed a lot from second to second, so the mean hides an unstable run. Look at its timeline, then measure longer or repeat.',
  },
  'run-too-short': {
    title: 'Too few responses',
    explanation: 'So few responses were measured that the percentiles are noise. Measure longer, or drop --quick.',
  },
  'model-mismatch': {
    title: 'Theory and measurement disagree',
    explanation:
      'The queueing model’s req/s (the dashed lines) is more than 15 % away from what was measured. Either the measurement is off (a saturated client, errors, a short run) or the model leaves out something that happened: that difference is worth explaining.',
  },
  'no-responses': {
    title: 'Nothing was answered',
    explanation:
      'Not one response completed in the measured window: every connection was waiting on a request that never came back (held workers, hung requests, a dead server). Its latencies are empty, not zero.',
  },
}

function warningViews(ctx: Context): WarningView[] {
  return ctx.docs.flatMap((doc, d) =>
    doc.warnings.map((w) => {
      const run = w.run === undefined ? undefined : doc.runs[w.run]
      const text = WARNING_TEXT[w.code] ?? { title: w.code, explanation: '' }
      return { code: w.code, ...text, message: w.message, run: run ? ctx.runLabel(d, run) : '' }
    }),
  )
}

// ------------------------------------------------------------ whole report

function environmentTable(docs: ResultsDocument[]): Table {
  const rows: [string, (d: ResultsDocument) => string][] = [
    ['host', (d) => d.env.hostname ?? 'host'],
    ['stack', (d) => d.stack],
    ['CPU', (d) => d.env.cpuModel],
    ['cores', (d) => String(d.env.cores)],
    ['memory', (d) => `${fmt(d.env.memoryBytes / 1024 ** 3)} GiB`],
    ['OS', (d) => `${d.env.os}, kernel ${d.env.kernel}`],
    ['Node', (d) => d.env.node],
    ['lab', (d) => d.env.lab],
    [
      'engines',
      (d) => Object.entries(d.env.engines).map(([k, v]) => `${k} ${v}`).join(', ') || 'built-in (pure Node)',
    ],
    ['started', (d) => fmtDate(d.startedAt)],
    ['finished', (d) => (d.finishedAt ? fmtDate(d.finishedAt) : 'not finished')],
    ['command', reproduceCommand],
  ]
  return {
    columns: ['', ...docs.map(documentLabel)],
    rows: rows.map(([name, get]) => [name, ...docs.map(get)]),
  }
}

/** Everything the report page shows, derived from the documents (no DOM). */
export function buildReport(docs: ResultsDocument[]): ReportModel {
  const ctx = new Context(docs)
  const names = uniq(docs.map((d) => d.scenario.name))
  const notices: string[] = []
  if (names.length > 1) {
    notices.push(`These documents come from different scenarios (${names.join(', ')}); their charts are drawn together but do not measure the same thing.`)
  }
  for (const doc of docs) {
    if (!doc.complete) {
      const who = ctx.multi ? `${documentLabel(doc)}: the run` : 'The run'
      notices.push(`${who} was interrupted; this shows the ${doc.runs.length} level(s) measured before it stopped.`)
    }
  }
  const perWorkload = (fn: (docs: ResultsDocument[], w: string) => ChartModel): ChartModel[] => ctx.workloads.map((w) => fn(docs, w))
  const timelineKeys = uniq(docs.flatMap((d) => d.runs.map((r) => JSON.stringify([r.workload, r.topology, r.connections]))))
  const errorRuns = docs.flatMap((d, doc) => d.runs.map((run) => ({ doc, run })))
  const first = docs[0]
  return {
    title: names.length === 1 && first ? first.scenario.title : `${docs.length} results from ${names.length} scenarios`,
    subtitle: docs.map((d) => `${d.scenario.name} · ${documentLabel(d)}`).join('  |  '),
    notices,
    verdicts: verdicts(docs),
    sections: [
      {
        id: 'lab-throughput',
        title: 'Throughput',
        caption: 'Requests per second against the number of concurrent connections.',
        layout: 'wide',
        charts: perWorkload(throughputChart),
      },
      {
        id: 'lab-latency',
        title: 'Latency',
        caption: 'How long one request took, typical (p50) and slow (p99).',
        layout: 'wide',
        charts: perWorkload(latencyChart),
      },
      {
        id: 'lab-spectrum',
        title: 'Latency spectrum',
        caption: 'Every percentile at the highest connection count, HDR style.',
        layout: 'wide',
        charts: perWorkload(spectrumChart),
      },
      {
        id: 'lab-timeline',
        title: 'Second by second',
        caption: 'Each run as it happened: req/s (line, left axis) and p99 (triangles, right axis). Shaded seconds are warm-up, left out of the statistics; after them both should be flat.',
        layout: 'grid',
        charts: timelineKeys.map((k) => {
          const [w, t, c] = JSON.parse(k) as [string, string, number]
          return timelineChart(docs, w, t, c)
        }),
      },
      ...[proxySection(docs)].filter((s): s is Section => s !== undefined),
      {
        id: 'lab-resources',
        title: 'CPU and memory',
        caption: 'Sampled from /proc over the measured window.',
        layout: 'wide',
        charts: [...perWorkload(cpuChart), ...perWorkload(memoryChart)],
      },
      {
        id: 'lab-checks',
        title: 'Checks',
        caption: "The lab's self-check: does the measurement agree with Little's law?",
        layout: 'wide',
        charts: [littlesLawChart(docs)],
      },
    ],
    warnings: warningViews(ctx),
    errorsTotal: sum(errorRuns.map(({ run }) => run.errors.total)),
    errors: {
      columns: ['run', 'requests', 'errors', 'timeouts', 'resets', 'non-2xx', 'status codes'],
      rows: errorRuns.map(({ doc, run }) => [
        ctx.runLabel(doc, run),
        String(run.requests.total),
        String(run.errors.total),
        String(run.errors.timeouts),
        String(run.errors.resets),
        String(run.errors.non2xx),
        Object.entries(run.errors.byStatus).map(([s, n]) => `${s}: ${n}`).join(', '),
      ]),
    },
    environment: environmentTable(docs),
    commands: uniq(docs.map(reproduceCommand)),
  }
}
