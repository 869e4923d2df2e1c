/**
 * The Chart.js side of the lab events on a timeline (see
 * `report/annotations.ts`): plain option objects, no DOM. Each event is drawn
 * twice: a thin dashed vertical line at its second (a
 * chartjs-plugin-annotation `line`), and a marker at the top of the plot in
 * its own lane, which carries the legend entry and the tooltip (the lab's
 * message).
 */
import type { ChartDataset, TooltipItem } from 'chart.js'
import { look, markKinds, type EventMark } from '../report/annotations.js'

/** The hidden axis the markers sit on (0 at the bottom of the plot, 1 at the top). */
export const EVENTS_AXIS = { type: 'linear', display: false, min: 0, max: 1 } as const

/** Room the data axes leave above their largest value on a chart with marks, so the marker lanes sit above the lines (Chart.js `grace`). */
export const MARK_HEADROOM = '45%'

/** `1.30 s: worker 31226 busy over 1 s; killed`. */
export function markTooltip(mark: Pick<EventMark, 't' | 'message'>): string {
  return `${mark.t.toFixed(2)} s: ${mark.message}`
}

/** One marker dataset per kind (its legend entry), each point's tooltip its event's message. */
export function markDatasets(marks: readonly EventMark[], k: number): ChartDataset<'line'>[] {
  return markKinds(marks).map((kind) => {
    const mine = marks.filter((m) => m.kind === kind)
    const { label, color, marker, lane } = look(kind)
    return {
      label,
      data: mine.map((m) => ({ x: m.t, y: lane, message: markTooltip(m) })),
      borderColor: color,
      backgroundColor: color,
      borderWidth: 2 * k,
      pointStyle: marker,
      pointRadius: 5 * k,
      pointHoverRadius: 7 * k,
      showLine: false,
      yAxisID: 'events',
      // Chart.js reads tooltip callbacks per dataset too (`dataset.tooltip.callbacks`).
      tooltip: { callbacks: { label: (item: TooltipItem<'line'>) => (item.raw as { message: string }).message } },
    } as ChartDataset<'line'>
  })
}

/**
 * A thin dashed vertical line per worker lost (killed or died), behind the
 * data (chartjs-plugin-annotation `line` annotations). Boots get their marker
 * only: a line for each would double the lines without saying more.
 */
export function markLines(marks: readonly EventMark[]): Record<string, object> {
  return Object.fromEntries(
    marks.filter((m) => m.kind !== 'worker-spawn').map((m, i) => [
      `event${i}`,
      {
        type: 'line',
        xMin: m.t,
        xMax: m.t,
        borderColor: `${m.color}80`,
        borderWidth: 1,
        borderDash: [4, 3],
        drawTime: 'beforeDatasetsDraw',
      },
    ]),
  )
}
