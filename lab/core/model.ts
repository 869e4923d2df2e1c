/**
 * The queueing model: what theory predicts for a closed loop of `connections`
 * clients with no think time against a topology, beside what the lab measures.
 *
 * Method: exact Mean Value Analysis of a closed queueing network with
 * load-dependent stations (M. Reiser and S. S. Lavenberg, "Mean-Value Analysis
 * of Closed Multichain Queuing Networks", JACM 27(2), 1980; the load-dependent
 * recursion as in E. D. Lazowska, J. Zahorjan, G. S. Graham, K. C. Sevcik,
 * "Quantitative System Performance", Prentice-Hall 1984, ch. 20), with a
 * flow-equivalent server for the worker pool (K. M. Chandy, U. Herzog,
 * L. Woo, "Parametric Analysis of Queuing Networks", IBM J. Res. Dev. 19(1),
 * 1975; Lazowska et al. ch. 9):
 *
 * - a request's wait (`io_ms`) is a **delay station** (waits overlap);
 * - its CPU work (`cpu_ms`) queues at a **CPU station** with as many servers
 *   as cores can run it: `cores` for pre-forked processes, 1 for an event loop
 *   (one thread; `min(cores, loops)` for W loops under a master), `min(cores, workers)` for threads under a GIL;
 * - a sync worker holds its request for the whole wait + CPU, so the pool of
 *   `workers × threads` slots is a population limit: the inner network (delay
 *   + CPU) is solved for 1..slots requests, and the pool becomes one
 *   load-dependent station whose rate with k requests is the inner
 *   throughput at min(k, slots);
 * - threads (`threads` > 1, Gunicorn's gthread worker): W processes × T
 *   threads are W·T slots whose waits overlap, but a process runs Python on
 *   one thread at a time (the GIL), so CPU has at most `min(cores, W)`
 *   servers. The station lets any W requests run at once, as if the requests
 *   at the CPU were always in different processes: an upper bound when W > 1
 *   (exact for W = 1);
 * - a proxy in front adds `proxyMs` of CPU per request at its own station.
 * - `upstreams` server instances behind a proxy make one pool of all their
 *   workers (the best a balancer can do: one shared queue); a workload
 *   `mix` is its requests' weighted mean demand; slow clients that hold a
 *   sync worker (see {@link heldBySlowClients}) take their slots away.
 *
 * Cores are shared with the load generator when its measured CPU is given
 * (`clientCpuPercent`): the servers get `cores − clientCpuPercent / 100`.
 *
 * Exactness (see {@link predictionMethod}): MVA is exact for product-form
 * networks (F. Baskett, K. M. Chandy, R. R. Muntz, F. G. Palacios, "Open,
 * Closed, and Mixed Networks of Queues with Different Classes of Customers",
 * JACM 22(2), 1975). A delay station is product-form for any distribution
 * of waits, but an FCFS CPU station is only for exponential service; the
 * lab's CPU work is fixed-length, so wherever requests queue for a CPU the
 * prediction is an approximation (its asymptotes, N / (wait + CPU) and
 * servers / CPU, are exact).
 *
 * Pure: no I/O.
 */
import { meanDemand, requestKinds, type MixEntry } from './mix.js'
import { mva, type Station } from './mva.js'
export { heldBySlowClients, SOCKET_BUFFER_BYTES_PER_HOP, type ProxyShape, type SlowClientsShape } from './slow-clients-model.js'
import { heldBySlowClients, type ProxyShape, type SlowClientsShape } from './slow-clients-model.js'
import { MULTI_LOOP_ENGINES, UNPATCHED_WAIT_APPS } from './vocabulary.js'
import { t, type MessageKey } from './i18n.js'

export { mva, type Station } from './mva.js'

