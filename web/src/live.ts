/**
 * The live page's state: a pure reducer from the run's events
 * (lab/core/events.ts, as the demo server streams them) to what the page
 * draws, and the view-models of its panels. No DOM, no Chart.js, so it is
 * tested in unit tests and shares chart models and verdicts with the report
 * (model.ts).
 *
 * Feed it every envelope in order; a late browser gets the run's history
 * first, then live events, and ends in the same state as one that watched
 * from the start. A duplicate (an EventSource reconnect that replays) is ignored.
 */
import type { DoneEvent, Envelope, LiveProcess, PlanEvent, SampleEvent } from '../../lab/core/events.js'
import type { Level } from '../../lab/core/plan.js'
import type { ResultsDocument, RunResult, Warning } from '../../lab/core/results.js'
import {
  PALETTE,
  fmt,
  throughputChart,
  verdicts,
  type Band,
  type LineChartModel,
  type LineSeries,
  type Verdict,
} from './model.js'

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
}

/** The state before any event. */
export function initialState(): LiveState {
  return { run: null, seq: -1, status: 'idle', plan: null, levels: [], current: null, processes: [], samples: [], runs: [], warnings: [], done: null }
}

/**
 * Applies one event. Pure: returns a new state (arrays that change are copied).
 * An envelope of another run starts over from that run.
 */
export function reduce(state: LiveState, env: Envelope): LiveState {
  let s = state
  if (env.run !== s.run) s = { ...initialState(), run: env.run }
  else if (env.seq <= s.seq) return s
  s = { ...s, seq: env.seq }
  const e = env.event
  switch (e.type) {
    case 'plan':
      return { ...s, status: 'running', plan: e, levels: e.levels.map((level) => ({ level, state: 'pending' })) }
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
    case 'done': {
      const levels = s.levels.map((l): LevelView => (l.state === 'done' ? l : { ...l, state: 'skipped', ...(l.state === 'running' ? { endedAt: e.at } : {}) }))
      const status = e.code === 0 ? 'done' : e.code === 130 || e.code === 143 ? 'stopped' : 'failed'
      return { ...s, levels, current: null, status, done: e }
    }
  }
}

/** Applies a list of envelopes in order (a late browser's history). */
export function replay(envelopes: readonly Envelope[], state: LiveState = initialState()): LiveState {
  return envelopes.reduce(reduce, state)
}

// ------------------------------------------------------------ view-models

/** The level's name as the page writes it: `prefork · io-bound @64`. */
export function levelName(l: Level): string {
  return `${l.topology} · ${l.workload} @${l.connections}${l.repeat > 0 ? ` (repeat ${l.repeat + 1})` : ''}`
}

/** Colour of a topology: its place in the plan, as the report colours it. */
function colorOf(state: LiveState, topology: string): string {
  const i = state.plan?.topologies.findIndex((t) => t.id === topology) ?? 0
  return PALETTE[Math.max(0, i) % PALETTE.length] ?? PALETTE[0]
}

/** Seconds since the run's plan, one decimal. */
function runSeconds(state: LiveState, at: number): number {
  return Math.round((at - (state.plan?.at ?? at)) / 100) / 10
}

function niceStep(range: number): number {
  return range <= 20 ? 1 : range <= 60 ? 5 : range <= 150 ? 10 : range <= 400 ? 30 : 60
}

/** The x axis of the live charts: run seconds, wide enough for the whole estimated run so lines grow left to right. */
function timeAxis(state: LiveState): LineChartModel['x'] {
  const last = state.samples.at(-1)
  const lastX = last ? runSeconds(state, last.at) : 0
  const plan = state.plan
  const expected = plan ? plan.estimatedS * 1.15 + plan.topologies.length * 0.5 + 1 : 10
  const max = Math.ceil(Math.max(expected, lastX + 1))
  return { title: 'seconds since Run', type: 'linear', min: 0, max, step: niceStep(max) }
}

