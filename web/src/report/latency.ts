/**
 * The latency chart: p50 and p99 against connections (log scale), with the
 * model's mean latency and measured ÷ theory in its table. Pure.
 */
import type { ResultsDocument } from '../../../lab/core/results.js'
import { Context, type Level } from './context.js'
import { columnsTable, fmt, slug, type Column } from './format.js'
import { MACHINE, THEORY, measuredOver, ratioAt } from './theory.js'
import type { LineChartModel, LineSeries } from './types.js'
import { t } from '../../../lab/core/i18n.js'
import { logAxis } from '../panels/log-ticks.js'

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
    const theory = levels.flatMap((l) => (l.textbook ? [{ x: l.connections, y: l.textbook.meanMs }] : []))
    const machine = levels.flatMap((l) => (l.thisMachine ? [{ x: l.connections, y: l.thisMachine.meanMs }] : []))
    if (theory.length === 0 && machine.length === 0) continue
    if (theory.length) series.push({ ...base, style: 'theory', marker: 'circle', label: `${label} ${t('charts.modelMean', { model: THEORY() })}`, points: theory })
    if (machine.length) series.push({ ...base, style: 'machine', marker: 'circle', label: `${label} ${t('charts.modelMean', { model: MACHINE() })}`, points: machine })
    const level = (x: number): Level | undefined => levels.find((l) => l.connections === x)
    columns.push(
      { title: t('charts.mean', { label: `${label} ` }), at: (x) => fmt(at(x)?.meanMs, 2) },
      ...(theory.length ? [{ title: t('charts.theoryMean', { label: `${label} ` }), at: (x: number) => fmt(level(x)?.textbook?.meanMs, 2) }] : []),
      ...(machine.length ? [{ title: t('charts.machineMean', { label: `${label} ` }), at: (x: number) => fmt(level(x)?.thisMachine?.meanMs, 2) }] : []),
      { title: measuredOver(`${label} `, machine.length > 0), at: (x) => fmt(ratioAt(at(x), (l) => l.meanMs, (p) => p.meanMs), 2) },
    )
  }
  const theory = series.some((s) => s.style === 'theory' || s.style === 'machine')
  const ticks = ctx.connections(workload)
  return {
    kind: 'line',
    id: `lab-latency-${slug(workload)}`,
    title: t('report.latencyOf', { workload }),
    caption:
      t('charts.latencyCaption') + (theory ? t('charts.latencyTheory', { dashed: t('charts.dashed'), theory: THEORY() }) : ''),
    x: { title: t('report.axisConnections'), type: 'logarithmic', ticks },
    y: { title: t('report.axisLatency'), type: 'logarithmic', ...logAxis(series.flatMap((s) => s.points.map((p) => p.y))) },
    series,
    bands: [],
    table: columnsTable(ticks, columns),
  }
}
