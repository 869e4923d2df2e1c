/**
 * The lab's self-check: Little's law (L = λW) for every run, as dots against
 * the ±10 % band the `littles-law-mismatch` warning uses. Pure.
 */
import { loadLabel } from '../../../lab/core/labels.js'
import type { ResultsDocument, RunResult } from '../../../lab/core/results.js'
import { Context } from './context.js'
import { PALETTE, fmt } from './format.js'
import type { BarChartModel } from './types.js'
import { t } from '../../../lab/core/i18n.js'

/**
 * A run's category label, short and unique: `prefork @128`, then `#2` for a
 * repeat and `(2)` for the second of compared documents (its legend says
 * which, {@link docLegend}); the workload on a second line only when the
 * documents hold several.
 */
function shortCategory(ctx: Context, doc: number, run: RunResult): string[] {
  const repeat = run.repeat > 0 ? ` #${run.repeat + 1}` : ''
  const which = ctx.multi ? ` (${doc + 1})` : ''
  return [`${run.topology} ${loadLabel(run)}${repeat}${which}`, ...(ctx.workloads.length > 1 ? [run.workload] : [])]
}

/** A compared document's legend: `(2) python`, its number as the category labels write it, then what sets it apart. */
function docLegend(ctx: Context, doc: number): string {
  const label = ctx.docLabel(doc)
  return label.startsWith('#') ? `(${doc + 1})` : `(${doc + 1}) ${label}`
}

/** Little's-law ratio (measured mean latency ÷ connections/throughput) of every run as dots, with the ±10 % band. */
export function littlesLawChart(docs: ResultsDocument[]): BarChartModel {
  const ctx = new Context(docs)
  const runs = docs.flatMap((d, doc) => d.runs.map((run) => ({ doc, run })))
  const ratios = runs.flatMap(({ run }) => (run.littlesLaw.ratio === null ? [] : [run.littlesLaw.ratio]))
  return {
    kind: 'bar',
    id: 'lab-littles-law',
    title: t('report.littlesCheck'),
    caption: t('charts.littlesCaption'),
    categories: runs.map(({ doc, run }) => shortCategory(ctx, doc, run)),
    // many runs side by side: tilt the labels and let Chart.js skip some rather than print them over each other (the table names every run)
    xTicks: { autoSkip: true, maxRotation: 60 },
    y: {
      title: t('report.axisRatio'),
      type: 'linear',
      min: Math.min(0.8, Math.floor((Math.min(...ratios) - 0.05) * 10) / 10),
      max: Math.max(1.2, Math.ceil((Math.max(...ratios) + 0.05) * 10) / 10),
    },
    series: docs.map((d, doc) => ({
      label: ctx.multi ? docLegend(ctx, doc) : t('charts.measuredOverExpected'),
      color: PALETTE[doc % PALETTE.length] ?? PALETTE[0],
      stack: `doc${doc}`,
      style: 'dots',
      values: runs.map((r) => (r.doc === doc ? r.run.littlesLaw.ratio : null)),
    })),
    bands: [{ axis: 'y', from: 0.9, to: 1.1, label: '±10 %' }],
    table: {
      columns: [t('charts.run'), t('charts.connections'), 'req/s', t('charts.expectedMean'), t('charts.measuredMean'), t('charts.ratioRange')],
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