/** What the model needs to know about one level. */
export interface ModelInput {
  model: 'prefork' | 'event-loop' | 'threaded'
  /** Worker processes (prefork, threaded); ignored for an event loop. */
  workers: number
  /**
   * Threads per worker process; default 1. More than 1 makes any non-event-loop
   * model the threaded case (Gunicorn runs its gthread worker when `--threads` > 1).
   */
  threads?: number
  ioMs: number
  cpuMs: number
  connections: number
  /** Cores of the machine. */
  cores: number
  /** CPU the load generator used, percent of one core (measured); it shares the cores. */
  clientCpuPercent?: number
  /** CPU a proxy in front spends per request, ms. */
  proxyMs?: number
  /** Slots held by long-lived streams beside the load (each pins a sync worker; an event loop does not care). */
  heldSlots?: number
  /** Percent of requests that hang until a worker is killed after `timeoutMs`; they hold a slot that long and never answer. */
  hangPct?: number
  /** Percent of requests on which the worker dies at once; the slot is empty until a new worker boots. */
  crashPct?: number
  /** The master's worker timeout, ms (Gunicorn `--timeout`). */
  timeoutMs?: number
  /** How often the master looks for hung workers, ms (a kill comes on average half a tick late). */
  watchdogMs?: number
  /** Time for the master to boot a replacement worker, ms (measured from the master's events when there are any). */
  respawnMs?: number
  /** The client's timeout, ms: how long a request nobody answers holds its connection (autocannon `timeout`). */
  clientTimeoutMs?: number
  /** Event loop: requests in progress beyond which it answers 503 (Uvicorn `--limit-concurrency`); the prediction is for the answered (2xx) ones. */
  limitConcurrency?: number
  /** Event loop: loops, one per worker under a master that replaces a crashed one (`MULTI_LOOP_ENGINES`); CPU gets `min(cores, loops)` servers; absent: one loop, no master. Loops whose waits do not yield (`UNPATCHED_WAIT_APPS`) are a pool of one slot each (levelInput). */
  loops?: number
}

/** Default worker boot time when none was measured, ms: a Node worker on a quiet 2-core machine. */
export const DEFAULT_RESPAWN_MS = 100


/** A prediction for one level: throughput in req/s and mean latency in ms. */
export interface Prediction {
  perSecond: number
  meanMs: number
  /**
   * Set when the figure is MVA's approximation rather than the network's exact
   * solution: why, in one or two sentences for the reader (see {@link approximations}).
   */
  approximate?: string
}

/** Cores left for the servers once the load generator has taken its share (at least 10 % of one core). */
export function serverCores(cores: number, clientCpuPercent = 0): number {
  return Math.max(0.1, cores - clientCpuPercent / 100)
}

/**
 * Predicts throughput and mean latency of a closed loop with no think time.
 * @throws RangeError when connections < 1 or a demand is negative
 */
