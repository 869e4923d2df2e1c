/**
 * The lab's event stream: what the run engine (lab/run) tells its listeners
 * while a scenario runs. The live demo page (over server-sent events, with history for a late
 * browser) and the NDJSON event log beside the results both carry these
 * events unchanged (docs/architecture.md, "One stream of events": one stream
 * feeds the live page and the record).
 *
 * Every event has `at`: wall-clock epoch milliseconds
 * (`performance.timeOrigin + performance.now()`), so a browser on the same
 * machine can measure how long an event took to reach its screen.
 *
 * Pure: types and small helpers only, no I/O.
 */
import type { Level } from './plan.js'
import type { RunResult, Warning } from './results.js'
import type { Workload } from './scenario.js'
import type { ProcessRole } from './vocabulary.js'

/** A topology as the live page needs to know it before any sample arrives. */
export interface TopologyInfo {
  id: string
  /** The server's architecture, e.g. `prefork`, `event-loop`. */
  model: string
  /** Pre-forked workers (prefork only). */
  workers?: number
}

/** The run's plan: sent once, first. */
export interface PlanEvent {
  type: 'plan'
  at: number
  scenario: { name: string; title: string; summary: string }
  stack: string
  quick: boolean
  topologies: TopologyInfo[]
  workloads: Record<string, Workload>
  load: { connections: number[]; warmup_s: number; duration_s: number; repeat: number }
  /** Every level of the plan, in the order they run. */
  levels: Level[]
  /** Lower bound of the load time, in seconds. */
  estimatedS: number
  /** The results JSON this run writes (`<out>/<scenario>/<stamp>.json`). */
  file: string
  /** The command line that reproduces the run. */
  command: string
  /** Topologies left out because an engine they pin is not installed (`id: why`); absent when none. */
  skipped?: string[]
  /** What the lab did with the request that the user should know (e.g. a `--set load.*` applied to the quick run too); absent when none. */
  notices?: string[]
}

/** A server process at the start of a level. */
export interface LiveProcess {
  pid: number
  role: ProcessRole
}

/** A level begins: its topology is up and the load is about to start. */
export interface LevelStartEvent {
  type: 'level-start'
  at: number
  level: Level
  processes: LiveProcess[]
}

/** One pre-fork worker as the master reported it (IPC `{type:'status'}`), over the last second. */
export interface WorkerSample {
  pid: number
  /** Busy at the last poll. */
  busy: boolean
  /** Fraction of the polls in the second that found it busy, 0..1. */
  busyFraction: number
  /** Requests it has served since it started. */
  requests: number
}

/**
 * One second of a running level. `at` is when the second ended (the moment
 * its figures were complete); latencies are of the responses completed in it.
 */
export interface SampleEvent {
  type: 'sample'
  at: number
  /** Index of the level in the plan. */
  level: number
  topology: string
  /** End of the second, in seconds since the level's load started (warm-up included). */
  t: number
  /** True while the discarded warm-up was running. */
  warmup: boolean
  perSecond: number
  p50Ms: number | null
  p99Ms: number | null
  errors: number
  /** CPU of each server process over the last second, percent of one core. */
  processes: Array<LiveProcess & { cpuPercent: number }>
  /** CPU of the lab's own process (the load generator), percent of one core. */
  loadGeneratorCpuPercent: number
  /** Pre-fork workers (only for a built-in prefork server). */
  workers?: WorkerSample[]
}

/**
 * The run measures an engine's calibration (lab/run/calibrate.ts): a
 * hello-world level of a couple of seconds, before the first level, when
 * the cache has none for this machine, engine, version and settings.
 */
export interface CalibrateEvent {
  type: 'calibrate'
  at: number
  engine: string
  /** The settings that change its cost per response, e.g. `model=prefork workers=4`. */
  settings: string
}

/** A level was measured; `run` is its entry in the results' `runs`. */
export interface LevelDoneEvent {
  type: 'level-done'
  at: number
  level: number
  run: RunResult
}

/** A warning from the catalogue (`core/warnings`), as it is added to the results. */
export interface WarningEvent {
  type: 'warning'
  at: number
  warning: Warning
}

/** Why a run is held between levels: `step` waits for Next, `pause` for Resume. */
export type HoldReason = 'step' | 'pause'

/** The demo's gate between levels as the page shows it (lab/run/gate.ts). */
export interface GateState {
  /** Step mode: hold after each level until Next. */
  step: boolean
  /** Paused: hold at the next level boundary until Resume. */
  paused: boolean
  /** The reason the run is held now, or null while it runs. */
  holding: HoldReason | null
}

/**
 * The run is held between levels (the demo's step mode or pause,
 * lab/run/gate.ts): no load runs and no window is open until `release`.
 */
export interface HoldEvent {
  type: 'hold'
  at: number
  /** Index of the level just measured. */
  after: number
  /** `step`: waits for Next; `pause`: waits for Resume. */
  reason: HoldReason
}

/** A hold ended (Next, Resume or Stop). */
export interface ReleaseEvent {
  type: 'release'
  at: number
  /** How long the run was held, in ms (left out of every window and of the live charts' time axis). */
  heldMs: number
}

/** The run ended: finished, interrupted, failed or refused. */
export interface DoneEvent {
  type: 'done'
  at: number
  /** `lab run`'s exit code: 0 done, 1 failed, 2 bad input, 3 engine missing, 130/143 interrupted. */
  code: number
  /** True when every level was measured. */
  complete: boolean
  /** The results JSON, when anything was saved. */
  file?: string
  /** The HTML report, when written. */
  report?: string
  /** Why it failed (codes 1, 2, 3). */
  error?: string
  /** Added by the demo server: URLs of the saved files under its read-only `/results/` prefix. */
  links?: { results?: string; report?: string; events?: string }
}

/** Everything the run engine reports, discriminated on `type`. */
export type LabEvent = PlanEvent | CalibrateEvent | LevelStartEvent | SampleEvent | LevelDoneEvent | WarningEvent | HoldEvent | ReleaseEvent | DoneEvent

/** The `type`s of {@link LabEvent}. */
export type LabEventType = LabEvent['type']

/** An event as the demo server streams and logs it: which run, its position in that run, the event. */
export interface Envelope {
  run: string
  /** 0-based position of the event in its run. */
  seq: number
  event: LabEvent
}

/** Converts a `performance.now()` reading to epoch milliseconds. */
export function epochMs(perfNow: number, origin: number = performance.timeOrigin): number {
  return origin + perfNow
}
