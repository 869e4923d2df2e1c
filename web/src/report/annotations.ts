/**
 * Lab events on a run's per-second timeline: a worker killed for running over
 * its timeout, a worker that exited (crashed or was killed), a worker booted in
 * its place. Pure: which marks, how each kind looks and what they add up to;
 * `panels/marks.ts` turns them into Chart.js datasets and annotations.
 */
import { t } from '../../../lab/core/i18n.js'
import type { RunEvent } from '../../../lab/core/results.js'

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

/** How a kind of event is drawn: its legend entry, colour, marker and lane. */
export type Look = Pick<EventMark, 'label' | 'color' | 'marker' | 'lane'>

/** How each kind the lab records looks; unknown kinds get a grey dot under their own name. */
export const EVENT_LOOKS: Record<string, Look> = {
  'worker-timeout': { label: 'worker killed (timeout)', color: '#000000', marker: 'crossRot', lane: 0.94 },
  'worker-exit': { label: 'worker died', color: '#CC79A7', marker: 'rectRot', lane: 0.87 },
  'worker-spawn': { label: 'worker booted', color: '#009E73', marker: 'triangle', lane: 0.8 },
  deploy: { label: 'deploy (restart or reload)', color: '#0072B2', marker: 'circle', lane: 0.73 },
}
const EVENT_KINDS = ['worker-timeout', 'worker-exit', 'worker-spawn', 'deploy'] as const
const isKnown = (kind: string): kind is (typeof EVENT_KINDS)[number] => (EVENT_KINDS as readonly string[]).includes(kind)
const KIND_ORDER = Object.keys(EVENT_LOOKS)

/** How a kind of event looks: its entry in `EVENT_LOOKS`, or a grey dot under its own name. */
export function look(kind: string): Look {
  const known = EVENT_LOOKS[kind]
  // the legend's words in the current language (lab/i18n/en/charts.ts `charts.events`)
  return known && isKnown(kind) ? { ...known, label: t(`charts.events.${kind}`) } : { label: kind, color: '#777777', marker: 'circle', lane: 0.73 }
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

/**
 * The events of each row of a table whose rows are at ascending `xs`: the
 * marks in (previous x, this x] joined with ` · `; the first row takes every
 * earlier mark and the last every later one.
 */
export function eventsPerRow(xs: readonly number[], marks: readonly EventMark[]): string[] {
  return xs.map((x, i) => {
    const from = i === 0 ? -Infinity : (xs[i - 1] ?? -Infinity)
    const to = i === xs.length - 1 ? Infinity : x
    return marks
      .filter((m) => m.t > from && m.t <= to)
      .map((m) => m.message)
      .join(' · ')
  })
}