export function predict(input: ModelInput): Prediction {
  const { connections } = input
  if (!(connections >= 1) || input.ioMs < 0 || input.cpuMs < 0) throw new RangeError('connections must be ≥ 1 and demands ≥ 0')
  // A hung request holds its slot until the master kills the worker (timeout, plus half a watchdog
  // tick on average) and a new one boots; a crash empties the slot until a new worker boots. Neither
  // answers. Fold both into the mean time a slot is held, and count only the answered share.
  // An event loop has no master: its first crash ends the only process, and nothing answers after.
  if (input.model === 'event-loop' && input.loops === undefined && (input.crashPct ?? 0) > 0) return { perSecond: 0, meanMs: Infinity }
  const hang = Math.min(1, (input.hangPct ?? 0) / 100)
  const crash = Math.min(1 - hang, (input.crashPct ?? 0) / 100)
  const respawnMs = input.respawnMs ?? DEFAULT_RESPAWN_MS
  // in an event loop nobody kills a hung request: its client gives up at its own timeout
  const hungMs =
    input.model === 'event-loop'
      ? (input.clientTimeoutMs ?? 10_000)
      : (input.timeoutMs ?? 30_000) + (input.watchdogMs ?? 1000) / 2 + respawnMs
  const ioMs = (1 - hang - crash) * input.ioMs + hang * hungMs + crash * respawnMs
  const answered = 1 - hang - crash
  // a request crashes or hangs before its work starts (lab/servers, lab/apps): only answered ones burn CPU
  const cpuMs = answered * input.cpuMs
  const cores = serverCores(input.cores, input.clientCpuPercent)
  // an event loop runs Python on one thread: one CPU server per loop
  const loopServers = Math.min(input.loops ?? 1, cores)
  const outer: Station[] = []
  if (input.proxyMs && input.proxyMs > 0) outer.push({ kind: 'queue', demandMs: input.proxyMs, servers: cores })

  if (input.model === 'event-loop' && input.limitConcurrency) {
    // past the limit, requests are turned away at once: the answered ones behave like a pool of `limit` slots
    const inner: Station[] = [{ kind: 'delay', demandMs: ioMs }]
    if (cpuMs > 0) inner.push({ kind: 'queue', demandMs: cpuMs, servers: loopServers })
    const slots = Math.min(input.limitConcurrency, connections)
    const x = mva(inner, slots).throughputPerMs[slots - 1] as number
    if (!Number.isFinite(x)) return { perSecond: Infinity, meanMs: 0 }
    return withNotes({ perSecond: x * 1000 * answered, meanMs: slots / x }, approximations({ ...input, cpuMs }, cores))
  }
  if (input.model === 'event-loop') {
    outer.push({ kind: 'delay', demandMs: ioMs })
    if (cpuMs > 0) outer.push({ kind: 'queue', demandMs: cpuMs, servers: loopServers })
  } else {
    // threads > 1 is the threaded case whatever `model` says (Gunicorn runs gthread when --threads > 1)
    const threads = input.threads ?? 1
    const slots = input.workers * threads - (input.heldSlots ?? 0)
    if (slots <= 0) return { perSecond: 0, meanMs: Infinity }
    // under a GIL a process runs one thread at a time: at most `workers` CPU servers
    const cpuServers = Math.min(cores, input.workers)
    const inner: Station[] = [{ kind: 'delay', demandMs: ioMs }]
    if (cpuMs > 0) inner.push({ kind: 'queue', demandMs: cpuMs, servers: cpuServers })
    const innerX = ioMs + cpuMs > 0 ? mva(inner, slots).throughputPerMs : []
    const pool: Station =
      ioMs + cpuMs > 0
        ? { kind: 'rate', ratePerMs: (j) => innerX[Math.min(j, slots) - 1] as number, constantFrom: slots }
        : { kind: 'delay', demandMs: 0 }
    outer.push(pool)
  }
  const { throughputPerMs } = mva(outer, connections)
  const x = throughputPerMs[connections - 1] as number
  if (!Number.isFinite(x)) return { perSecond: Infinity, meanMs: 0 }
  return withNotes({ perSecond: x * 1000 * answered, meanMs: connections / x }, approximations({ ...input, cpuMs }, cores))
}

function withNotes(p: Prediction, notes: string[]): Prediction {
  return notes.length ? { ...p, approximate: notes.join(' ') } : p
}

/**
 * Why a prediction is an approximation, one sentence per reason; empty when
 * MVA's figure is the exact solution of the network as modelled. MVA is exact
 * for product-form networks (Baskett, Chandy, Muntz, Palacios, JACM 22(2),
 * 1975): a delay station for any distribution of waits, an FCFS queue only
 * for exponential service. The lab's CPU work is fixed-length and FCFS, so
 * wherever requests can queue for a CPU the knee of the curve is approximate
 * (the asymptotes are exact).
 * @param input - the level, with `cpuMs` the CPU per attempt
 * @param cores - cores left for the servers
 */
