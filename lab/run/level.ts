/**
 * One level of a run, on a topology already started: slow clients first, the
 * side loads (probe, streams), then the closed loop of the load driver with
 * its warm-up and measured window, the /proc samples around it, and the
 * level's result with the model's prediction beside it. Emits `level-start`,
 * `sample`s (when someone listens) and progress ticks; `level-done` is the
 * caller's, once the result is saved.
 */
import { epochMs } from '../core/events.js'
import { requestKinds } from '../core/mix.js'
import type { Prediction } from '../core/model.js'
import { openStationFor, predictOpenLevel } from '../core/open-level.js'
import type { Level, OpenLevel, Plan } from '../core/plan.js'
import type { RunResult } from '../core/results.js'
import { workerMemory } from '../core/results-memory.js'
import type { EffectiveLoad, TopologyDef, Workload } from '../core/scenario.js'
import type { LevelMeasurement, LevelProgress, LoadDriver } from '../load/driver.js'
import { startProbe, startStreams } from '../load/side.js'
import { startLevelSlowClients, type RunLink } from './link.js'
import type { Sampler } from '../topology/sampler.js'
import { countTimeWait } from '../topology/sockets.js'
import type { RunningTopology } from '../topology/topology.js'
import { WINDOW_RULES, chooseWindow, eventPct, rarestKindPct, type WindowChoice } from '../core/window.js'
import type { RunEvents } from './events.js'
import { startWebSockets } from '../load/websockets.js'
import { otherCpuPercent, readCpuTimes } from './machine-load.js'
import { predictionFor, predictionsFor, toRunResult, type MachineFacts } from './result.js'
import { LevelSamples } from './samples.js'

/** `/work?io_ms=..&cpu_ms=..&bytes=..` (and the fault rates, when set) for a workload (docs/workload-contract.md). */
export function workPath(w: Workload): string {
  const faults = `${w.crash_pct ? `&crash_pct=${w.crash_pct}` : ''}${w.hang_pct ? `&hang_pct=${w.hang_pct}` : ''}${w.leak_kb ? `&leak_kb=${w.leak_kb}` : ''}`
  return `/work?io_ms=${w.io_ms}&cpu_ms=${w.cpu_ms}&bytes=${w.bytes}${faults}`
}

/**
 * Seconds of warm-up allowed per connection to open it and get a first
 * answer, beyond the predicted latency. On the project's shared 2-core
 * machine, 4,096 connections to an event loop took 1 to 6 s from the start
 * of the load to every one answered, most of it the load generator setting
 * its clients up on its one thread (autocannon 9, `initialiseClients`); and
 * 10,000 opened at once overflow the accept queue (`backlog`, at most
 * `net.core.somaxconn`), so some wait for SYN retransmissions 1, 3, 7, 15 s
 * after their first try (Linux's initial RTO of 1 s, doubled each time:
 * RFC 6298): their first answers came up to 17 s after the start.
 */
export const WARMUP_S_PER_CONNECTION = 0.002

/**
 * How long a level's warm-up may run (s): at least `warmupS`, and long enough
 * for every connection to get one answer at the predicted latency (twice it,
 * for slack, but at most 10 s more) after it has connected
 * ({@link WARMUP_S_PER_CONNECTION} each); a level the model says cannot
 * answer at all (every worker held) gets no extension.
 */
export function warmupCap(warmupS: number, expected: Prediction, connections = 0): number {
  if (expected.perSecond === 0) return warmupS
  const connecting = connections * WARMUP_S_PER_CONNECTION
  if (!Number.isFinite(expected.meanMs)) return warmupS + 10 + connecting
  return warmupS + Math.min(10, Math.max(1, (2 * expected.meanMs) / 1000)) + connecting
}

/** What a level needs besides the level itself. */
export interface LevelContext {
  /** The topology's definition (for the model). */
  def: TopologyDef
  topology: RunningTopology
  plan: Plan
  /** The topology's own load (`plan.topologies[i].load`): closed or open loop, its warm-up, duration and timeout. */
  load: EffectiveLoad
  /** The driver of open-loop levels (lab/load/open-loop.ts). */
  openDriver: LoadDriver
  /** The machine's cores (`env.cores`). */
  cores: number
  driver: LoadDriver
  /** The /proc sampler, already started. */
  sampler: Sampler
  events: RunEvents
  signal?: AbortSignal
  /**
   * The topology's calibration and how the machine is shared, for the "this
   * machine" prediction; its `otherCpuPercent` (from the level before) sizes
   * the window, the level's own replaces it in the prediction recorded.
   */
  machine?: MachineFacts
  /** The run's network link for slow clients (lab/run/link.ts), when a workload asks for one. */
  link?: RunLink
}

/**
 * The window to measure a level for (lab/core/window.ts), from the model's
 * prediction before the level: the calibrated one when there is one. A level
 * the model says answers nothing (every worker held: its latency is then the
 * client's timeout) is sized by whole seconds only: no window holds a
 * completion, and measuring that is the lesson.
 */
