/**
 * A short calibration of the machine (issue 11, "A model calibrated to the
 * machine"): for each engine a run uses, a hello-world level of a couple of
 * seconds measures what serving one response costs in server CPU (all the
 * engine's processes) and in load-generator CPU, from /proc (lab/topology/sampler.ts).
 * The "this machine" prediction (lab/core/calibrated.ts) adds both to the model.
 *
 * A calibration is cached (lab/store/calibration.ts) per machine, engine,
 * version and the settings that change its cost (a pre-fork pool's workers,
 * keep-alive, threads, the Python app), so it is measured once, not once per
 * run; `lab run --recalibrate` measures again.
 *
 * The hello-world level: `GET /work?io_ms=0&cpu_ms=0&bytes=1024` (the
 * workload contract's request with no work and the default body), 0.25 s of
 * warm-up (and until every connection has an answer), then 1 s measured
 * (again, longer, when that held under 10 responses per connection:
 * {@link calibrationWindowS}), on
 * enough connections to keep every worker busy, or, for an event loop, about
 * as many as the run's largest level ({@link calibrationConnections}). A
 * server is then timed on one connection ({@link TIMER_PROBE_MS}): the
 * round trip and the engine's timer overshoot, which the model adds as delays.
 */
import { calibrationFromLevel, delaysFromLatency, type Calibration } from '../core/calibrated.js'
import type { CalibrationRecord } from '../core/results.js'
import { MULTI_LOOP_ENGINES } from '../core/vocabulary.js'
import { WINDOW_RULES } from '../core/window.js'
import type { ProxyDef, ServerDef, TopologyDef } from '../core/scenario.js'
import { isBuiltinEngine, proxyEngineOf, serverEngineOf } from '../engines/registry.js'
import type { Stack } from '../engines/types.js'
import type { LoadDriver } from '../load/driver.js'
import { readCalibration, writeCalibration, type CalibrationKey } from '../store/calibration.js'
import type { Sampler } from '../topology/sampler.js'
import type { RunningTopology, startTopology } from '../topology/topology.js'
import { LAB_VERSION } from './env.js'
import { warmupCap } from './level.js'
import { readyTimeoutMs } from './ready.js'

/**
 * The hello-world level every engine is calibrated on: 0.25 s of warm-up and
 * 1 s measured (more when that holds under 10 responses per connection:
 * {@link calibrationWindowS}). One second is thousands of responses on the
 * few connections most runs need, and the CPU samples (every 250 ms, in
 * 10 ms ticks) resolve it to about 1 %; the calibration must fit the main
 * scenario's first quick run in 20 s (issue 11), two engines included.
 */
export const CALIBRATION_LEVEL = { path: '/work?io_ms=0&cpu_ms=0&bytes=1024', warmupS: 0.25, durationS: 1, timeoutS: 10 } as const

/**
 * The request a pre-fork pool is calibrated with: it waits 1 ms, blocking its
 * worker, as a sync worker blocks on every real request. Blocking and waking
 * again costs CPU the hello-world request does not show: on the project's
 * 2-core machine, 64 workers spent 1.0 ms of server CPU and 0.38 ms of
 * client CPU per response with the 1 ms wait against 0.56 and 0.27 without
 * it; 4 workers 0.48 and 0.28 against 0.25 and 0.14.
 */
export const POOL_CALIBRATION_PATH = '/work?io_ms=1&cpu_ms=0&bytes=1024'

/**
 * The two one-connection levels a server's calibration times after its CPU
 * level: a request with no work, and one that waits {@link TIMER_PROBE_MS}.
 * One connection, so nothing queues: what the first takes is the round trip
 * and both sides' turns, and what the second takes beyond it and the wait is
 * how late the engine's timer fires. 0.1 s of warm-up, 0.5 s measured each
 * (about 45 waits of 11 ms; the mean is what the model uses).
 */
export const TIMER_PROBE_MS = 10
const LATENCY_LEVELS = { none: '/work?io_ms=0&cpu_ms=0&bytes=1024', wait: `/work?io_ms=${TIMER_PROBE_MS}&cpu_ms=0&bytes=1024`, warmupS: 0.1, durationS: 0.5 } as const

/** The request a server part is calibrated with: the hello-world one, or {@link POOL_CALIBRATION_PATH} for a pool. */
export function calibrationPath(server: Pick<ServerDef, 'model'>): string {
  return server.model === 'event-loop' ? CALIBRATION_LEVEL.path : POOL_CALIBRATION_PATH
}