export function approximations(input: ModelInput, cores: number): string[] {
  const out: string[] = []
  // in English, as the results document keeps them (lab/i18n/en/model.ts; lab/core/reword.ts re-words them for the reader)
  const en = (key: Extract<MessageKey, `model.${string}`>, vars: Record<string, string | number> = {}) => t(key, vars, 'en')
  const fcfs = en('model.fcfs')
  const threads = input.model === 'event-loop' ? 1 : (input.threads ?? 1)
  if (input.model === 'event-loop') {
    const present = input.limitConcurrency ? Math.min(input.limitConcurrency, input.connections) : input.connections
    if (input.cpuMs > 0 && present > 1) out.push(en('model.eventLoop', { fcfs }))
    const loops = input.loops ?? 1
    if (loops > 1 && input.cpuMs > 0) out.push(en('model.loops', { loops }))
    if (input.limitConcurrency) out.push(en('model.limit', { slots: input.limitConcurrency }))
  } else {
    const slots = input.workers * threads - (input.heldSlots ?? 0)
    if (input.cpuMs > 0 && Math.min(slots, input.connections) > Math.min(cores, input.workers)) out.push(en('model.workers', { fcfs }))
    if (threads > 1 && input.workers > 1 && input.cpuMs > 0) {
      out.push(en('model.threads', { workers: input.workers, threads: input.workers * threads }))
    }
  }
  if ((input.proxyMs ?? 0) > 0 && input.connections > cores) out.push(en('model.proxy', { fcfs }))
  return out
}

/**
 * The knee of a worker sweep (docs/add-a-scenario.md, "Phenomena": worker-sweep): the number of
 * workers beyond which the cores, not the workers, limit throughput:
 * cores × (1 + wait / cpu) (B. Goetz et al., "Java Concurrency in Practice",
 * 2006, §8.2: threads = cores × (1 + wait/compute)).
 * @returns Infinity when there is no CPU work
 */
export function workerKnee(cores: number, ioMs: number, cpuMs: number): number {
  return cpuMs > 0 ? cores * (1 + ioMs / cpuMs) : Infinity
}

/** A topology as the model reads it (lab/core/scenario.ts `topologySchema`). */
export interface TopologyShape {
  server: { model: 'prefork' | 'event-loop' | 'threaded'; engine?: string; app?: string; workers: number; threads?: number; timeout_s?: number; limit_concurrency?: number }
  proxy?: ProxyShape
  upstreams?: number
}

/** A workload as the model reads it (lab/core/scenario.ts `workloadSchema`). */
export interface WorkloadShape {
  io_ms: number
  cpu_ms: number
  bytes?: number
  hang_pct?: number
  crash_pct?: number
  streams?: { count: number }
  mix?: readonly MixEntry[]
  mix_split?: 'requests' | 'connections'
  slow_clients?: SlowClientsShape
}

/**
 * The model's input for a level of a scenario (see {@link predictLevel}).
 * @returns undefined when the model cannot say (a mix split by connection with static files, a proxy with a micro-cache)
 */
