/**
 * The HDR latency spectrum (Gil Tene's HdrHistogram percentile plot): every
 * percentile at a workload's highest connection count, x as 1/(1−p) on a log
 * axis so the tail spreads out. Pure.
 */
import type { ResultsDocument } from '../../../lab/core/results.js'
import { Context } from './context.js'
import { fmt, slug } from './format.js'
import type { LineChartModel, LineSeries } from './types.js'
import { t } from '../../../lab/core/i18n.js'

/**
 * Maps a percentile (0..100) to the HDR spectrum's x, `1/(1−p/100)` computed as
 * `100/(100−p)`: 50 % → 2, 90 % → 10, 99 % → 100, 99.9 % → 1000. The 100 %
 * point (the maximum) would be infinitely far right: `null`, not plotted (the
 * chart's table still lists it).
 */
export function spectrumX(percentile: number): number | null {
  return percentile >= 100 ? null : 100 / (100 - percentile)
}

/** The label of a spectrum tick at x: 1 → `0%`, 2 → `50%`, 1000 → `99.9%`. */
export function percentileLabel(x: number): string {
  const p = 100 - 100 / x
  return `${Number(p.toFixed(6))}%`
}

/** Spectrum ticks: 1 (0 %), 2 (50 %), then powers of ten (90 %, 99 %, ...) up to `max`. */
export function spectrumTicks(max: number): number[] {
  const ticks = [1, 2]
  for (let x = 10; x <= max * 1.0001; x *= 10) ticks.push(x)
  return ticks
}

/** The HDR latency spectrum of every topology at the workload's highest connection count (x: 1/(1−p), log). */
export function spectrumChart(docs: ResultsDocument[], workload: string): LineChartModel {
  const ctx = new Context(docs)
  const top = ctx.connections(workload).at(-1) ?? 0
  const series: LineSeries[] = []
  const rows = new Map<number, Map<string, number>>()
  for (const id of ctx.identities()) {
    const run = ctx.levels(id, workload).find((l) => l.connections === top)?.runs[0]
    if (!run || run.histogram.length === 0) continue
    const label = ctx.label(id)
    series.push({
      label,
      color: ctx.color(id),
      style: 'line',
      axis: 'y',
      marker: 'circle',
      points: run.histogram.flatMap(([ms, p]) => {
        const x = spectrumX(p)
        return x === null ? [] : [{ x, y: ms }]
      }),
    })
    for (const [ms, p] of run.histogram) rows.set(p, (rows.get(p) ?? new Map<string, number>()).set(label, ms))
  }
  const maxX = Math.max(10, ...series.flatMap((s) => s.points.map((p) => p.x)))
  const percentiles = [...rows.keys()].sort((a, b) => a - b)
  return {
    kind: 'line',
    id: `lab-spectrum-${slug(workload)}`,
    title: t('beside.spectrumOf', { workload, top }),
    caption: t('beside.spectrumCaption'),
    x: { title: t('report.axisPercentile'), type: 'logarithmic', format: 'percentile', ticks: spectrumTicks(maxX), min: 1, max: maxX },
    y: { title: t('report.axisLatency'), type: 'linear', min: 0 },
    series,
    bands: [],
    table: {
      columns: [t('beside.percentile'), ...series.map((s) => `${s.label} (ms)`)],
      rows: percentiles.map((p) => [p >= 100 ? `${p}% (${t('beside.max')})` : `${p}%`, ...series.map((s) => fmt(rows.get(p)?.get(s.label), 2))]),
    },
  }
}