/** What calibrating needs from the run. */
export interface CalibrationContext {
  stack: Stack
  /** The machine, as cache keys name it (see {@link machineKey}). */
  machine: string
  /** Versions of the real engines the run detected (`env.engines`); built-in engines carry the lab's. */
  versions: Record<string, string>
  /** Measure again even when the cache has a calibration (`--recalibrate`). */
  recalibrate: boolean
  driver: LoadDriver
  /** The run's /proc sampler, already started. */
  sampler: Sampler
  start: typeof startTopology
  /** A folder for the calibration topologies' logs. */
  runDir: string
  /** The cache file (default: lab/store/calibration.ts `cacheFile()`). */
  cacheFile?: string
  /** Calibrations this run has already made or read, by key: each is measured at most once per run. */
  seen: Map<string, CalibrationRecord>
  /** Told before each calibration is measured (not when it comes from the cache). */
  onMeasure?: (engine: string, settings: string) => void
}

/** A topology's calibration: its server engine's, and its proxy engine's when it has one. */
export interface TopologyCalibration {
  server: CalibrationRecord
  proxy?: CalibrationRecord
}

/** `lab-vm-01 · Intel(R) Xeon(R) … · 2 cores`: a machine as cache keys name it. */
export function machineKey(env: { hostname?: string; cpuModel: string; cores: number }): string {
  return `${env.hostname ?? 'host'} · ${env.cpuModel} · ${env.cores} cores`
}

/** The model's calibration of a topology: server and client CPU per response, and the proxy's. */
export function modelCalibration(c: TopologyCalibration): Calibration {
  return {
    serverMsPerRequest: c.server.serverMsPerRequest,
    clientMsPerRequest: c.server.clientMsPerRequest,
    ...(c.server.latency ? delaysFromLatency(c.server.latency, c.server.serverMsPerRequest) : {}),
    ...(c.proxy?.proxyMsPerRequest !== undefined ? { proxyMsPerRequest: c.proxy.proxyMsPerRequest } : {}),
  }
}

/** A server part as calibrated: the scenario's, less what sheds, recycles or serves files, and less a scenario's own config or app file (the engine is calibrated on the lab's app). */
function serverPart(server: ServerDef, engine: string): ServerDef {
  const { limit_concurrency: _limit, max_requests: _max, max_requests_jitter: _jitter, static_dir: _static, config_file: _conf, app_file: _app, ...rest } = server
  return { ...rest, engine: engine as ServerDef['engine'], timeout_s: 30 }
}

/** The settings of a server part that change its cost per response, and the connections it is calibrated on. */
function serverSettings(s: ServerDef, connections: number): string {
  const parts = [`model=${s.model}`]
  if (s.model === 'prefork') parts.push(`workers=${s.workers} io_ms=1`)
  else parts.push(`connections=${connections}`)
  // threads and several loops: the pool's processes change what a response costs, as a pre-fork pool's do
  if (s.model === 'threaded' || (MULTI_LOOP_ENGINES as readonly string[]).includes(s.engine ?? '')) parts.push(`workers=${s.workers}`)
  if (s.threads !== undefined) parts.push(`threads=${s.threads}`)
  if (s.keepAlive !== undefined) parts.push(`keepAlive=${s.keepAlive}`)
  // where requests wait (a worker's own queue or the shared backlog) changes what a busy pool seems to cost
  if (s.worker_connections !== undefined) parts.push(`worker_connections=${s.worker_connections}`)
  if (s.app !== undefined) parts.push(`app=${s.app}`)
  return parts.join(' ')
}

/** The settings of a proxy part that change its cost per response. */
function proxySettings(p: ProxyDef): string {
  return `proxy workers=${p.workers ?? 1} buffering=${p.buffering} keepalive=${p.keepalive}`
}

/** Longest calibration window, s: 10 responses on each of 10,000 connections at 10,000 req/s, with the planning margin. */
export const MAX_CALIBRATION_WINDOW_S = 13

/**
 * Responses per connection a calibration window holds: twice what a level's
 * must ({@link WINDOW_RULES}`.completionsPerConnection`), because a
 * calibration is measured once per machine and every later prediction rests
 * on it. On the project's 2-core VM, 5 s hello-world windows on 10,000
 * connections read 14,051, 10,626 and 14,504 req/s on three calibrations.
 */
export const CALIBRATION_COMPLETIONS_PER_CONNECTION = 2 * WINDOW_RULES.completionsPerConnection