export function levelWindow(load: Plan['load'], connections: number, expected: Prediction | undefined, pct: number, rareKindPct?: number): WindowChoice {
  const answers = expected !== undefined && expected.perSecond > 0
  return chooseWindow({
    durationS: load.duration_s,
    connections,
    ...(answers ? { predictedMeanMs: expected.meanMs, predictedPerSecond: expected.perSecond } : {}),
    ...(pct > 0 ? { eventPct: pct } : {}),
    ...(rareKindPct ? { rareKindPct } : {}),
    capS: Math.max(load.max_duration_s, load.duration_s),
    margin: WINDOW_RULES.planMargin,
  })
}

/** A measured level. */
export interface MeasuredLevel {
  run: RunResult
  /** End of the measured window, `performance.now()` ms (older samples may be forgotten). */
  windowEnd: number
}

/**
 * Runs one level.
 * @returns the level's result, or undefined when the run was interrupted during it
 * @throws whatever the driver or a side load throws (the caller stops the topology)
 */
export async function runLevel(ctx: LevelContext, level: Level): Promise<MeasuredLevel | undefined> {
  const { topology, sampler, plan, events, load } = ctx
  const workload = plan.workloads[level.workload] as Workload
  // every worker pid the level saw, the recycled ones and their replacements, for `workerMemory`
  const workerPids = new Set<number>()
  const watch = (): void => {
    const processes = topology.processes()
    for (const p of processes) if (p.role === 'worker') workerPids.add(p.pid)
    sampler.watch(processes.map((p) => p.pid))
  }
  watch()
  const samples = events.wants('sample') ? new LevelSamples(level, topology, sampler, (e) => events.emit(e)) : undefined
  events.emit({ type: 'level-start', at: epochMs(performance.now()), level, processes: topology.processes().map((p) => ({ pid: p.pid, role: p.role })) })
  const open = level.openLoop
  const expected = open ? undefined : predictionsFor(ctx.def, workload, level.connections, ctx.cores, load.timeout_s, ctx.machine)
  // an open loop's warm-up is the schedule's first warmup_s seconds, whatever the server does
  const maxWarmupS = open ? load.warmup_s : warmupCap(load.warmup_s, expected ?? { perSecond: NaN, meanMs: NaN }, level.connections)
  let window = levelWindow(load, level.connections, expected, open ? 0 : eventPct(workload), open ? undefined : rarestKindPct(workload))
  // slow clients first, so they are ahead of the load generator in the server's accept queue
  const slow = await startLevelSlowClients(ctx.link, topology, workload, maxWarmupS + Math.max(load.max_duration_s, window.durationS) + 5)
  const side = startSideLoads(topology.url, workload, load)
  const deploy = scheduleDeploy(ctx)
  let m: LevelMeasurement
  let slowClients: RunResult['slowClients']
  const cpuBefore = readCpuTimes()
  // when the window opens: size it again with the CPU other processes took during the warm-up
  const resize = (): number => {
    const now = readCpuTimes()
    const other = otherCpuPercent(cpuBefore, now, ourCpuPercent(topology, sampler, cpuBefore?.at, now?.at))
    // an open loop's window is its schedule's
    if (other === undefined || open) return window.durationS
    const again = predictionsFor(ctx.def, workload, level.connections, ctx.cores, load.timeout_s, { ...ctx.machine, otherCpuPercent: other })
    window = levelWindow(load, level.connections, again, eventPct(workload), rarestKindPct(workload))
    return window.durationS
  }
  try {
    m = await drive(ctx, level, workload, maxWarmupS, window.durationS, resize, (p) => {
      watch()
      events.progress({ level, fraction: p.fraction, phase: p.phase, perSecond: p.perSecond })
      samples?.progress(p)
    })
  } catch (err) {
    await side.stop(0, 0).catch(() => {})
    await deploy.settle().catch(() => {})
    throw err
  } finally {
    slowClients = await slow?.stop()
  }
  await deploy.settle()
  sampler.tick()
  const cpuAfter = readCpuTimes()
  const extras = await side.stop(m.windowStart, m.windowEnd)
  if (m.aborted) return undefined
  const measured = toRunResult(level, m, topology, sampler)
  const run: RunResult = {
    ...measured,
    window: { ...(measured.window ?? { warmupS: 0, measuredS: measured.durationS, definition: '' }), askedS: load.duration_s, verdict: window.verdict, rule: window.rule, message: window.message },
    ...extras,
    ...(slowClients ? { slowClients } : {}),
    ...socketsOf(countTimeWait(Number(new URL(topology.url).port))),
  }
  const memory = workerMemory(sampler.readings([...workerPids], m.windowStart, m.windowEnd), m.loadStartedAt, { instants: sampler.instants(m.windowStart, m.windowEnd) })
  if (memory) run.workerMemory = memory
  const other = otherCpuPercent(cpuBefore, cpuAfter, ourCpuPercent(topology, sampler, cpuBefore?.at, cpuAfter?.at))
  if (other !== undefined) run.otherCpuPercent = other
  const prediction = level.openLoop ? openPrediction(ctx, level.openLoop, workload, run.openLoop?.offeredPerSecond) : predictionFor(ctx.def, workload, run, ctx.cores, load.timeout_s, ctx.machine)
  if (prediction) run.prediction = prediction
  return { run, windowEnd: m.windowEnd }
}

