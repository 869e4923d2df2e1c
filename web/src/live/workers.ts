/**
 * The process map of the live page: a box per server process and one for the
 * load generator, lit while busy, with its CPU. Pure.
 */
import type { LiveProcess } from '../../../lab/core/events.js'
import { runLabel } from '../../../lab/core/labels.js'
import type { Level } from '../../../lab/core/plan.js'
import { fmt } from '../report/format.js'
import type { LiveState } from './state.js'
import { t } from '../../../lab/core/i18n.js'

/** One box of the worker map. */
export interface ProcessBox {
  pid: number
  role: LiveProcess['role'] | 'load generator'
  /** Lit: serving a request at the last look (workers), or using the CPU (single-process servers). */
  busy: boolean
  /** 0..1: how much of the last second it was busy (workers: share of status polls; others: CPU). */
  intensity: number
  cpuPercent: number
  /** Requests served since it started (workers only). */
  requests?: number
}

/** The worker map and CPU per process of the running (or last) level. */
export interface WorkerMap {
  topology: string
  model: string
  level: Level | null
  boxes: ProcessBox[]
  /** One line: what the boxes say now. */
  caption: string
}

/** The worker map of the running level (or of the last one when the run is over); null before any level. */
export function workerMap(state: LiveState): WorkerMap | null {
  const last = state.samples.at(-1)
  const startedLevels = state.levels.filter((l) => l.startedAt !== undefined)
  const lv = state.current !== null ? state.levels[state.current] : startedLevels.at(-1)
  if (!lv) return null
  const level = lv.level
  const sample = last && last.level === level.index ? last : undefined
  const info = state.plan?.topologies.find((t) => t.id === level.topology)
  const model = info?.model ?? 'server'
  const cpu = new Map(sample?.processes.map((p) => [p.pid, p.cpuPercent]) ?? [])
  const boxes: ProcessBox[] = []
  const procs = state.processes
  const workers = sample?.workers
  for (const p of procs.filter((p) => p.role !== 'worker')) {
    const c = cpu.get(p.pid) ?? 0
    boxes.push({ pid: p.pid, role: p.role, busy: p.role !== 'master' && c >= 5, intensity: p.role === 'master' ? 0 : Math.min(1, c / 100), cpuPercent: c })
  }
  if (workers && workers.length) {
    for (const w of workers) {
      boxes.push({ pid: w.pid, role: 'worker', busy: w.busy, intensity: w.busyFraction, cpuPercent: cpu.get(w.pid) ?? 0, requests: w.requests })
    }
  } else {
    for (const p of procs.filter((p) => p.role === 'worker')) boxes.push({ pid: p.pid, role: 'worker', busy: false, intensity: 0, cpuPercent: cpu.get(p.pid) ?? 0 })
  }
  const lg = sample?.loadGeneratorCpuPercent ?? 0
  boxes.push({ pid: 0, role: 'load generator', busy: lg >= 5, intensity: Math.min(1, lg / 100), cpuPercent: lg })

  const workerBoxes = boxes.filter((b) => b.role === 'worker')
  let caption: string
  if (!sample) caption = t('livePage.levelStarting', { label: runLabel(level) })
  else if (workerBoxes.length) {
    const busy = workerBoxes.filter((b) => b.busy).length
    const queued = Math.max(0, level.connections - workerBoxes.length)
    caption =
      t('livePage.workersBusy', { busy, all: workerBoxes.length }) +
      (queued > 0 && busy === workerBoxes.length ? t('livePage.acceptQueue', { queued, connections: level.connections }) : '.')
  } else {
    const server = boxes.find((b) => b.role === 'server')
    caption = t('livePage.oneProcess', { loop: model === 'event-loop' ? t('livePage.oneLoop') : '', connections: level.connections, cpu: fmt(server?.cpuPercent ?? 0, 0) })
  }
  return { topology: level.topology, model, level, boxes, caption }
}
