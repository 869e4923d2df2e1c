/**
 * The live page's charts and verdicts: req/s and p99 second by second, and
 * the report's own throughput chart and verdicts from the levels measured so
 * far (the same chart models the report draws). Pure.
 */
import type { PlanEvent, SampleEvent } from '../../../lab/core/events.js'
import { Context } from '../report/context.js'
import { PALETTE, fmt, seriesTable } from '../report/format.js'
import { throughputChart } from '../report/throughput.js'
import type { Band, ChartModel, LineChartModel, LineSeries, Verdict, WarningView } from '../report/types.js'
import { verdicts } from '../report/verdicts.js'
import { warningViews } from '../report/warnings.js'
import { activeSeconds, partialDocument, type LiveState } from './state.js'
import { logTicks } from '../panels/log-ticks.js'
import { t } from '../../../lab/core/i18n.js'

/** Colour of a topology: its place in the plan, as the report colours it. */
function colorOf(state: LiveState, topology: string): string {
  const i = state.plan?.topologies.findIndex((t) => t.id === topology) ?? 0
  return PALETTE[Math.max(0, i) % PALETTE.length] ?? PALETTE[0]
}

/** Seconds since the run's plan, held time left out (state.ts `activeSeconds`), one decimal. */
function runSeconds(state: LiveState, at: number): number {
  return state.plan ? activeSeconds(state.plan, state.holds, at) : 0
}

/** The workloads of the plan, in order. */
function planWorkloads(state: LiveState): string[] {
  return [...new Set(state.plan?.levels.map((l) => l.workload) ?? [])]
}

/** A colour made faint (the previous run's lines): `#rrggbb` with 40 % opacity. */
const faint = (color: string): string => `${color}66`

function niceStep(range: number): number {
  return range <= 20 ? 1 : range <= 60 ? 5 : range <= 150 ? 10 : range <= 400 ? 30 : 60
}

/** The x axis of the live charts: run seconds, wide enough for the whole estimated run so lines grow left to right. */
function timeAxis(state: LiveState): LineChartModel['x'] {
  const last = state.samples.at(-1)
  const prev = state.previous
  const prevLast = prev?.samples.at(-1)
  const lastX = Math.max(last ? runSeconds(state, last.at) : 0, prev && prevLast ? activeSeconds(prev.plan, prev.holds, prevLast.at) : 0)
  const plan = state.plan
  const expected = plan ? plan.estimatedS * 1.15 + plan.topologies.length * 0.5 + 1 : 10
  const max = Math.ceil(Math.max(expected, lastX + 1))
  return { title: 'seconds since Run', type: 'linear', min: 0, max, step: niceStep(max) }
}

/** One band per started level, labelled `@connections` (with the workload when there are several), every other one shaded. */
function levelBands(state: LiveState, workload?: string): Band[] {
  const workloads = new Set(state.plan?.levels.map((l) => l.workload) ?? [])
  const lastAt = state.samples.at(-1)?.at
  return state.levels.flatMap((l, i): Band[] => {
    if (l.startedAt === undefined || (workload !== undefined && l.level.workload !== workload)) return []
    const end = l.endedAt ?? Math.max(lastAt ?? l.startedAt, l.startedAt)
    const label = `${workloads.size > 1 ? `${l.level.workload} ` : ''}@${l.level.connections}`
    return [{ axis: 'x', from: runSeconds(state, l.startedAt), to: runSeconds(state, end), label, shade: i % 2 === 0 }]
  })
}

/**
 * A line per topology of one figure of the samples of `workload` (all when
 * undefined), then the previous run's lines of the same workload, faint and
 * labelled `before (<its options>)`.
 */
