/**
 * The workers' memory over time, for runs whose results hold `workerMemory`
 * (lab/core/results-memory.ts): per run, the largest single worker's RSS and
 * the workers' summed RSS at each /proc reading of the measured window, with
 * the worker exits and boots marked, so a leaking app's saw-tooth and the
 * synchronized drop of `max_requests` without jitter show. Pure.
 */
import { loadLabel } from '../../../lab/core/labels.js'
import type { ResultsDocument, RunResult, WorkerMemory } from '../../../lab/core/results.js'
import { t } from '../../../lab/core/i18n.js'
import { eventMarks, eventsPerRow, marksSummary } from './annotations.js'
import { Context } from './context.js'
import { MiB, PALETTE, fmt, seriesTable, slug } from './format.js'
import type { LineChartModel, LineSeries, Section } from './types.js'

/** The summed line's colour (Okabe–Ito orange), apart from the run's own colour of the largest worker. */
const SUM_COLOR = PALETTE[4]

/** Each (document, run) whose results hold a worker memory series, in document order. */
function runsWithMemory(docs: ResultsDocument[]): { doc: number; run: RunResult; memory: WorkerMemory }[] {
  return docs.flatMap((d, doc) => d.runs.flatMap((run) => (run.workerMemory?.points.length ? [{ doc, run, memory: run.workerMemory }] : [])))
}

/**
 * One run's workers' memory: the largest worker (left axis) and all workers
 * summed (right axis), MiB against seconds since the level's load started,
 * the events of the measured window marked.
 */
export function workerMemoryChart(docs: ResultsDocument[], doc: number, run: RunResult, memory: WorkerMemory): LineChartModel {
  const ctx = new Context(docs)
  const series: LineSeries[] = [
    { label: t('report.seriesMaxRss'), color: ctx.color({ doc, topology: run.topology }), style: 'line', axis: 'y', marker: 'circle', points: memory.points.map((p) => ({ x: p.t, y: p.maxRssBytes / MiB })) },
    { label: t('report.seriesSumRss'), color: SUM_COLOR, style: 'line', axis: 'y2', marker: 'triangle', points: memory.points.map((p) => ({ x: p.t, y: p.sumRssBytes / MiB })) },
  ]
  // the series covers the measured window only: its events, not the warm-up's
  const windowFrom = run.window?.warmupS ?? memory.points[0]?.t ?? 0
  const marks = eventMarks(run.events).filter((m) => m.t >= windowFrom)
  const table = seriesTable(t('report.axisSecond'), series, (x) => fmt(x, 2), 1)
  table.columns.push(t('report.workersRead'))
  table.rows.forEach((row, i) => row.push(String(memory.points[i]?.workers ?? '')))
  if (marks.length) {
    table.columns.push('events')
    const cells = eventsPerRow(memory.points.map((p) => p.t), marks)
    table.rows.forEach((row, i) => row.push(cells[i] ?? ''))
  }
  const range = (ys: number[]) => ({ low: fmt(Math.min(...ys) / MiB), high: fmt(Math.max(...ys) / MiB) })
  // the ranges of the readings with workers running; the empty ones are counted apart
  const running = memory.points.filter((p) => p.workers > 0)
  const empty = memory.points.length - running.length
  const max = range(running.map((p) => p.maxRssBytes))
  const sum = range(running.map((p) => p.sumRssBytes))
  const caption = [
    t('report.workerMemoryRun', { pids: memory.pids, maxLow: max.low, maxHigh: max.high, sumLow: sum.low, sumHigh: sum.high }),
    ...(empty ? [t('report.noWorkerRunning', { n: empty })] : []),
    ...(marks.length ? [t('report.marked', { marks: marksSummary(marks) })] : []),
    ...(memory.readingsPerPoint > 1 ? [t('report.readingsPerPoint', { n: memory.readingsPerPoint })] : []),
  ]
  const who = ctx.multi ? ` · ${ctx.docLabel(doc)}` : ''
  return {
    kind: 'line',
    id: `lab-worker-memory-${slug(run.workload)}-${slug(run.topology)}-${run.connections}-${run.repeat}${ctx.multi ? `-${doc}` : ''}`,
    title: `${run.topology} · ${run.workload} ${loadLabel(run)}${who}`,
    caption: caption.join('; '),
    x: { title: t('report.axisSecond'), type: 'linear' },
    y: { title: t('report.axisWorkerRss'), type: 'linear', min: 0 },
    y2: { title: t('report.axisSummedRss'), type: 'linear', min: 0 },
    series,
    bands: [],
    table,
    ...(marks.length ? { marks } : {}),
  }
}

/** The "worker memory over time" section: one chart per run with a series; undefined when no run has one. */
export function workerMemorySection(docs: ResultsDocument[]): Section | undefined {
  const runs = runsWithMemory(docs)
  if (!runs.length) return undefined
  return {
    id: 'lab-worker-memory',
    title: t('report.workerMemory'),
    caption: t('report.workerMemoryCaption'),
    layout: 'grid',
    charts: runs.map(({ doc, run, memory }) => workerMemoryChart(docs, doc, run, memory)),
  }
}