/** One band per started level, labelled `@connections` (with the workload when there are several), every other one shaded. */
function levelBands(state: LiveState): Band[] {
  const workloads = new Set(state.plan?.levels.map((l) => l.workload) ?? [])
  const lastAt = state.samples.at(-1)?.at
  return state.levels.flatMap((l, i): Band[] => {
    if (l.startedAt === undefined) return []
    const end = l.endedAt ?? Math.max(lastAt ?? l.startedAt, l.startedAt)
    const label = `${workloads.size > 1 ? `${l.level.workload} ` : ''}@${l.level.connections}`
    return [{ axis: 'x', from: runSeconds(state, l.startedAt), to: runSeconds(state, end), label, shade: i % 2 === 0 }]
  })
}

/** A line per topology of one figure of the samples. */
function sampleSeries(state: LiveState, y: (s: SampleEvent) => number | null, marker: LineSeries['marker']): LineSeries[] {
  const ids = state.plan?.topologies.map((t) => t.id) ?? []
  return ids
    .map((id) => ({
      label: id,
      color: colorOf(state, id),
      style: 'line' as const,
      axis: 'y' as const,
      marker,
      points: state.samples.flatMap((s) => {
        const v = s.topology === id ? y(s) : null
        return v === null ? [] : [{ x: runSeconds(state, s.at), y: v }]
      }),
    }))
    .filter((s) => s.points.length > 0 || ids.length <= 3)
}

function sampleTable(series: LineSeries[], digits: number) {
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p.x)))].sort((a, b) => a - b)
  return {
    columns: ['second', ...series.map((s) => s.label)],
    rows: xs.map((x) => [fmt(x), ...series.map((s) => fmt(s.points.find((p) => p.x === x)?.y, digits))]),
  }
}

/** Requests per second, second by second, one line per topology; levels marked along the time axis. */
export function liveThroughputChart(state: LiveState): LineChartModel {
  const series = sampleSeries(state, (s) => s.perSecond, 'circle')
  return {
    kind: 'line',
    id: 'live-throughput',
    title: 'Throughput, live',
    caption: 'Responses completed each second. Each shaded or labelled stretch is one level (@ = connections); a line that stops rising as connections grow has run out of workers or CPU.',
    x: timeAxis(state),
    y: { title: 'req/s', type: 'linear', min: 0 },
    series,
    bands: levelBands(state),
    table: sampleTable(series, 0),
  }
}

/**
 * Ticks of a log axis on the 1-2-5 sequence covering `[lo, hi]`, with the
 * axis bounds on ticks: 47..840 → 20, 50, 100, 200, 500, 1000.
 */
export function logTicks(lo: number, hi: number): { ticks: number[]; min: number; max: number } {
  const steps = [1, 2, 5]
  const all: number[] = []
  for (let e = -3; e <= 7; e++) for (const s of steps) all.push(Number((s * 10 ** e).toPrecision(1)))
  const min = [...all].reverse().find((t) => t <= lo) ?? all[0] ?? 0.001
  const max = all.find((t) => t >= hi) ?? all.at(-1) ?? 1e7
  const ticks = all.filter((t) => t >= min && t <= max)
  return { ticks, min, max }
}