export function levelInput(
  def: TopologyShape,
  workload: WorkloadShape,
  connections: number,
  cores: number,
  clientCpuPercent?: number,
  respawnMs?: number,
  proxyMs?: number,
  clientTimeoutS?: number,
): ModelInput | undefined {
  const timeoutMs = (def.server.timeout_s ?? 30) * 1000
  // several server instances behind a proxy: one pool of all their workers (the best a balancer can do)
  const instances = def.proxy ? (def.upstreams ?? 1) : 1
  // a mix split by connection with static files: separate populations, one of which (the static
  // files) the model has no cost for: no prediction rather than a made-up one
  if (workload.mix_split === 'connections' && workload.mix?.some((e) => e.static !== undefined)) return undefined
  // a micro-cache in front: most answers never reach a worker, and how many do depends on the
  // arrival rate the answers set (scenarios/caching/notes.md has the arithmetic); the queueing model
  // has no cache, so it says nothing rather than the uncached pool's figure
  if ((def.proxy?.cache_ttl_s ?? 0) > 0) return undefined
  // a mix: the average request's demand (static files count 0 ms; see core/mix.ts)
  const demand = workload.mix?.length
    ? meanDemand(requestKinds({ ...workload, bytes: workload.bytes ?? 1024 }), def.proxy?.static_dir !== undefined)
    : { ioMs: workload.io_ms, cpuMs: workload.cpu_ms }
  const loops = (MULTI_LOOP_ENGINES as readonly string[]).includes(def.server.engine ?? '') ? def.server.workers * instances : undefined
  const model = def.server.model === 'event-loop' && (UNPATCHED_WAIT_APPS as readonly string[]).includes(def.server.app ?? '') ? 'prefork' : def.server.model
  const held = def.server.model === 'event-loop' ? 0 : (workload.streams?.count ?? 0) + heldBySlowClients(def, workload.slow_clients)
  return {
    model,
    workers: model === def.server.model ? def.server.workers * instances : (loops ?? 1),
    threads: def.server.threads,
    ioMs: demand.ioMs,
    cpuMs: demand.cpuMs,
    connections,
    cores,
    clientCpuPercent,
    ...(proxyMs !== undefined && def.proxy ? { proxyMs } : {}),
    heldSlots: held,
    hangPct: workload.hang_pct,
    crashPct: workload.crash_pct,
    timeoutMs,
    // lab/servers/prefork.ts checks every min(1 s, timeout / 4), as Gunicorn's arbiter wakes about once a second
    watchdogMs: Math.min(1000, timeoutMs / 4),
    respawnMs,
    limitConcurrency: def.server.limit_concurrency,
    ...(model === 'event-loop' && loops !== undefined ? { loops } : {}),
    clientTimeoutMs: clientTimeoutS === undefined ? undefined : clientTimeoutS * 1000,
  }
}

/**
 * The prediction for a measured level of a scenario.
 * @param cores - the machine's cores (`env.cores`)
 * @param clientCpuPercent - the load generator's measured CPU in the window
 * @param proxyMs - CPU the proxy in front spent per response, ms (measured: {@link proxyCpuMs})
 * @returns NaN figures when the model cannot say (a mix split by connection with static files)
 */
export function predictLevel(
  def: TopologyShape,
  workload: WorkloadShape,
  connections: number,
  cores: number,
  clientCpuPercent?: number,
  respawnMs?: number,
  proxyMs?: number,
  clientTimeoutS?: number,
): Prediction {
  const input = levelInput(def, workload, connections, cores, clientCpuPercent, respawnMs, proxyMs, clientTimeoutS)
  return input ? predict(input) : { perSecond: NaN, meanMs: NaN }
}

/**
 * CPU spent per response, ms: CPU-seconds per second (percent of one core
 * ÷ 100, all the processes counted) ÷ responses per second × 1000, i.e.
 * `cpuPercent × 10 / perSecond`; undefined when nothing was answered.
 * E.g. half a core (50 %) for 500 req/s is 1 ms per response.
 */
export function cpuMsPerResponse(cpuPercent: number, perSecond: number): number | undefined {
  return perSecond > 0 ? (cpuPercent * 10) / perSecond : undefined
}

/** CPU a proxy spent per response, ms, from its measured CPU and the responses per second ({@link cpuMsPerResponse}). */
export const proxyCpuMs = cpuMsPerResponse

/**
 * Mean time from a worker's death to its replacement's boot, ms, from a
 * level's events (`worker-exit` … next `worker-spawn`); undefined without a pair.
 */
export function meanRespawnMs(events: ReadonlyArray<{ t: number; kind: string }>): number | undefined {
  const exits: number[] = []
  const gaps: number[] = []
  for (const e of events) {
    if (e.kind === 'worker-exit') exits.push(e.t)
    else if (e.kind === 'worker-spawn' && exits.length) gaps.push((e.t - (exits.shift() as number)) * 1000)
  }
  return gaps.length ? gaps.reduce((a, b) => a + b, 0) / gaps.length : undefined
}

/**
 * Whether a prediction can be written to the results (JSON has no Infinity):
 * a level with no work at all has no finite prediction.
 */
export function isFinitePrediction(p: Prediction): boolean {
  return Number.isFinite(p.perSecond) && Number.isFinite(p.meanMs)
}