/**
 * Whether a calibration window was long enough, and if not how long to
 * measure again, on a fresh topology (s): it must hold {@link CALIBRATION_COMPLETIONS_PER_CONNECTION}
 * responses per connection, sized with the levels' `planMargin`
 * (lab/core/window.ts) and capped at {@link MAX_CALIBRATION_WINDOW_S}. Why:
 * an event loop's first seconds on thousands of connections cost more per
 * response than its steady state (new sockets, parsers and a heap still
 * growing), and its seconds swing (9,500–16,800 req/s within one window). On
 * the project's 2-core VM a 2 s hello-world window on 10,000 connections
 * (≈ 1.8 responses per connection) read 0.115 ms of server CPU per response
 * and 8,866 req/s, where an 8 s window read 0.089 ms and 11,218 req/s.
 * @param ok - 2xx responses in the first window
 * @param seconds - that window's length, s
 * @returns the window to measure again, s, or undefined when the first one holds enough
 */
export function calibrationWindowS(ok: number, seconds: number, connections: number): number | undefined {
  const need = CALIBRATION_COMPLETIONS_PER_CONNECTION * connections
  if (ok >= need || !(ok > 0) || !(seconds > 0)) return undefined
  const perSecond = ok / seconds
  return Math.min(MAX_CALIBRATION_WINDOW_S, Math.ceil((need / perSecond) * WINDOW_RULES.planMargin))
}

/** The connection counts an event loop is calibrated at: the first one at or above a ladder's largest level. */
export const LOOP_CALIBRATION_CONNECTIONS = [64, 1024, 4096, 10_000] as const

/**
 * Connections to calibrate a server on. A pool: twice its slots (workers ×
 * threads), at least 16, at most 512, which keeps every worker busy (more
 * only wait in the backlog). An event loop: the first of
 * {@link LOOP_CALIBRATION_CONNECTIONS} at or above the largest level it will
 * serve, because what a response costs it grows with the connections it
 * holds: on the project's 2-core machine the loop and the load generator
 * spent 0.04–0.05 ms each per hello-world response at 64 connections and
 * 0.06–0.12 ms at 10,000 (more sockets, timers and live objects per response).
 * @param maxConnections - the largest level of the run for this topology (default: a small ladder)
 */
export function calibrationConnections(server: Pick<ServerDef, 'model' | 'workers' | 'threads' | 'keepAlive'>, maxConnections = 64): number {
  // an event loop that closes every connection (keepAlive: false) accepts one new connection per
  // turn of its loop: calibrated like a small pool, or it measures its accept queue, not its CPU
  if (server.model === 'event-loop' && server.keepAlive !== false) return LOOP_CALIBRATION_CONNECTIONS.find((c) => c >= maxConnections) ?? LOOP_CALIBRATION_CONNECTIONS.at(-1) ?? 64
  const slots = server.model === 'event-loop' ? 1 : server.workers * (server.threads ?? 1)
  return Math.min(512, Math.max(16, 2 * slots))
}

/**
 * The calibration of a topology's engines, from the cache or measured.
 * @param maxConnections - the largest level the run measures on this topology (an event loop is calibrated near it)
 * @throws Error when a calibration topology fails to start or its level answers nothing
 */
export async function calibrateTopology(def: TopologyDef, ctx: CalibrationContext, maxConnections = 64): Promise<TopologyCalibration> {
  const engine = serverEngineOf(def.server, ctx.stack).name
  const server = serverPart(def.server, engine)
  const connections = calibrationConnections(server, maxConnections)
  const serverCal = await calibration(ctx, engine, serverSettings(server, connections), { server }, 'server', connections)
  const proxyEngine = proxyEngineOf(def, ctx.stack)?.name
  if (!proxyEngine || !def.proxy) return { server: serverCal }
  const proxy: ProxyDef = { ...def.proxy, engine: proxyEngine as ProxyDef['engine'], cache_ttl_s: 0, retry: true }
  delete proxy.static_dir
  delete proxy.location_file
  const upstream: ServerDef = { model: 'event-loop', engine: 'node-event-loop', workers: 1, timeout_s: 30, backlog: 2048 }
  const proxyCal = await calibration(ctx, proxyEngine, proxySettings(proxy), { server: upstream, proxy }, 'proxy', calibrationConnections({ model: 'prefork', workers: 8 }))
  return { server: serverCal, proxy: proxyCal }
}

