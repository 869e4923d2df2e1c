/**
 * The throughput chart of a workload measured at one level only (one
 * connection count per topology, e.g. blocked-event-loop, proxy-buffering):
 * a line through one x value would be a stack of dots and the model's lines
 * would not show, so each topology gets its own place on x, its answered
 * req/s a dot and the model's predictions markers beside it. Pure.
 */
import type { ResultsDocument } from '../../../lab/core/results.js'
import { Context, type Level } from './context.js'
import { PALETTE, fmt, slug } from './format.js'
import { MACHINE, THEORY, measuredOver, ratioAt } from './theory.js'
import type { BarChartModel, BarSeries } from './types.js'
import { t } from '../../../lab/core/i18n.js'

/** Colours of the model's markers: the textbook near-black, this machine the palette's second. */
const THEORY_COLOR = '#333333'
const MACHINE_COLOR = PALETTE[1]

/**
 * Answered req/s of each topology (and document) of `workload` at its one
 * level as dots, with the textbook prediction as a dash and this machine's as
 * a cross at the same topology, where the runs carry them; all responses as
 * triangles where some were not 2xx. The table has a row per topology with
 * measured ÷ predicted (the calibrated prediction where there is one).
 * Call it when `Context.connections(workload)` holds one count.
 */
export function singleLevelChart(docs: ResultsDocument[], workload: string): BarChartModel {
  const ctx = new Context(docs)
  const rows = ctx.identities().flatMap((id) => {
    const level = ctx.levels(id, workload)[0]
    return level ? [{ id, level }] : []
  })
  const values = (f: (l: Level) => number | undefined): (number | null)[] => rows.map(({ level }) => f(level) ?? null)
  const dots = (label: string, color: string, marker: BarSeries['marker'], v: (number | null)[]): BarSeries => ({ label, color, marker, values: v, stack: label, style: 'dots' })
  const series: BarSeries[] = [dots(t('report.answered'), PALETTE[0], 'circle', values((l) => l.answered))]
  const unanswered = rows.some(({ level }) => level.answered < level.perSecond)
  if (unanswered) series.push(dots(t('report.allResponses'), PALETTE[2], 'triangle', values((l) => l.perSecond)))
  const theory = values((l) => l.textbook?.perSecond)
  const machine = values((l) => l.thisMachine?.perSecond)
  const hasTheory = theory.some((v) => v !== null)
  const hasMachine = machine.some((v) => v !== null)
  if (hasTheory) series.push(dots(THEORY(), THEORY_COLOR, 'dash', theory))
  if (hasMachine) series.push(dots(MACHINE(), MACHINE_COLOR, 'cross', machine))
  const connections = ctx.connections(workload)[0] ?? 0
  const markers = [...(hasTheory ? [t('report.markDash', { theory: THEORY() })] : []), ...(hasMachine ? [t('report.markCross', { machine: MACHINE() })] : [])]
  const columns = [
    t('report.axisTopology'),
    t('charts.answered', { label: '' }),
    ...(unanswered ? [t('charts.allResponses', { label: '' })] : []),
    ...(hasTheory ? [t('charts.theoryCol', { label: '' })] : []),
    ...(hasMachine ? [t('charts.machineCol', { label: '' })] : []),
    ...(hasTheory || hasMachine ? [measuredOver('', hasMachine)] : []),
  ]
  return {
    kind: 'bar',
    // its own id: the live page replaces (not updates) the chart when a second level turns it into lines
    id: `lab-throughput-${slug(workload)}-by-topology`,
    title: t('report.throughputOf', { workload }),
    caption:
      t('report.singleLevelCaption', { connections }) +
      (hasTheory || hasMachine ? t('report.singleLevelModel', { markers: markers.join('; ') }) : ''),
    categories: rows.map(({ id }) => [id.topology, ...(ctx.multi ? [ctx.docLabel(id.doc)] : [])]),
    y: { title: t('report.axisAnswered'), type: 'linear', min: 0 },
    series,
    bands: [],
    table: {
      columns,
      rows: rows.map(({ id, level }) => [
        ctx.label(id),
        fmt(level.answered, 1),
        ...(unanswered ? [fmt(level.perSecond, 1)] : []),
        ...(hasTheory ? [fmt(level.textbook?.perSecond, 1)] : []),
        ...(hasMachine ? [fmt(level.thisMachine?.perSecond, 1)] : []),
        ...(hasTheory || hasMachine ? [fmt(ratioAt(level, (l) => l.answered, (p) => p.perSecond), 2)] : []),
      ]),
    },
  }
}