/** p99 latency, second by second (log scale), one line per topology. */
export function liveLatencyChart(state: LiveState): LineChartModel {
  const series = sampleSeries(state, (s) => (s.p99Ms !== null && s.p99Ms > 0 ? s.p99Ms : null), 'triangle')
  const ys = series.flatMap((s) => s.points.map((p) => p.y))
  const axis = ys.length ? logTicks(Math.min(...ys), Math.max(...ys)) : { ticks: [10, 20, 50, 100], min: 10, max: 100 }
  return {
    kind: 'line',
    id: 'live-latency',
    title: 'p99 latency, live',
    caption: '99 % of the requests completed in each second took less than this (log scale): queueing shows up here first.',
    x: timeAxis(state),
    y: { title: 'p99 (ms)', type: 'logarithmic', ...axis },
    series,
    bands: levelBands(state),
    table: sampleTable(series, 1),
  }
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

/** The throughput-against-connections chart of the report, per workload, from the levels measured so far. */
export function ladderCharts(state: LiveState): LineChartModel[] {
  const doc = partialDocument(state)
  if (!doc || state.runs.length === 0) return []
  const workloads = [...new Set(state.runs.map((r) => r.workload))]
  return workloads.map((w) => ({ ...throughputChart([doc], w), caption: 'Mean req/s of each measured level against its connections (the report draws the same chart).' }))
}

/** The verdict lines of the report, from the levels measured so far (empty until two topologies share a level). */
export function liveVerdicts(state: LiveState): Verdict[] {
  const doc = partialDocument(state)
  return doc && doc.runs.length ? verdicts([doc]) : []
}

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
  if (!sample) caption = `${levelName(level)}: starting…`
  else if (workerBoxes.length) {
    const busy = workerBoxes.filter((b) => b.busy).length
    const queued = Math.max(0, level.connections - workerBoxes.length)
    caption =
      `${busy} of ${workerBoxes.length} workers busy; each serves one request at a time` +
      (queued > 0 && busy === workerBoxes.length ? `, so up to ${queued} of the ${level.connections} connections wait in the accept queue.` : '.')
  } else {
    const server = boxes.find((b) => b.role === 'server')
    caption = `One process${model === 'event-loop' ? ', one event loop' : ''}: all ${level.connections} connections in flight at once; it used ${fmt(server?.cpuPercent ?? 0, 0)} % of a core.`
  }
  return { topology: level.topology, model, level, boxes, caption }
}

/** The status line: what is running and how far along the run is. */
export interface StatusLine {
  headline: string
  detail: string
  /** 0..1 of the levels done (the running one counted by its seconds). */
  progress: number
}

/** What the status line says for a state. */
export function statusLine(state: LiveState): StatusLine {
  const plan = state.plan
  if (!plan) return { headline: 'Ready', detail: 'Pick a scenario, turn the knobs, press Run.', progress: 0 }
  const total = plan.levels.length
  const doneCount = state.levels.filter((l) => l.state === 'done').length
  if (state.status !== 'running') {
    const headline =
      state.status === 'done' ? 'Done' : state.status === 'stopped' ? 'Stopped' : `Failed${state.done?.code ? ` (code ${state.done.code})` : ''}`
    const detail =
      state.status === 'failed' && state.done?.error
        ? state.done.error.split('\n')[0] ?? ''
        : `${doneCount} of ${total} level${total === 1 ? '' : 's'} measured${state.status === 'stopped' ? ' before it was stopped; what was measured is saved' : ''}.`
    return { headline, detail, progress: doneCount / Math.max(1, total) }
  }
  const cur = state.current !== null ? state.levels[state.current] : undefined
  if (!cur) return { headline: `Starting ${plan.scenario.title}`, detail: `${total} levels, about ${Math.round(plan.estimatedS)} s`, progress: doneCount / Math.max(1, total) }
  const last = state.samples.at(-1)
  const mine = last && last.level === cur.level.index ? last : undefined
  const perLevel = plan.load.warmup_s + plan.load.duration_s
  const within = mine ? Math.min(1, mine.t / Math.max(1, perLevel)) : 0
  const detail = mine
    ? `${mine.warmup ? 'warming up' : 'measuring'}, second ${mine.t}: ${fmt(mine.perSecond, 0)} req/s, p99 ${fmt(mine.p99Ms)} ms${mine.errors ? `, ${mine.errors} errors` : ''}`
    : 'starting the load…'
  return {
    headline: `Level ${cur.level.index + 1} of ${total}: ${levelName(cur.level)}`,
    detail,
    progress: (doneCount + within) / Math.max(1, total),
  }
}