async function calibration(ctx: CalibrationContext, engine: string, settings: string, def: TopologyDef, role: 'server' | 'proxy', connections: number): Promise<CalibrationRecord> {
  const version = ctx.versions[engine] ?? (isBuiltinEngine(engine) ? LAB_VERSION : 'unknown')
  const key: CalibrationKey = { machine: ctx.machine, engine, version, settings }
  const id = JSON.stringify(key)
  const known = ctx.seen.get(id) ?? (ctx.recalibrate ? undefined : readCalibration(key, ctx.cacheFile))
  if (known) {
    ctx.seen.set(id, known)
    return known
  }
  ctx.onMeasure?.(engine, settings)
  const record = await measure(ctx, def, role, connections, { engine, version, settings })
  writeCalibration(key, record, ctx.cacheFile)
  ctx.seen.set(id, record)
  return record
}

/** Starts the calibration topology, drives the hello-world level, and turns its CPU into ms per response. */
async function measure(ctx: CalibrationContext, def: TopologyDef, role: 'server' | 'proxy', connections: number, who: Pick<CalibrationRecord, 'engine' | 'version' | 'settings'>): Promise<CalibrationRecord> {
  const startFresh = () => ctx.start(`calibrate-${who.engine}`, def, { stack: ctx.stack, runDir: ctx.runDir, readyTimeoutMs: readyTimeoutMs(def) })
  let topology: RunningTopology = await startFresh()
  try {
    const pids = () => topology.processes().map((p) => p.pid)
    ctx.sampler.watch(pids())
    const { warmupS, durationS, timeoutS } = CALIBRATION_LEVEL
    const path = role === 'server' ? calibrationPath(def.server) : CALIBRATION_LEVEL.path
    // as for any level: time to open every connection and get its first answer (lab/run/level.ts)
    const maxWarmupS = warmupCap(warmupS, { perSecond: NaN, meanMs: 0 }, connections)
    const level = (seconds: number) => ctx.driver.runLevel({ url: topology.url + path, connections, warmupS, maxWarmupS, durationS: seconds, timeoutS, onProgress: () => ctx.sampler.watch(pids()) })
    const first = await level(durationS)
    ctx.sampler.tick()
    // too few responses per connection for the lab's own window rule: measure again, long enough, on a
    // fresh topology as every level runs on one (a loop that has just served 10,000 connections read
    // 13,600 req/s on average, a fresh one 11,400–12,400, as the levels after it)
    const longer = calibrationWindowS(first.requests.ok, first.window.measuredS, connections)
    let m = first
    if (longer !== undefined) {
      await topology.stop()
      topology = await startFresh()
      ctx.sampler.watch(pids())
      m = await level(longer)
      ctx.sampler.tick()
    }
    const cpu = (r: (role: string) => boolean) =>
      topology
        .processes()
        .filter((p) => r(p.role))
        .reduce((sum, p) => sum + (ctx.sampler.usage(p.pid, m.windowStart, m.windowEnd)?.cpuPercent.mean ?? 0), 0)
    const serverCpuPercent = cpu((r) => r !== 'proxy')
    const proxyCpuPercent = cpu((r) => r === 'proxy')
    const clientCpuPercent = ctx.sampler.selfUsage(m.windowStart, m.windowEnd)?.cpuPercent.mean ?? 0
    const perSecond = m.requests.answeredPerSecond?.mean ?? m.requests.perSecond.mean
    const c = calibrationFromLevel({ serverCpuPercent, clientCpuPercent, perSecond, ...(role === 'proxy' ? { proxyCpuPercent } : {}) })
    // a server's latency outside the model's stations, on one connection (a proxy's hop is left to its CPU)
    const oneConnection = async (p: string) =>
      (await ctx.driver.runLevel({ url: topology.url + p, connections: 1, warmupS: LATENCY_LEVELS.warmupS, maxWarmupS: 2, durationS: LATENCY_LEVELS.durationS, timeoutS })).latencyMs.mean
    const latency =
      role === 'server'
        ? await (async () => {
            const baseMs = await oneConnection(LATENCY_LEVELS.none)
            const waitMs = await oneConnection(LATENCY_LEVELS.wait)
            return { baseMs, timerOvershootMs: waitMs - baseMs - TIMER_PROBE_MS }
          })()
        : undefined
    return {
      ...who,
      ...(latency ? { latency } : {}),
      serverMsPerRequest: c.serverMsPerRequest,
      clientMsPerRequest: c.clientMsPerRequest,
      ...(c.proxyMsPerRequest !== undefined ? { proxyMsPerRequest: c.proxyMsPerRequest } : {}),
      level: { path, connections, seconds: m.window.measuredS, perSecond, serverCpuPercent, clientCpuPercent },
      measuredAt: new Date().toISOString(),
      source: 'measured',
    }
  } finally {
    await topology.stop()
  }
}
