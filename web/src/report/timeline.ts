/**
 * A run second by second: req/s and p99 per second (and errors per second
 * when there were any: a deploy's spike), the warm-up shaded, the lab's
 * worker and deploy events marked. A trailing part-second is drawn hollow at the
 * responses it holds, reached by a dashed segment: never scaled up to a rate.
 * Pure.
 */
import { fmtRate, repeatLabel } from '../../../lab/core/labels.js'
import type { ResultsDocument, RunResult } from '../../../lab/core/results.js'
import { eventMarks, eventsPerRow, marksSummary, type EventMark } from './annotations.js'
import { Context } from './context.js'
import { fmt, seriesTable, slug } from './format.js'
import type { Band, LineChartModel, LineSeries } from './types.js'
import { t } from '../../../lab/core/i18n.js'

/**
 * One line on whether a run held still after its warm-up, from σ/mean of its
 * per-second req/s: `steady` up to 5 %, `wobbly` up to 20 % (where the
 * `spread-too-wide` warning starts), else `unsteady`.
 */
export function steadiness(run: RunResult): string {
  const ps = run.requests.perSecond
  const cv = ps.mean > 0 ? ps.stddev / ps.mean : 0
  const warmup = run.window?.warmupS ?? run.timeline.filter((p) => p.warmup).length
  if (run.requests.total === 0) return t('beside.noResponse', { warmup: fmt(warmup, 0) })
  const how = t(ps.n !== undefined && ps.n < 2 ? 'beside.oneSecond' : cv <= 0.05 ? 'beside.steady' : cv <= 0.2 ? 'beside.wobbly' : 'beside.unsteady')
  return t('beside.afterWarmup', { how, warmup: fmt(warmup, 1), rate: fmtRate(ps, 1, 'req/s'), p99: fmt(run.latencyMs.p99) })
}

/** The errors line's colour: vermilion of the Okabe–Ito palette, apart from the runs' colours. */
const ERROR_COLOR = '#D55E00'

/** Per-second req/s (line) and p99 (dots, right axis) of one run, and its errors per second (line) when it had any; warm-up seconds shaded. */
export function timelineChart(docs: ResultsDocument[], workload: string, topology: string, connections: number): LineChartModel {
  const ctx = new Context(docs)
  const series: LineSeries[] = []
  const bands: Band[] = []
  const captions: string[] = []
  const marks: EventMark[] = []
  docs.forEach((doc, d) => {
    for (const run of doc.runs.filter((r) => r.workload === workload && r.topology === topology && r.connections === connections)) {
      const label = `${ctx.multi ? `${ctx.docLabel(d)} ` : ''}${repeatLabel(run.repeat) && `${repeatLabel(run.repeat)} `}`
      const color = ctx.color({ doc: d, topology })
      series.push({ label: `${label}req/s`, color, style: 'line', axis: 'y', marker: 'circle', points: run.timeline.map((p) => ({ x: p.t, y: p.perSecond, ...(p.partial ? { partial: true } : {}) })) })
      series.push({
        label: `${label}p99 ms`,
        color,
        style: 'dots',
        axis: 'y2',
        marker: 'triangle',
        points: run.timeline.flatMap((p) => (p.p99Ms === null ? [] : [{ x: p.t, y: p.p99Ms }])),
      })
      // the error spike of a deploy or a crash, in the same seconds as the req/s (a part-second holds its count, not a rate)
      if (run.timeline.some((p) => p.errors > 0)) {
        series.push({ label: `${label}${t('beside.errorsPerS')}`, color: ERROR_COLOR, style: 'line', axis: 'y', marker: 'triangle', points: run.timeline.map((p) => ({ x: p.t, y: p.errors, ...(p.partial ? { partial: true } : {}) })) })
      }
      const runMarks = eventMarks(run.events, label === '' ? '' : `${label.trim()}: `)
      marks.push(...runMarks)
      const part = run.timeline.find((p) => p.partial)
      const partNote = part ? t('beside.hollowPoint', { width: fmt(part.widthS ?? 0, 2) }) : ''
      captions.push(`${label}${steadiness(run)}${runMarks.length ? t('beside.marked', { marks: marksSummary(runMarks) }) : ''}${partNote}`)
      const lastWarm = run.timeline.filter((p) => p.warmup).at(-1)
      if (lastWarm && !bands.some((b) => b.to === lastWarm.t)) bands.push({ axis: 'x', from: 0, to: lastWarm.t, label: t('beside.warmup') })
    }
  })
  const table = seriesTable(t('beside.second'), series, String, 1)
  const first = docs.flatMap((doc) => doc.runs).find((r) => r.workload === workload && r.topology === topology && r.connections === connections)
  if (first) {
    table.columns.push(t('beside.warmup'))
    table.rows.forEach((row) => row.push(first.timeline.find((p) => String(p.t) === row[0])?.warmup ? t('beside.yes') : ''))
    const partial = first.timeline.find((p) => p.partial)
    if (partial) {
      table.columns.push(t('beside.partSecond'))
      table.rows.forEach((row) => row.push(String(partial.t) === row[0] ? t('beside.partCell', { width: fmt(partial.widthS ?? 0, 2) }) : ''))
    }
  }
  if (marks.length) {
    // each event in the row of the second it happened in: (previous row's t, this row's t]
    table.columns.push(t('beside.events'))
    const cells = eventsPerRow(table.rows.map((row) => Number(row[0])), marks)
    table.rows.forEach((row, i) => row.push(cells[i] ?? ''))
  }
  return {
    kind: 'line',
    id: `lab-timeline-${slug(workload)}-${slug(topology)}-${connections}`,
    title: `${topology} · ${workload} @${connections}`,
    caption: captions.join('; '),
    x: { title: t('report.axisSecond'), type: 'linear', min: 0 },
    y: { title: 'req/s', type: 'linear', min: 0 },
    y2: { title: 'p99 (ms)', type: 'linear', min: 0 },
    series,
    bands,
    table,
    ...(marks.length ? { marks } : {}),
  }
}
