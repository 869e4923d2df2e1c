/**
 * Chart.js drawing for the view-model's chart models. Everything that decides
 * *what* to draw lives in `report/` and `live/`; this file only decides *how*.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  Tooltip,
  type ChartConfiguration,
  type Scale as ChartScale,
} from 'chart.js'
import annotationPlugin from 'chartjs-plugin-annotation'
import { percentileLabel } from '../report/spectrum.js'
import type { Band, BarChartModel, ChartModel, LineChartModel, Scale } from '../report/types.js'
import { EVENTS_AXIS, MARK_HEADROOM, markDatasets, markLines } from './marks.js'
import { currentLang } from '../../../lab/core/i18n.js'

Chart.register(
  LineController,
  BarController,
  LineElement,
  PointElement,
  BarElement,
  LinearScale,
  LogarithmicScale,
  CategoryScale,
  Legend,
  Tooltip,
  annotationPlugin,
)

const number = new Intl.NumberFormat('en', { maximumSignificantDigits: 4 })

/** Chart.js options of one axis from the model's scale. */
function scale(s: Scale, position: 'bottom' | 'left' | 'right') {
  const ticks = s.ticks
  return {
    type: s.type,
    position,
    ...(s.min === undefined ? {} : { min: s.min }),
    ...(s.max === undefined ? {} : { max: s.max }),
    title: { display: true, text: s.title },
    grid: { drawOnChartArea: position !== 'right' },
    ...(ticks ? { afterBuildTicks: (axis: ChartScale) => void (axis.ticks = ticks.map((value) => ({ value }))) } : {}),
    ticks: {
      // Log axes label only some ticks by default; label ours, all of them.
      ...(s.format === 'percentile' || ticks
        ? { callback: (v: string | number) => (s.format === 'percentile' ? percentileLabel(Number(v)) : number.format(Number(v))) }
        : s.type === 'logarithmic'
          ? { callback: (v: string | number) => (/^[125]/.test(String(v)) ? number.format(Number(v)) : '') }
          : {}),
      ...(s.type === 'linear' && position === 'bottom' ? { stepSize: s.step ?? 1 } : {}),
    },
  }
}

/** Shaded boxes for the bands (chartjs-plugin-annotation `box` annotations). */
function annotations(bands: Band[]): Record<string, object> {
  return Object.fromEntries(
    bands.map((b, i) => [
      `band${i}`,
      {
        type: 'box',
        ...(b.axis === 'x' ? { xMin: b.from, xMax: b.to } : { yMin: b.from, yMax: b.to }),
        backgroundColor: b.shade === false ? 'rgba(0, 0, 0, 0)' : 'rgba(0, 0, 0, 0.08)',
        borderWidth: 0,
        label: { display: true, content: b.label, position: { x: 'start', y: b.axis === 'x' ? 'end' : 'start' }, color: '#444', font: { weight: 'normal' } },
      },
    ]),
  )
}

function lineConfig(m: LineChartModel, k: number): ChartConfiguration<'line'> {
  return {
    type: 'line',
    data: {
      datasets: [
        ...m.series.map((s) => {
          const model = s.style === 'theory' || s.style === 'machine'
          const partial = s.points.some((p) => p.partial)
          return {
            label: s.label,
            data: s.points,
            borderColor: s.color,
            backgroundColor: s.color,
            borderWidth: k * (model ? 2 : s.marker === 'triangle' ? 2.5 : 1.75),
            borderDash: s.style === 'theory' ? [6 * k, 4 * k] : s.style === 'machine' ? [1.5 * k, 3 * k] : [],
            // a model line through one level would not show: its one point is drawn as a dash
            pointRadius: model ? (s.points.length === 1 ? 12 * k : 0) : k * (s.style === 'dots' ? 3.5 : 3),
            pointStyle: model ? ('line' as const) : s.marker,
            showLine: s.style !== 'dots',
            yAxisID: s.axis,
            // a trailing part-second: a hollow point, reached by a dashed segment
            ...(partial
              ? {
                  pointBackgroundColor: s.points.map((p) => (p.partial ? '#ffffff' : s.color)),
                  segment: { borderDash: (c: { p1DataIndex: number }) => (s.points[c.p1DataIndex]?.partial ? [4 * k, 3 * k] : undefined) },
                }
              : {}),
          }
        }),
        ...markDatasets(m.marks ?? [], k),
      ],
    },
    options: {
      ...common(m),
      scales: {
        x: scale(m.x, 'bottom'),
        y: { ...scale(m.y, 'left'), ...(m.marks?.length ? { grace: MARK_HEADROOM, beginAtZero: m.y.min === 0 } : {}) },
        ...(m.y2 ? { y2: { ...scale(m.y2, 'right'), ...(m.marks?.length ? { grace: MARK_HEADROOM, beginAtZero: m.y2.min === 0 } : {}) } } : {}),
        ...(m.marks?.length ? { events: EVENTS_AXIS } : {}),
      },
    },
  }
}

