/**
 * The throughput chart: req/s against connections, one line per topology,
 * with the queueing model's line and measured ÷ theory in its table. Pure.
 */
import type { ResultsDocument } from '../../../lab/core/results.js'
import { Context, type Level } from './context.js'
import { columnsTable, fmt, slug, type Column } from './format.js'
import { THEORY, THEORY_CAPTION, ratioAt } from './theory.js'
import type { LineChartModel, LineSeries } from './types.js'

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
