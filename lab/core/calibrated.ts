/**
 * A model calibrated to the machine, beside the textbook one (issue 11, "A
 * model calibrated to the machine"). The textbook model knows `io_ms` and
 * `cpu_ms` only, the law students learn. On a real machine serving a
 * request also costs CPU (accept, parse, respond, close: measured per
 * engine on a hello-world level), and the load generator takes its share of
 * the same cores. "This machine" adds the server's cost per request to the
 * CPU station and gives the servers only the cores the client leaves them;
 * it also adds the time a request spends outside the stations (the round
 * trip, the client's turn) and how late the engine's timers fire, both
 * measured on one connection ({@link delaysFromLatency}).
 *
 * The client's share depends on the throughput it drives, which depends on
 * the cores left: the prediction is the fixed point X = f(cores − X · c_client),
 * found by bisection (f falls as X rises, so there is exactly one), capped at
 * what one client thread can drive, 1000 / c_client req/s (autocannon runs
 * on one thread). Where the servers' CPU is the limit this gives
 * X = cores / (cpu_ms + c_server + c_client) for pre-forked workers (all
 * cores), and 1 / (cpu_ms + c_server) for an event loop as long as the
 * client leaves it a whole core.
 *
 * Pure: no I/O.
 */
import { cpuMsPerResponse, predict, type ModelInput, type Prediction } from './model.js'

/** What a short calibration measured for one engine on this machine. All ms of CPU per response. */
export interface Calibration {
  /** The server's CPU per response on a hello-world level, all its processes (CPU-seconds per response × 1000). */
  serverMsPerRequest: number
  /** The load generator's CPU per response on the same level. */
  clientMsPerRequest: number
  /** The proxy's CPU per response, when the topology has one (from its own engine's calibration). */
  proxyMsPerRequest?: number
  /** Time per request outside the servers, ms: the round trip and the client's turn (a delay station outside the pool; {@link delaysFromLatency}). */
  clientDelayMs?: number
  /** How much later than asked a wait ends in this engine, ms: added to every request that waits, inside the worker's hold. */
  timerOvershootMs?: number
}

/**
 * The delays of {@link Calibration} from the two one-connection levels of a
 * calibration: the round trip is what a request with no work took less the
 * server CPU the model already counts; the timer's overshoot is what a 10 ms
 * wait took beyond that and the 10 ms. Each is at least 0. E.g. Node's
 * `setTimeout(10)` answered in 11.2 ms where a request with no work took
 * 0.1 ms: overshoot 1.1 ms (libuv timers count whole milliseconds from the
 * loop's cached clock, libuv 1.x `uv_timer_start`, `uv_update_time`).
 * Gunicorn's sync worker, whose `time.sleep` is finer, read 1.16 ms too on
 * the project's 2-core VM: the overshoot also holds the machine's wake-up
 * from idle after any wait, which is why it is measured, not assumed.
 */
export function delaysFromLatency(latency: { baseMs: number; timerOvershootMs: number }, serverMsPerRequest: number): { clientDelayMs: number; timerOvershootMs: number } {
  return { clientDelayMs: Math.max(0, latency.baseMs - serverMsPerRequest), timerOvershootMs: Math.max(0, latency.timerOvershootMs) }
}

/** Threads the load generator runs on: autocannon drives every connection from one. */
export const CLIENT_THREADS = 1

/**
 * A calibration from one hello-world level: CPU percent of one core (all
 * the processes of each side) and the responses per second, through
 * {@link cpuMsPerResponse}. E.g. an event loop at 103 % of a core serving
 * 12,525 req/s costs 0.082 ms per request.
 * @throws RangeError when nothing was answered or a CPU figure is negative
 */
export function calibrationFromLevel(m: { serverCpuPercent: number; clientCpuPercent: number; proxyCpuPercent?: number; perSecond: number }): Calibration {
  if (!(m.perSecond > 0)) throw new RangeError('a calibration level must answer requests')
  if (m.serverCpuPercent < 0 || m.clientCpuPercent < 0 || (m.proxyCpuPercent ?? 0) < 0) throw new RangeError('CPU percentages must be ≥ 0')
  const proxy = m.proxyCpuPercent === undefined ? undefined : cpuMsPerResponse(m.proxyCpuPercent, m.perSecond)
  return {
    serverMsPerRequest: cpuMsPerResponse(m.serverCpuPercent, m.perSecond) as number,
    clientMsPerRequest: cpuMsPerResponse(m.clientCpuPercent, m.perSecond) as number,
    ...(proxy === undefined ? {} : { proxyMsPerRequest: proxy }),
  }
}

