/**
 * The live page's state: a pure reducer from the run's events
 * (lab/core/events.ts, as the demo server streams them) to what the page
 * draws. No DOM, no Chart.js, so it is tested in unit tests.
 *
 * Feed it every envelope in order; a late browser gets the run's history
 * first, then live events, and ends in the same state as one that watched
 * from the start. A duplicate (an EventSource reconnect that replays) is ignored.
 */
import type { DoneEvent, Envelope, LiveProcess, PlanEvent, SampleEvent } from '../../../lab/core/events.js'
import type { Level } from '../../../lab/core/plan.js'
import type { ResultsDocument, RunResult, Warning } from '../../../lab/core/results.js'

/** A level of the plan as the page shows it. */
export interface LevelView {
  level: Level
  state: 'pending' | 'running' | 'done' | 'skipped'
  /** Epoch ms of its `level-start`. */
  startedAt?: number
  /** Epoch ms of its `level-done` (or of the run's end). */
  endedAt?: number
  run?: RunResult
}

/** A stretch of a run held between levels (step mode, pause): `to` absent while still held. Epoch ms. */
export interface Hold {
  after: number
  reason: 'step' | 'pause'
  from: number
  to?: number
}

/** The run before the current one, drawn dimmed behind it so two configurations can be compared. */
export interface PreviousRun {
  run: string
  /** What set it apart, from its command: e.g. `--quick --set server.workers=2`. */
  label: string
  plan: PlanEvent
  samples: SampleEvent[]
  holds: Hold[]
}

/** The run as the page knows it. */
export interface LiveState {
  /** The run's id; null before any event. */
  run: string | null
  /** `seq` of the last event applied, -1 before any. */
  seq: number
  /** `idle` before a plan; `stopped` when interrupted; `failed` for any other non-zero code. */
  status: 'idle' | 'running' | 'done' | 'stopped' | 'failed'
  plan: PlanEvent | null
  levels: LevelView[]
  /** Index of the running level. */
  current: number | null
  /** Processes of the running (or last) level, from its `level-start`. */
  processes: LiveProcess[]
  samples: SampleEvent[]
  runs: RunResult[]
  warnings: Warning[]
  done: DoneEvent | null
  /** Every hold so far, oldest first; the last one has no `to` while the run is held. */
  holds: Hold[]
  /** The previous run (kept when a new run's first event arrives), or null. */
  previous: PreviousRun | null
}

/** The state before any event. */
export function initialState(): LiveState {
  return { run: null, seq: -1, status: 'idle', plan: null, levels: [], current: null, processes: [], samples: [], runs: [], warnings: [], done: null, holds: [], previous: null }
}

/**
 * Applies one event. Pure: returns a new state (arrays that change are copied).
 * An envelope of another run starts over from that run.
 */
export function reduce(state: LiveState, env: Envelope): LiveState {
  let s = state
  if (env.run !== s.run) s = { ...initialState(), run: env.run, previous: s.plan && s.run && s.samples.length ? { run: s.run, label: commandLabel(s.plan), plan: s.plan, samples: s.samples, holds: s.holds } : s.previous }
  else if (env.seq <= s.seq) return s
  s = { ...s, seq: env.seq }
  const e = env.event
  switch (e.type) {
    case 'plan':
      return { ...s, status: 'running', plan: e, levels: e.levels.map((level) => ({ level, state: 'pending' })) }
    case 'calibrate':
      return s
    case 'level-start': {
      const levels = s.levels.slice()
      levels[e.level.index] = { level: e.level, state: 'running', startedAt: e.at }
      return { ...s, levels, current: e.level.index, processes: e.processes }
    }
    case 'sample':
      return { ...s, samples: [...s.samples, e] }
    case 'level-done': {
      const levels = s.levels.slice()
      const old = levels[e.level]
      if (old) levels[e.level] = { ...old, state: 'done', endedAt: e.at, run: e.run }
      return { ...s, levels, runs: [...s.runs, e.run], current: s.current === e.level ? null : s.current }
    }
    case 'warning':
      return { ...s, warnings: [...s.warnings, e.warning] }
    case 'hold':
      return { ...s, holds: [...s.holds, { after: e.after, reason: e.reason, from: e.at }] }
    case 'release':
      return { ...s, holds: s.holds.map((h, i) => (i === s.holds.length - 1 && h.to === undefined ? { ...h, to: e.at } : h)) }
    case 'done': {
      const levels = s.levels.map((l): LevelView => (l.state === 'done' ? l : { ...l, state: 'skipped', ...(l.state === 'running' ? { endedAt: e.at } : {}) }))
      const status = e.code === 0 ? 'done' : e.code === 130 || e.code === 143 ? 'stopped' : 'failed'
      return { ...s, levels, current: null, status, done: e, holds: s.holds.map((h) => (h.to === undefined ? { ...h, to: e.at } : h)) }
    }
  }
}

/** Whether the run is held between levels now, and why. */
export function heldNow(state: LiveState): Hold | undefined {
  const last = state.holds.at(-1)
  return state.status === 'running' && last && last.to === undefined ? last : undefined
}

/**
 * Seconds of a run from its plan to `at`, leaving out the time it was held
 * (so a pause leaves no gap on the live charts' time axis); one decimal.
 */
export function activeSeconds(plan: PlanEvent, holds: readonly Hold[], at: number): number {
  let held = 0
  for (const h of holds) if (h.from < at) held += Math.min(h.to ?? at, at) - h.from
  return Math.round((at - plan.at - held) / 100) / 10
}

/** A run's label for the overlay: its command's options after the scenario name, shell quotes dropped (`defaults` when none). */
export function commandLabel(plan: PlanEvent): string {
  const rest = plan.command.replace(/^npx lab run \S+\s*/, '').replace(/'/g, '').trim()
  return rest || 'defaults'
}

/** Applies a list of envelopes in order (a late browser's history). */
export function replay(envelopes: readonly Envelope[], state: LiveState = initialState()): LiveState {
  return envelopes.reduce(reduce, state)
}

/** A results document holding what the run measured so far, for the report's charts and verdicts. */
export function partialDocument(state: LiveState): ResultsDocument | null {
  const plan = state.plan
  if (!plan) return null
  return {
    schemaVersion: 1,
    complete: state.done?.complete ?? false,
    scenario: { name: plan.scenario.name, title: plan.scenario.title, definition: { workloads: plan.workloads } },
    stack: plan.stack,
    startedAt: new Date(plan.at).toISOString(),
    finishedAt: state.done ? new Date(state.done.at).toISOString() : null,
    env: { os: '', kernel: '', cpuModel: '', cores: 0, memoryBytes: 0, node: '', lab: '', engines: {} },
    command: plan.command,
    runs: state.runs,
    warnings: state.warnings,
  }
}