/**
 * An open-loop level's prediction (lab/core/open-level.ts), or undefined where the model has nothing to say.
 * It is taken at the rate the generator actually offered in the window when there is one: Poisson
 * arrivals in a short window stray from the asked rate (65 in 2 s where 40/s was asked), and what the
 * server did with the arrivals it got is what the model predicts.
 */
function openPrediction(ctx: LevelContext, open: OpenLevel, workload: Workload, offeredPerSecond?: number): RunResult['prediction'] | undefined {
  const choice = openStationFor(ctx.def, workload, ctx.cores)
  if (!choice) return undefined
  const rate = offeredPerSecond && offeredPerSecond > 0 ? offeredPerSecond : open.ratePerSecond
  return predictOpenLevel(choice, rate, ctx.load.warmup_s, ctx.load.duration_s, open.maxConnections)
}

/** CPU of the level's servers and of the lab itself between two instants (ms), percent of one core. */
function ourCpuPercent(topology: RunningTopology, sampler: Sampler, from: number | undefined, to: number | undefined): number {
  if (from === undefined || to === undefined) return 0
  const servers = topology.processes().reduce((sum, p) => sum + (sampler.usage(p.pid, from, to)?.cpuPercent.mean ?? 0), 0)
  return servers + (sampler.selfUsage(from, to)?.cpuPercent.mean ?? 0)
}

/** Hands the level to the load driver: the workload's path, or its mix of request kinds. */
function drive(ctx: LevelContext, level: Level, workload: Workload, maxWarmupS: number, durationS: number, windowS: () => number, onProgress: (p: LevelProgress) => void): Promise<LevelMeasurement> {
  const { load, topology } = ctx
  const kinds = workload.mix?.length ? requestKinds(workload) : undefined
  const open = level.openLoop
  return (open ? ctx.openDriver : ctx.driver).runLevel({
    url: topology.url + (kinds?.[0]?.path ?? workPath(workload)),
    ...(kinds ? { requests: kinds.map((k) => ({ path: k.path, weight: k.weight, label: k.label, ...(k.method ? { method: k.method } : {}), ...(k.body !== undefined ? { body: k.body } : {}) })), split: workload.mix_split ?? 'requests' } : {}),
    connections: level.connections,
    warmupS: load.warmup_s,
    maxWarmupS,
    durationS,
    windowS,
    maxDurationS: open ? durationS : Math.max(load.max_duration_s, load.duration_s),
    timeoutS: load.timeout_s,
    ...(workload.close_connections ? { closeConnections: true } : {}),
    ...(open ? { open: { ratePerS: open.ratePerSecond, arrival: open.arrival, maxConnections: open.maxConnections } } : {}),
    signal: ctx.signal,
    onProgress,
  })
}

/**
 * Deploys a new version `deploy.at_s` seconds after the level's load starts,
 * when the topology asks for it (lab/core/scenario.ts, `deploy`).
 * `settle()` cancels a deploy not yet begun and resolves once one begun is
 * done; it rejects with the deploy's error (a restart that did not start).
 * @throws Error at once when the topology cannot deploy
 */
function scheduleDeploy(ctx: LevelContext): { settle(): Promise<void> } {
  const d = ctx.def.deploy
  if (!d) return { settle: async () => {} }
  const deploy = ctx.topology.deploy
  if (!deploy) throw new Error(`${ctx.topology.id}: this topology cannot deploy`)
  let running: Promise<void> | undefined
  const timer = setTimeout(() => {
    running = deploy(d.how)
    running.catch(() => {}) // seen by settle()
  }, d.at_s * 1000)
  return {
    settle() {
      clearTimeout(timer)
      return running ?? Promise.resolve()
    },
  }
}

/** Starts the loads a workload or the scenario's load asks for beside the main loop; `stop` returns their results. */
function startSideLoads(baseUrl: string, workload: Workload, load: EffectiveLoad) {
  const probe = load.probe ? startProbe(baseUrl, load.probe.path, load.timeout_s, load.probe.interval_ms) : undefined
  const streams = workload.streams ? startStreams(baseUrl, workload.streams.count, workload.streams.interval_ms) : undefined
  const w = workload.websockets
  const sockets = w ? startWebSockets(baseUrl, w.clients, w.room_size, w.interval_ms) : undefined
  return {
    async stop(from: number, to: number): Promise<Partial<Pick<RunResult, 'probe' | 'streams' | 'websockets'>>> {
      const out: Partial<Pick<RunResult, 'probe' | 'streams' | 'websockets'>> = {}
      if (streams) out.streams = streams.stop()
      if (sockets) out.websockets = sockets.stop(from, to)
      if (probe) out.probe = await probe.stop(from, to)
      return out
    },
  }
}

/** The level's `sockets` entry: absent where TIME_WAIT cannot be counted (no /proc), never a made-up 0. */
function socketsOf(timeWait: number | undefined): { sockets?: { timeWait: number } } {
  return timeWait === undefined ? {} : { sockets: { timeWait } }
}
