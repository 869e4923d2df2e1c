/**
 * The live page's charts and verdicts: req/s and p99 second by second, and
 * the report's own throughput chart and verdicts from the levels measured so
 * far (the same chart models the report draws). Pure.
 */
import type { SampleEvent } from '../../../lab/core/events.js'
import { Context } from '../report/context.js'
import { PALETTE, fmt, seriesTable } from '../report/format.js'
import { throughputChart } from '../report/throughput.js'
import type { Band, LineChartModel, LineSeries, Verdict, WarningView } from '../report/types.js'
import { verdicts } from '../report/verdicts.js'
import { warningViews } from '../report/warnings.js'
import { partialDocument, type LiveState } from './state.js'
import { t } from '../../../lab/core/i18n.js'

/** Colour of a topology: its place in the plan, as the report colours it. */
function colorOf(state: LiveState, topology: string): string {
  const i = state.plan?.topologies.findIndex((t) => t.id === topology) ?? 0
  return PALETTE[Math.max(0, i) % PALETTE.length] ?? PALETTE[0]
}

/** Seconds since the run's plan, one decimal. */
function runSeconds(state: LiveState, at: number): number {
  return Math.round((at - (state.plan?.at ?? at)) / 100) / 10
}

function niceStep(range: number): number {
  return range <= 20 ? 1 : range <= 60 ? 5 : range <= 150 ? 10 : range <= 400 ? 30 : 60
}

/** The x axis of the live charts: run seconds, wide enough for the whole estimated run so lines grow left to right. */
function timeAxis(state: LiveState): LineChartModel['x'] {
  const last = state.samples.at(-1)
  const lastX = last ? runSeconds(state, last.at) : 0
  const plan = state.plan
  const expected = plan ? plan.estimatedS * 1.15 + plan.topologies.length * 0.5 + 1 : 10
  const max = Math.ceil(Math.max(expected, lastX + 1))
  return { title: 'seconds since Run', type: 'linear', min: 0, max, step: niceStep(max) }
}

/** One band per started level, labelled `@connections` (with the workload when there are several), every other one shaded. */
function levelBands(state: LiveState): Band[] {
  const workloads = new Set(state.plan?.levels.map((l) => l.workload) ?? [])
  const lastAt = state.samples.at(-1)?.at
  return state.levels.flatMap((l, i): Band[] => {
    if (l.startedAt === undefined) return []
    const end = l.endedAt ?? Math.max(lastAt ?? l.startedAt, l.startedAt)
    const label = `${workloads.size > 1 ? `${l.level.workload} ` : ''}@${l.level.connections}`
    return [{ axis: 'x', from: runSeconds(state, l.startedAt), to: runSeconds(state, end), label, shade: i % 2 === 0 }]
  })
}

/** A line per topology of one figure of the samples. */
function sampleSeries(state: LiveState, y: (s: SampleEvent) => number | null, marker: LineSeries['marker']): LineSeries[] {
  const ids = state.plan?.topologies.map((t) => t.id) ?? []
  return ids
    .map((id) => ({
      label: id,
      color: colorOf(state, id),
      style: 'line' as const,
      axis: 'y' as const,
      marker,
      points: state.samples.flatMap((s) => {
        const v = s.topology === id ? y(s) : null
        return v === null ? [] : [{ x: runSeconds(state, s.at), y: v }]
      }),
    }))
    .filter((s) => s.points.length > 0 || ids.length <= 3)
}

/** Requests per second, second by second, one line per topology; levels marked along the time axis. */
export function liveThroughputChart(state: LiveState): LineChartModel {
  const series = sampleSeries(state, (s) => s.perSecond, 'circle')
  return {
    kind: 'line',
    id: 'live-throughput',
    title: t('live.liveThroughput'),
    caption: 'Responses completed each second. Each shaded or labelled stretch is one level (@ = connections); a line that stops rising as connections grow has run out of workers or CPU.',
    x: timeAxis(state),
    y: { title: 'req/s', type: 'linear', min: 0 },
    series,
    bands: levelBands(state),
    table: seriesTable('second', series, fmt, 0),
  }
}

/**
 * Ticks of a log axis on the 1-2-5 sequence covering `[lo, hi]`, with the
 * axis bounds on ticks: 47..840 → 20, 50, 100, 200, 500, 1000.
 */
export function logTicks(lo: number, hi: number): { ticks: number[]; min: number; max: number } {
  const steps = [1, 2, 5]
  const all: number[] = []
  for (let e = -3; e <= 7; e++) for (const s of steps) all.push(Number((s * 10 ** e).toPrecision(1)))
  const min = [...all].reverse().find((t) => t <= lo) ?? all[0] ?? 0.001
  const max = all.find((t) => t >= hi) ?? all.at(-1) ?? 1e7
  const ticks = all.filter((t) => t >= min && t <= max)
  return { ticks, min, max }
}

/** p99 latency, second by second (log scale), one line per topology. */
export function liveLatencyChart(state: LiveState): LineChartModel {
  const series = sampleSeries(state, (s) => (s.p99Ms !== null && s.p99Ms > 0 ? s.p99Ms : null), 'triangle')
  const ys = series.flatMap((s) => s.points.map((p) => p.y))
  const axis = ys.length ? logTicks(Math.min(...ys), Math.max(...ys)) : { ticks: [10, 20, 50, 100], min: 10, max: 100 }
  return {
    kind: 'line',
    id: 'live-latency',
    title: 'p99 latency, live',
    caption: '99 % of the requests completed in each second took less than this (log scale): queueing shows up here first.',
    x: timeAxis(state),
    y: { title: 'p99 (ms)', type: 'logarithmic', ...axis },
    series,
    bands: levelBands(state),
    table: seriesTable('second', series, fmt, 1),
  }
}

/** The throughput-against-connections chart of the report, per workload, from the levels measured so far. */
export function ladderCharts(state: LiveState): LineChartModel[] {
  const doc = partialDocument(state)
  if (!doc || state.runs.length === 0) return []
  const workloads = [...new Set(state.runs.map((r) => r.workload))]
  return workloads.map((w) => ({ ...throughputChart([doc], w), caption: 'Mean req/s of each measured level against its connections (the report draws the same chart).' }))
}

/** The verdict lines of the report, from the levels measured so far (empty until two topologies share a level). */
export function liveVerdicts(state: LiveState): Verdict[] {
  const doc = partialDocument(state)
  return doc && doc.runs.length ? verdicts([doc]) : []
}

/** The warnings raised so far, as the report lists them (title, explanation, the run they are about). */
export function liveWarnings(state: LiveState): WarningView[] {
  const doc = partialDocument(state)
  return doc ? warningViews(new Context([doc])) : []
}