function barConfig(m: BarChartModel, k: number): ChartConfiguration<'bar' | 'line'> {
  const stacked = m.series.some((s, i) => m.series.findIndex((o) => o.stack === s.stack) !== i)
  return {
    type: 'bar',
    data: {
      labels: m.categories,
      datasets: m.series.map((s) =>
        s.style === 'dots'
          ? {
              type: 'line' as const,
              label: s.label,
              data: s.values,
              borderColor: s.color,
              backgroundColor: s.color,
              showLine: false,
              // a dash is wide and flat (a level to read against), a cross thin
              pointStyle: s.marker === 'dash' ? ('line' as const) : s.marker === 'cross' ? ('crossRot' as const) : (s.marker ?? ('circle' as const)),
              pointRadius: (s.marker === 'dash' ? 14 : 5) * k,
              borderWidth: (s.marker === 'dash' || s.marker === 'cross' ? 3 : 1) * k,
            }
          : { label: s.label, data: s.values, backgroundColor: s.color, stack: s.stack },
      ),
    },
    options: {
      ...common(m),
      scales: { x: { stacked, ticks: m.xTicks ?? { maxRotation: 0, autoSkip: false } }, y: { ...scale(m.y, 'left'), stacked } },
    },
  }
}

function common(m: ChartModel) {
  return {
    // tick labels as the page's language writes numbers (decimal comma in pt-BR and ru)
    locale: currentLang(),
    animation: false as const,
    responsive: true,
    maintainAspectRatio: false,
    interaction: { mode: 'nearest' as const, intersect: false },
    plugins: {
      legend: { position: 'bottom' as const, labels: { usePointStyle: true, boxHeight: 8 } },
      annotation: { annotations: { ...annotations(m.bands), ...(m.kind === 'line' ? markLines(m.marks ?? []) : {}) } },
    },
  }
}

/**
 * The Chart.js configuration of a chart model (exported for tests).
 * @param fontSize - base font size in CSS pixels; lines and points grow with it
 */
export function configFor(model: ChartModel, fontSize: number): ChartConfiguration {
  const k = fontSize / 12 // thicker lines and bigger points along with bigger type
  return (model.kind === 'line' ? lineConfig(model, k) : barConfig(model, k)) as ChartConfiguration
}

/**
 * Redraws a chart in place with a new model of the same kind (the live page,
 * every second): no new canvas, no animation.
 */
export function updateChart(chart: Chart, model: ChartModel, fontSize: number): void {
  const config = configFor(model, fontSize)
  chart.data = config.data
  chart.options = config.options ?? {}
  chart.update('none')
}

/**
 * Draws one chart model into a canvas.
 * @param fontSize - base font size in CSS pixels (larger in presenter mode)
 * @returns the Chart.js instance; call `destroy()` before drawing the canvas again
 */
export function drawChart(canvas: HTMLCanvasElement, model: ChartModel, fontSize: number): Chart {
  Chart.defaults.font.size = fontSize
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
  Chart.defaults.color = '#222'
  return new Chart(canvas, configFor(model, fontSize))
}