function sampleSeries(state: LiveState, y: (s: SampleEvent) => number | null, marker: LineSeries['marker'], workload?: string): LineSeries[] {
  const ids = state.plan?.topologies.map((t) => t.id) ?? []
  const of = (plan: PlanEvent, s: SampleEvent) => workload === undefined || plan.levels[s.level]?.workload === workload
  const current = ids
    .map((id) => ({
      label: id,
      color: colorOf(state, id),
      style: 'line' as const,
      axis: 'y' as const,
      marker,
      points: state.samples.flatMap((s) => {
        const v = s.topology === id && state.plan && of(state.plan, s) ? y(s) : null
        return v === null ? [] : [{ x: runSeconds(state, s.at), y: v }]
      }),
    }))
    .filter((s) => s.points.length > 0 || ids.length <= 3)
  const prev = state.previous
  if (!prev) return current
  const before = prev.plan.topologies.map((t, i) => ({
    label: `${t.id} · before (${prev.label})`,
    color: faint(PALETTE[i % PALETTE.length] ?? PALETTE[0]),
    style: 'line' as const,
    axis: 'y' as const,
    marker,
    points: prev.samples.flatMap((s) => {
      const v = s.topology === t.id && of(prev.plan, s) ? y(s) : null
      return v === null ? [] : [{ x: activeSeconds(prev.plan, prev.holds, s.at), y: v }]
    }),
  }))
  return [...current, ...before.filter((s) => s.points.length > 0)]
}

/** The chart id of a live chart: `base` with one workload (or none yet), `base-<workload>` with several. */
function chartId(state: LiveState, base: string, workload: string | undefined): string {
  return workload !== undefined && planWorkloads(state).length > 1 ? `${base}-${workload}` : base
}

/** One chart per workload of the plan (one chart before a plan), each with its own y axis. */
function perWorkload(state: LiveState, chart: (workload: string | undefined) => LineChartModel): LineChartModel[] {
  const ws = planWorkloads(state)
  return ws.length ? ws.map((w) => chart(w)) : [chart(undefined)]
}

/** The live throughput charts: one per workload, so a cpu-bound workload's few req/s are not flattened under an io-bound one's scale. */
export function liveThroughputCharts(state: LiveState): LineChartModel[] {
  return perWorkload(state, (w) => liveThroughputChart(state, w))
}

/** The live p99 charts, one per workload. */
export function liveLatencyCharts(state: LiveState): LineChartModel[] {
  return perWorkload(state, (w) => liveLatencyChart(state, w))
}

/** Requests per second, second by second, one line per topology (of `workload`, or all); levels marked along the time axis. */
export function liveThroughputChart(state: LiveState, workload?: string): LineChartModel {
  const series = sampleSeries(state, (s) => s.perSecond, 'circle', workload)
  return {
    kind: 'line',
    id: chartId(state, 'live-throughput', workload),
    title: `${t('live.liveThroughput')}${workload !== undefined && planWorkloads(state).length > 1 ? ` · ${workload}` : ''}`,
    caption: `${t('livePage.throughputCaption')}${state.previous ? t('livePage.previousCaption') : ''}${state.holds.length ? t('livePage.holdsCaption') : ''}`,
    x: timeAxis(state),
    y: { title: 'req/s', type: 'linear', min: 0 },
    series,
    bands: levelBands(state, workload),
    table: seriesTable(t('beside.second'), series, fmt, 0),
  }
}

/** p99 latency, second by second (log scale), one line per topology (of `workload`, or all). */
export function liveLatencyChart(state: LiveState, workload?: string): LineChartModel {
  const series = sampleSeries(state, (s) => (s.p99Ms !== null && s.p99Ms > 0 ? s.p99Ms : null), 'triangle', workload)
  const ys = series.flatMap((s) => s.points.map((p) => p.y))
  const axis = ys.length ? logTicks(Math.min(...ys), Math.max(...ys)) : { ticks: [10, 20, 50, 100], min: 10, max: 100 }
  return {
    kind: 'line',
    id: chartId(state, 'live-latency', workload),
    title: `${t('livePage.latencyTitle')}${workload !== undefined && planWorkloads(state).length > 1 ? ` · ${workload}` : ''}`,
    caption: t('livePage.latencyCaption'),
    x: timeAxis(state),
    y: { title: 'p99 (ms)', type: 'logarithmic', ...axis },
    series,
    bands: levelBands(state, workload),
    table: seriesTable(t('beside.second'), series, fmt, 1),
  }
}

/** The throughput-against-connections chart of the report, per workload, from the levels measured so far. */
export function ladderCharts(state: LiveState): ChartModel[] {
  const doc = partialDocument(state)
  if (!doc || state.runs.length === 0) return []
  const workloads = [...new Set(state.runs.map((r) => r.workload))]
  // a workload measured at one level so far is drawn per topology, with its own caption
  return workloads.map((w) => {
    const chart = throughputChart([doc], w)
    return chart.kind === 'line' ? { ...chart, caption: t('livePage.ladderCaption') } : chart
  })
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
