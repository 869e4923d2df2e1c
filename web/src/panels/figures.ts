/**
 * Chart figures, the same on the report and the live page: a heading, a
 * caption, the canvas and a "Show table" toggle with the chart's figures.
 * A `Figures` set draws them, redraws them all when the type size changes
 * (presenter mode), and on the live page updates them in place every second.
 */
import type { Chart } from 'chart.js'
import { markKinds } from '../report/annotations.js'
import type { ChartModel } from '../report/types.js'
import { h, tableElement, toggleButton } from './dom.js'
import { drawChart, updateChart } from './draw.js'

interface Figure {
  model: ChartModel
  canvas: HTMLCanvasElement
  table: HTMLElement
  /** The table shows an older model (it is filled again when next shown). */
  stale: boolean
  chart?: Chart
}

/** Legend entries a chart draws: its series and, on a timeline, one per kind of event marked. */
function legendEntries(m: ChartModel): number {
  return m.series.length + (m.kind === 'line' ? markKinds(m.marks ?? []).length : 0)
}

/** The chart figures of a page. */
export class Figures {
  readonly #figures = new Map<string, Figure>()

  /** @param fontSize - the base font size in CSS pixels now (larger in presenter mode) */
  constructor(private readonly fontSize: () => number) {}

  /** A new figure for a chart model (the chart is drawn by `draw`); the model's id is the element's id. */
  figure(model: ChartModel): HTMLElement {
    const canvas = h('canvas', { role: 'img', 'aria-label': `${model.title}. ${model.caption}` }) as HTMLCanvasElement
    const table = h('div', { class: 'table-wrap', id: `${model.id}-table` }, tableElement(model.title, model.table))
    const element = h(
      'figure',
      { class: `chart chart-${model.kind}`, id: model.id },
      h('h3', {}, model.title),
      h('figcaption', {}, model.caption),
      // Legends are drawn inside the canvas: give long ones room so the plot keeps its height.
      h('div', { class: 'canvas-box', style: `--legend-rows: ${Math.max(0, legendEntries(model) - 3)}` }, canvas),
      toggleButton(table, () => this.#fill(model.id)),
      table,
    )
    this.#figures.get(model.id)?.chart?.destroy()
    this.#figures.set(model.id, { model, canvas, table, stale: false })
    return element
  }

  /** Fills a figure's table with its latest model when it shows an older one. */
  #fill(id: string): void {
    const f = this.#figures.get(id)
    if (!f?.stale) return
    f.table.replaceChildren(tableElement(f.model.title, f.model.table))
    f.stale = false
  }

  /** Draws every figure not drawn yet. */
  draw(): void {
    for (const f of this.#figures.values()) f.chart ??= drawChart(f.canvas, f.model, this.fontSize())
  }

  /** Draws every chart again from scratch (after the type size changed). */
  redraw(): void {
    for (const f of this.#figures.values()) {
      f.chart?.destroy()
      f.chart = drawChart(f.canvas, f.model, this.fontSize())
    }
  }

  /**
   * Shows these models in `container`, in order: when its figures are the
   * same ids, each is updated in place (no new canvas, no animation), else
   * they are replaced. A shown table is filled with the new figures at once;
   * a hidden one when it is next shown.
   */
  show(container: HTMLElement, models: ChartModel[]): void {
    const shown = [...container.querySelectorAll(':scope > figure')].map((el) => el.id)
    if (JSON.stringify(models.map((m) => m.id)) !== JSON.stringify(shown)) {
      for (const id of shown) {
        this.#figures.get(id)?.chart?.destroy()
        this.#figures.delete(id)
      }
      container.replaceChildren(...models.map((m) => this.figure(m)))
      this.draw()
      return
    }
    for (const m of models) {
      const f = this.#figures.get(m.id)
      if (!f) continue
      f.model = m
      if (f.chart) updateChart(f.chart, m, this.fontSize())
      else f.chart = drawChart(f.canvas, m, this.fontSize())
      f.stale = f.table.hidden
      if (!f.table.hidden) f.table.replaceChildren(tableElement(m.title, m.table))
    }
  }
}
