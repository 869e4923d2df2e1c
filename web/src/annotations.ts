/**
 * Lab events on a run's per-second timeline: a worker killed for running over
 * its timeout, a worker that exited (crashed or was killed), a worker booted in
 * its place. The model side (`eventMarks`, `marksSummary`) is pure; the Chart.js
 * side (`markDatasets`, `markLines`, `EVENTS_AXIS`) only builds plain option
 * objects, so this file has no DOM and no Chart.js code at run time.
 *
 * Each event is drawn twice: a thin dashed vertical line at its second (a
 * chartjs-plugin-annotation `line`), and a marker at the top of the plot in
 * its own lane, which carries the legend entry and the tooltip (the lab's
 * message).
 */
import type { ChartDataset, TooltipItem } from 'chart.js'
import type { RunEvent } from '../../lab/core/results.js'

/** One event to mark on a timeline. */
export interface EventMark {
  /** Seconds since the level's load started: the timeline's x. */
  t: number
  kind: string
  /** The legend entry of its kind, e.g. `worker killed (timeout)`. */
  label: string
  /** The lab's own words, e.g. `worker 31226 busy over 1 s; killed` (prefixed with the run when a chart overlays several). */
  message: string
  color: string
  marker: 'crossRot' | 'rectRot' | 'triangle' | 'circle'
  /** Height of its marker on the hidden 0..1 events axis. */
  lane: number
}

type Look = Pick<EventMark, 'label' | 'color' | 'marker' | 'lane'>

/** How each kind the lab records looks; unknown kinds get a grey dot under their own name. */
export const EVENT_LOOKS: Record<string, Look> = {
  'worker-timeout': { label: 'worker killed (timeout)', color: '#000000', marker: 'crossRot', lane: 0.94 },
  'worker-exit': { label: 'worker died', color: '#CC79A7', marker: 'rectRot', lane: 0.87 },
  'worker-spawn': { label: 'worker booted', color: '#009E73', marker: 'triangle', lane: 0.8 },
}
const KIND_ORDER = Object.keys(EVENT_LOOKS)

function look(kind: string): Look {
  return EVENT_LOOKS[kind] ?? { label: kind, color: '#777777', marker: 'circle', lane: 0.73 }
}

/**
 * The marks of one run's events, in time order.
 * @param prefix - put before each message when a chart overlays several runs (e.g. `repeat 2: `)
 */
export function eventMarks(events: readonly RunEvent[] | undefined, prefix = ''): EventMark[] {
  return (events ?? [])
    .map((e) => ({ t: e.t, kind: e.kind, ...look(e.kind), message: `${prefix}${e.message}` }))
    .sort((a, b) => a.t - b.t)
}

/** The kinds present, known ones first in a fixed order (killed, died, booted), then the others as they come. */
export function markKinds(marks: readonly EventMark[]): string[] {
  const present = [...new Set(marks.map((m) => m.kind))]
  return [...KIND_ORDER.filter((k) => present.includes(k)), ...present.filter((k) => !KIND_ORDER.includes(k))]
}

/** `3 × worker killed (timeout), 3 × worker died, 3 × worker booted`, or '' when there are none. */
export function marksSummary(marks: readonly EventMark[]): string {
  return markKinds(marks)
    .map((k) => `${marks.filter((m) => m.kind === k).length} × ${look(k).label}`)
    .join(', ')
}

// ------------------------------------------------------------ Chart.js side

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
