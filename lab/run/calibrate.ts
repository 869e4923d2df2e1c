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
 * workload contract's request with no work and the default body), 0.5 s of
 * warm-up, then 2 s measured, on enough connections to keep every worker busy.
 */
import { calibrationFromLevel, type Calibration } from '../core/calibrated.js'
import type { CalibrationRecord } from '../core/results.js'
import type { ProxyDef, ServerDef, TopologyDef } from '../core/scenario.js'
import { isBuiltinEngine, proxyEngineOf, serverEngineOf } from '../engines/registry.js'
import type { Stack } from '../engines/types.js'
import type { LoadDriver } from '../load/driver.js'
import { readCalibration, writeCalibration, type CalibrationKey } from '../store/calibration.js'
import type { Sampler } from '../topology/sampler.js'
import type { RunningTopology, startTopology } from '../topology/topology.js'
import { LAB_VERSION } from './env.js'
import { readyTimeoutMs } from './ready.js'

/** The hello-world level every engine is calibrated on. */
export const CALIBRATION_LEVEL = { path: '/work?io_ms=0&cpu_ms=0&bytes=1024', warmupS: 0.5, durationS: 2, timeoutS: 10 } as const

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
    ...(c.proxy?.proxyMsPerRequest !== undefined ? { proxyMsPerRequest: c.proxy.proxyMsPerRequest } : {}),
  }
}

/** A server part as calibrated: the scenario's, less what sheds, recycles or serves files. */
function serverPart(server: ServerDef, engine: string): ServerDef {
  const { limit_concurrency: _limit, max_requests: _max, max_requests_jitter: _jitter, static_dir: _static, ...rest } = server
  return { ...rest, engine: engine as ServerDef['engine'], timeout_s: 30 }
}

/** The settings of a server part that change its cost per response. */
function serverSettings(s: ServerDef): string {
  const parts = [`model=${s.model}`]
  if (s.model === 'prefork') parts.push(`workers=${s.workers}`)
  if (s.threads !== undefined) parts.push(`threads=${s.threads}`)
  if (s.keepAlive !== undefined) parts.push(`keepAlive=${s.keepAlive}`)
  if (s.app !== undefined) parts.push(`app=${s.app}`)
  return parts.join(' ')
}

/** The settings of a proxy part that change its cost per response. */
function proxySettings(p: ProxyDef): string {
  return `proxy workers=${p.workers ?? 1} buffering=${p.buffering} keepalive=${p.keepalive}`
}

/** Connections that keep every worker (and thread) of the server busy: twice the slots, at least 16, at most 512. */
export function calibrationConnections(server: Pick<ServerDef, 'model' | 'workers' | 'threads'>): number {
  const slots = server.model === 'event-loop' ? 32 : server.workers * (server.threads ?? 1)
  return Math.min(512, Math.max(16, 2 * slots))
}

/**
 * The calibration of a topology's engines, from the cache or measured.
 * @throws Error when a calibration topology fails to start or its level answers nothing
 */
export async function calibrateTopology(def: TopologyDef, ctx: CalibrationContext): Promise<TopologyCalibration> {
  const engine = serverEngineOf(def.server, ctx.stack).name
  const server = serverPart(def.server, engine)
  const serverCal = await calibration(ctx, engine, serverSettings(server), { server }, 'server')
  const proxyEngine = proxyEngineOf(def, ctx.stack)?.name
  if (!proxyEngine || !def.proxy) return { server: serverCal }
  const proxy: ProxyDef = { ...def.proxy, engine: proxyEngine as ProxyDef['engine'], cache_ttl_s: 0, retry: true }
  delete proxy.static_dir
  const upstream: ServerDef = { model: 'event-loop', engine: 'node-event-loop', workers: 1, timeout_s: 30, backlog: 2048 }
  const proxyCal = await calibration(ctx, proxyEngine, proxySettings(proxy), { server: upstream, proxy }, 'proxy')
  return { server: serverCal, proxy: proxyCal }
}

async function calibration(ctx: CalibrationContext, engine: string, settings: string, def: TopologyDef, role: 'server' | 'proxy'): Promise<CalibrationRecord> {
  const version = ctx.versions[engine] ?? (isBuiltinEngine(engine) ? LAB_VERSION : 'unknown')
  const key: CalibrationKey = { machine: ctx.machine, engine, version, settings }
  const id = JSON.stringify(key)
  const known = ctx.seen.get(id) ?? (ctx.recalibrate ? undefined : readCalibration(key, ctx.cacheFile))
  if (known) {
    ctx.seen.set(id, known)
    return known
  }
  ctx.onMeasure?.(engine, settings)
  const record = await measure(ctx, def, role, { engine, version, settings })
  writeCalibration(key, record, ctx.cacheFile)
  ctx.seen.set(id, record)
  return record
}

/** Starts the calibration topology, drives the hello-world level, and turns its CPU into ms per response. */
async function measure(ctx: CalibrationContext, def: TopologyDef, role: 'server' | 'proxy', who: Pick<CalibrationRecord, 'engine' | 'version' | 'settings'>): Promise<CalibrationRecord> {
  const topology: RunningTopology = await ctx.start(`calibrate-${who.engine}`, def, { stack: ctx.stack, runDir: ctx.runDir, readyTimeoutMs: readyTimeoutMs(def) })
  try {
    const pids = () => topology.processes().map((p) => p.pid)
    ctx.sampler.watch(pids())
    const connections = calibrationConnections(def.server)
    const { path, warmupS, durationS, timeoutS } = CALIBRATION_LEVEL
    const m = await ctx.driver.runLevel({ url: topology.url + path, connections, warmupS, durationS, timeoutS, onProgress: () => ctx.sampler.watch(pids()) })
    ctx.sampler.tick()
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
    return {
      ...who,
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
