/**
 * The open-loop charts (docs/open-loop.md): latency from the intended send
 * against the offered rate (the hockey stick) with the open-loop model's mean
 * dashed, and per open-loop run its seconds: offered vs answered req/s and
 * p99. Pure.
 */
import { loadLabel } from '../../../lab/core/labels.js'
import type { ResultsDocument, RunResult } from '../../../lab/core/results.js'
import { Context } from './context.js'
import { fmt, seriesTable, slug, uniq } from './format.js'
import { t } from '../../../lab/core/i18n.js'
import { THEORY } from './theory.js'
import type { Band, LineChartModel, LineSeries } from './types.js'
import { logAxis } from '../panels/log-ticks.js'

const openRuns = (doc: ResultsDocument, workload: string): RunResult[] => doc.runs.filter((r) => r.workload === workload && r.openLoop)

/** Workloads with open-loop runs in any document. */
export function openWorkloads(docs: ResultsDocument[]): string[] {
  return uniq(docs.flatMap((d) => d.runs.filter((r) => r.openLoop).map((r) => r.workload)))
}

/** Mean and p99 from the intended send against the offered rate, one pair per topology, the theory mean dashed. */
export function hockeyStickChart(docs: ResultsDocument[], workload: string): LineChartModel {
  const ctx = new Context(docs)
  const series: LineSeries[] = []
  docs.forEach((doc, d) => {
    for (const topology of uniq(openRuns(doc, workload).map((r) => r.topology))) {
      const runs = openRuns(doc, workload).filter((r) => r.topology === topology && r.requests.total > 0)
      const rate = (r: RunResult) => r.openLoop?.ratePerSecond ?? 0
      const base = { color: ctx.color({ doc: d, topology }), axis: 'y' as const, style: 'line' as const }
      const label = `${ctx.multi ? `${ctx.docLabel(d)} ` : ''}${topology}`
      series.push({ ...base, label: `${label} mean`, marker: 'circle', points: runs.map((r) => ({ x: rate(r), y: r.latencyMs.mean })) })
      series.push({ ...base, label: `${label} p99`, marker: 'triangle', points: runs.map((r) => ({ x: rate(r), y: r.latencyMs.p99 })) })
      const theory = openRuns(doc, workload).filter((r) => r.topology === topology && r.prediction)
      if (theory.length) series.push({ ...base, style: 'theory', marker: 'circle', label: `${label} ${t('charts.modelMean', { model: THEORY() })}`, points: theory.map((r) => ({ x: rate(r), y: r.prediction?.meanMs ?? 0 })) })
    }
  })
  return {
    kind: 'line',
    id: `lab-open-latency-${slug(workload)}`,
    title: t('beside.openOf', { workload }),
    caption: t('beside.openCaption', { dashed: t('charts.dashed'), theory: THEORY() }),
    x: { title: t('beside.offeredAxis'), type: 'linear', min: 0, step: 10 },
    y: { title: t('report.axisLatency'), type: 'logarithmic', ...logAxis(series.flatMap((s) => s.points.map((p) => p.y))) },
    series,
    bands: [],
    table: seriesTable(t('beside.offered'), series, String, 1),
  }
}

/** One open-loop run second by second: offered and answered req/s (left), p99 from the intended send (right). */
export function openTimelineChart(docs: ResultsDocument[], doc: number, run: RunResult): LineChartModel {
  const ctx = new Context(docs)
  const color = ctx.color({ doc, topology: run.topology })
  const series: LineSeries[] = [
    { label: t('beside.offered'), color, style: 'theory', axis: 'y', marker: 'circle', points: run.timeline.flatMap((p) => (p.offeredPerSecond === undefined ? [] : [{ x: p.t, y: p.offeredPerSecond }])) },
    { label: t('beside.answered'), color, style: 'line', axis: 'y', marker: 'circle', points: run.timeline.map((p) => ({ x: p.t, y: p.perSecond })) },
    { label: 'p99 ms', color, style: 'dots', axis: 'y2', marker: 'triangle', points: run.timeline.flatMap((p) => (p.p99Ms === null ? [] : [{ x: p.t, y: p.p99Ms }])) },
  ]
  const lastWarm = run.timeline.filter((p) => p.warmup).at(-1)
  const bands: Band[] = lastWarm ? [{ axis: 'x', from: 0, to: lastWarm.t, label: t('beside.warmup') }] : []
  const o = run.openLoop
  return {
    kind: 'line',
    id: `lab-open-timeline-${slug(run.workload)}-${slug(run.topology)}-${o?.ratePerSecond ?? 0}-${run.repeat}`,
    title: `${run.topology} · ${run.workload} ${loadLabel(run)}`,
    caption: o ? t('beside.openTimelineCaption', { offered: fmt(o.offeredPerSecond, 1), answered: fmt(o.answeredPerSecond, 1), dropped: o.dropped, inFlight: o.inFlightAtEnd }) : '',
    x: { title: t('report.axisSecond'), type: 'linear', min: 0 },
    y: { title: 'req/s', type: 'linear', min: 0 },
    y2: { title: 'p99 (ms)', type: 'linear', min: 0 },
    series,
    bands,
    table: seriesTable(t('beside.second'), series, String, 1),
  }
}
