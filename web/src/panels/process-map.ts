/**
 * The process map: a box per server process and one for the load generator,
 * lit while busy, with a CPU bar (100 % = one core). Drawn from a
 * `WorkerMap` (live/workers.ts).
 */
import type { WorkerMap } from '../live/workers.js'
import { fmt } from '../report/format.js'
import { t } from '../../../lab/core/i18n.js'
import { h } from './dom.js'

const ROLES = ['master', 'worker', 'server', 'proxy', 'load generator'] as const
/** A box's role in the page's language (the class keeps the English word). */
const role = (r: string): string => ((ROLES as readonly string[]).includes(r) ? t(`livePage.roles.${r as (typeof ROLES)[number]}`) : r)

/** The map's boxes; an empty list before any level. */
export function processBoxes(m: WorkerMap | null): HTMLElement[] {
  return (m?.boxes ?? []).map((b) =>
    h(
      'div',
      {
        class: `box role-${b.role.replace(' ', '-')}${b.busy ? ' busy' : ''}`,
        style: `--intensity: ${b.intensity.toFixed(2)}; --cpu: ${Math.min(100, b.cpuPercent).toFixed(0)}%`,
        title: `${role(b.role)}${b.pid ? ` ${b.pid}` : ''}: ${t(b.busy ? 'livePage.busyBox' : 'livePage.idleBox')}, CPU ${fmt(b.cpuPercent, 0)} %`,
        'data-pid': String(b.pid),
        'data-busy': String(b.busy),
      },
      h('span', { class: 'role' }, role(b.role)),
      h('span', { class: 'pid' }, b.pid ? String(b.pid) : 'autocannon'),
      h('span', { class: 'reqs' }, b.requests !== undefined ? `${b.requests} req` : b.busy ? t('livePage.busyBox') : ''),
      h('div', { class: 'cpu' }, h('div', {})),
      h('span', { class: 'cpu-text' }, `CPU ${fmt(b.cpuPercent, 0)} %`),
    ),
  )
}

/** The caption above the map: `prefork (prefork) · 3 of 4 workers busy; …`, or that no level has started. */
export function processCaption(m: WorkerMap | null): string {
  return m ? `${m.topology} (${m.model}) · ${m.caption}` : t('livePage.noLevelYet')
}