/** The "this machine" prediction, with how the cores were shared at it. */
export interface MachinePrediction extends Prediction {
  /** Cores the load generator takes at the predicted throughput. */
  clientCores: number
  /** Cores left for the servers (and a proxy). */
  serverCores: number
  /** True when the load generator, not the servers, sets the pace (one thread at 100 %). */
  clientBound: boolean
}

/** The textbook input: `io_ms` and `cpu_ms` only, no client share and no proxy cost. */
export function textbookInput(input: ModelInput): ModelInput {
  const { clientCpuPercent: _client, proxyMs: _proxy, ...rest } = input
  return rest
}

/** How the load generator and the servers share the machine (lab/run/placement.ts). */
export interface Sharing {
  /**
   * True when the load generator runs on CPUs of its own (pinned on a
   * machine of 4 or more cores): `input.cores` are then the servers' alone,
   * and the client only caps the pace at what its thread can drive.
   */
  dedicatedClient?: boolean
}

/**
 * Predicts a level on this machine from its calibration.
 * @param input - the level (its `clientCpuPercent` and `proxyMs`, if any, are replaced by the calibration's)
 * @param sharing - whether the client has CPUs of its own (default: it shares the servers' cores)
 * @throws RangeError when a calibration figure is negative, or as {@link predict}
 */
export function predictThisMachine(input: ModelInput, cal: Calibration, sharing: Sharing = {}): MachinePrediction {
  if (cal.serverMsPerRequest < 0 || cal.clientMsPerRequest < 0 || (cal.proxyMsPerRequest ?? 0) < 0) throw new RangeError('CPU per request must be ≥ 0')
  const base: ModelInput = {
    ...textbookInput(input),
    // a wait ends late by the engine's timer overshoot; the round trip and the client's turn happen outside the servers
    ioMs: input.ioMs > 0 ? input.ioMs + (cal.timerOvershootMs ?? 0) : input.ioMs,
    ...(cal.clientDelayMs ? { clientDelayMs: cal.clientDelayMs } : {}),
    cpuMs: input.cpuMs + cal.serverMsPerRequest,
    ...(cal.proxyMsPerRequest !== undefined ? { proxyMs: cal.proxyMsPerRequest } : input.proxyMs !== undefined ? { proxyMs: input.proxyMs } : {}),
  }
  const clientCores = (x: number) => Math.min(CLIENT_THREADS, (x * cal.clientMsPerRequest) / 1000)
  // cores the client takes from the servers: none when it runs on CPUs of its own
  const taken = (x: number) => (sharing.dedicatedClient ? 0 : clientCores(x))
  const at = (x: number) => predict({ ...base, clientCpuPercent: taken(x) * 100 })
  const clientMax = cal.clientMsPerRequest > 0 ? (1000 * CLIENT_THREADS) / cal.clientMsPerRequest : Infinity
  const result = (x: number, p: Prediction, clientBound: boolean): MachinePrediction => ({
    ...p,
    perSecond: x,
    clientCores: clientCores(x),
    serverCores: Math.max(0.1, input.cores - taken(x)),
    clientBound,
  })
  const free = at(0)
  if (!(free.perSecond > 0) || !Number.isFinite(free.perSecond)) return result(free.perSecond, free, false)
  const top = at(Math.min(free.perSecond, clientMax))
  if (clientMax <= free.perSecond && top.perSecond >= clientMax) {
    // even with the client at its limit the servers keep up: the client sets the pace
    return result(clientMax, { ...top, meanMs: (input.connections * 1000) / clientMax }, true)
  }
  // bisection on g(x) = f(x) − x, which falls from g(0) > 0
  let lo = 0
  let hi = Math.min(free.perSecond, clientMax)
  let p = top
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2
    p = at(mid)
    if (p.perSecond > mid) lo = mid
    else hi = mid
  }
  const x = (lo + hi) / 2
  return result(x, at(x), false)
}

/** Both predictions of a level, side by side. */
export interface BothPredictions {
  /** `io_ms` and `cpu_ms` only: the law students learn. */
  textbook: Prediction
  /** Calibrated to this machine; null without a calibration. */
  thisMachine: MachinePrediction | null
}

/**
 * The textbook and the calibrated prediction of one level.
 * @throws RangeError as {@link predict} and {@link predictThisMachine}
 */
export function predictBoth(input: ModelInput, cal?: Calibration, sharing: Sharing = {}): BothPredictions {
  return { textbook: predict(textbookInput(input)), thisMachine: cal ? predictThisMachine(input, cal, sharing) : null }
}
