/**
 * The lab's self-check: Little's law (L = λW) for every run, as dots against
 * the ±10 % band the `littles-law-mismatch` warning uses. Pure.
 */
import type { ResultsDocument } from '../../../lab/core/results.js'
import { Context } from './context.js'
import { PALETTE, documentLabel, fmt } from './format.js'
import type { BarChartModel } from './types.js'
import { t } from '../../../lab/core/i18n.js'

/** Little's-law ratio (measured mean latency ÷ connections/throughput) of every run as dots, with the ±10 % band. */
export function littlesLawChart(docs: ResultsDocument[]): BarChartModel {
  const ctx = new Context(docs)
  const runs = docs.flatMap((d, doc) => d.runs.map((run) => ({ doc, run })))
  const ratios = runs.flatMap(({ run }) => (run.littlesLaw.ratio === null ? [] : [run.littlesLaw.ratio]))
  return {
    kind: 'bar',
    id: 'lab-littles-law',
    title: t('report.littlesCheck'),
    caption: 'Mean latency should equal connections ÷ throughput: a dot outside the shaded 0.9–1.1 band means the measurement is suspect.',
    categories: runs.map(({ doc, run }) => [run.topology, run.workload, ...ctx.runCategory(doc, run).slice(1)]),
    y: {
      title: t('report.axisRatio'),
      type: 'linear',
      min: Math.min(0.8, Math.floor((Math.min(...ratios) - 0.05) * 10) / 10),
      max: Math.max(1.2, Math.ceil((Math.max(...ratios) + 0.05) * 10) / 10),
    },
    series: docs.map((d, doc) => ({
      label: ctx.multi ? documentLabel(d) : 'measured ÷ expected',
      color: PALETTE[doc % PALETTE.length] ?? PALETTE[0],
      stack: `doc${doc}`,
      style: 'dots',
      values: runs.map((r) => (r.doc === doc ? r.run.littlesLaw.ratio : null)),
    })),
    bands: [{ axis: 'y', from: 0.9, to: 1.1, label: '±10 %' }],
    table: {
      columns: ['run', 'connections', 'req/s', 'expected mean (ms)', 'measured mean (ms)', 'ratio (good 0.90–1.10)'],
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
