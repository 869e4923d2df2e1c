/**
 * The throughput chart: answered (2xx) req/s against connections, one line
 * per topology, with the queueing model's lines (textbook and this machine)
 * and measured ÷ predicted in its table. Pure.
 */
import type { ResultsDocument } from '../../../lab/core/results.js'
import { Context, type Level } from './context.js'
import { columnsTable, fmt, slug, type Column } from './format.js'
import { MACHINE, MACHINE_CAPTION, THEORY, THEORY_CAPTION, measuredOver, ratioAt } from './theory.js'
import { knobChart, scenarioKnob } from './knob.js'
import { singleLevelChart } from './single-level.js'
import type { ChartModel, LineChartModel, LineSeries } from './types.js'
import { t } from '../../../lab/core/i18n.js'

/**
 * The throughput chart of one workload: against connections
 * ({@link connectionsChart}); when the workload was measured at one level
 * only, against the scenario's knob where its topologies turn one
 * (./knob.ts), else one place per topology (./single-level.ts).
 */
export function throughputChart(docs: ResultsDocument[], workload: string): ChartModel {
  const knob = scenarioKnob(docs, workload)
  if (knob) return knobChart(docs, workload, knob)
  if (new Context(docs).connections(workload).length === 1) return singleLevelChart(docs, workload)
  return connectionsChart(docs, workload)
}

/**
 * Throughput (mean req/s) against connections, one line per topology; a
 * dashed textbook theory line and a dotted "this machine" line where runs
 * carry them, and then the table adds both and measured ÷ predicted
 * (answered req/s ÷ the calibrated prediction where there is one, else the textbook one).
 */
export function connectionsChart(docs: ResultsDocument[], workload: string): LineChartModel {
  const ctx = new Context(docs)
  const series: LineSeries[] = []
  const columns: Column[] = []
  for (const id of ctx.identities()) {
    const levels = ctx.levels(id, workload)
    if (levels.length === 0) continue
    const at = (x: number): Level | undefined => levels.find((l) => l.connections === x)
    const label = ctx.label(id)
    const base = { color: ctx.color(id), axis: 'y' as const, marker: 'circle' as const }
    // answered (2xx) req/s: what the servers served and the model predicts; all responses beside them where some were not 2xx
    series.push({ ...base, label, style: 'line', points: levels.map((l) => ({ x: l.connections, y: l.answered })) })
    columns.push({ title: t('charts.answered', { label: `${label} ` }), at: (x) => fmt(at(x)?.answered, 1) })
    if (levels.some((l) => l.answered < l.perSecond)) columns.push({ title: t('charts.allResponses', { label: `${label} ` }), at: (x) => fmt(at(x)?.perSecond, 1) })
    const theory = levels.flatMap((l) => (l.textbook ? [{ x: l.connections, y: l.textbook.perSecond }] : []))
    const machine = levels.flatMap((l) => (l.thisMachine ? [{ x: l.connections, y: l.thisMachine.perSecond }] : []))
    if (theory.length) {
      series.push({ ...base, label: `${label} ${THEORY()}`, style: 'theory', points: theory })
      columns.push({ title: t('charts.theoryCol', { label: `${label} ` }), at: (x) => fmt(at(x)?.textbook?.perSecond, 1) })
    }
    if (machine.length) {
      series.push({ ...base, label: `${label} ${MACHINE()}`, style: 'machine', points: machine })
      columns.push({ title: t('charts.machineCol', { label: `${label} ` }), at: (x) => fmt(at(x)?.thisMachine?.perSecond, 1) })
    }
    if (theory.length || machine.length) {
      columns.push({ title: measuredOver(`${label} `, machine.length > 0), at: (x) => fmt(ratioAt(at(x), (l) => l.answered, (p) => p.perSecond), 2) })
    }
  }
  const ticks = ctx.connections(workload)
  const theory = series.some((s) => s.style === 'theory')
  const machine = series.some((s) => s.style === 'machine')
  return {
    kind: 'line',
    id: `lab-throughput-${slug(workload)}`,
    title: t('report.throughputOf', { workload }),
    caption: `${t('charts.throughputCaption')}${theory ? THEORY_CAPTION() : ''}${machine ? MACHINE_CAPTION() : ''}`,
    x: { title: t('report.axisConnections'), type: 'logarithmic', ticks },
    y: { title: t('report.axisAnswered'), type: 'linear', min: 0 },
    series,
    bands: [],
    table: columnsTable(ticks, columns),
  }
}
