/**
 * The process map: a box per server process and one for the load generator,
 * lit while busy, with a CPU bar (100 % = one core). Drawn from a
 * `WorkerMap` (live/workers.ts).
 */
import type { WorkerMap } from '../live/workers.js'
import { fmt } from '../report/format.js'
import { h } from './dom.js'

/** The map's boxes; an empty list before any level. */
export function processBoxes(m: WorkerMap | null): HTMLElement[] {
  return (m?.boxes ?? []).map((b) =>
    h(
      'div',
      {
        class: `box role-${b.role.replace(' ', '-')}${b.busy ? ' busy' : ''}`,
        style: `--intensity: ${b.intensity.toFixed(2)}; --cpu: ${Math.min(100, b.cpuPercent).toFixed(0)}%`,
        title: `${b.role}${b.pid ? ` ${b.pid}` : ''}: ${b.busy ? 'busy' : 'idle'}, CPU ${fmt(b.cpuPercent, 0)} %`,
        'data-pid': String(b.pid),
        'data-busy': String(b.busy),
      },
      h('span', { class: 'role' }, b.role),
      h('span', { class: 'pid' }, b.pid ? String(b.pid) : 'autocannon'),
      h('span', { class: 'reqs' }, b.requests !== undefined ? `${b.requests} req` : b.busy ? 'busy' : ''),
      h('div', { class: 'cpu' }, h('div', {})),
      h('span', { class: 'cpu-text' }, `CPU ${fmt(b.cpuPercent, 0)} %`),
    ),
  )
}

/** The caption above the map: `prefork (prefork) · 3 of 4 workers busy; …`, or that no level has started. */
export function processCaption(m: WorkerMap | null): string {
  return m ? `${m.topology} (${m.model}) · ${m.caption}` : 'No level has started yet.'
}
