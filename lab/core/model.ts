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
 *   (one thread), `min(cores, workers)` for threads under a GIL;
 * - a sync worker holds its request for the whole wait + CPU, so the pool of
 *   `workers × threads` slots is a population limit: the inner network (delay
 *   + CPU) is solved for 1..slots requests, and the pool becomes one
 *   load-dependent station whose rate with k requests is the inner
 *   throughput at min(k, slots);
 * - a proxy in front adds `proxyMs` of CPU per request at its own station.
 *
 * Cores are shared with the load generator when its measured CPU is given
 * (`clientCpuPercent`): the servers get `cores − clientCpuPercent / 100`.
 *
 * Pure: no I/O.
 */

/** One station of a closed network. Demands are in ms per request. */
export type Station =
  | { kind: 'delay'; demandMs: number }
  /** `servers` identical servers sharing one queue (servers may be fractional: a share of the cores). */
  | { kind: 'queue'; demandMs: number; servers: number }
  /** Any load-dependent station: completions per ms with j requests present, j ≥ 1. */
  | { kind: 'rate'; ratePerMs: (j: number) => number }

/** Service rate (requests per ms) of a station holding j ≥ 1 requests. */
function rate(s: Exclude<Station, { kind: 'delay' }>, j: number): number {
  if (s.kind === 'rate') return s.ratePerMs(j)
  return s.demandMs > 0 ? Math.min(j, s.servers) / s.demandMs : Infinity
}

/**
 * Exact MVA of a single-class closed network.
 * @param stations - the stations every request visits once
 * @param population - requests in the network (connections), ≥ 1
 * @param thinkMs - think time per cycle outside the stations, ms (0 for a closed loop with no think time)
 * @returns throughput in requests per ms for every population 1..N (index n − 1), and the response time at N in ms
 */
export function mva(stations: readonly Station[], population: number, thinkMs = 0): { throughputPerMs: number[]; responseMs: number } {
  // queue lengths (load-independent view) and marginal probabilities p[k][j] for load-dependent stations
  const q = stations.map(() => 0)
  const p = stations.map(() => [1])
  const throughput: number[] = []
  let response = 0
  for (let n = 1; n <= population; n++) {
    const r = stations.map((s, k) => {
      if (s.kind === 'delay') return s.demandMs
      if (s.kind === 'queue' && s.servers === 1) return s.demandMs * (1 + (q[k] as number))
      const pk = p[k] as number[]
      let sum = 0
      for (let j = 1; j <= n; j++) sum += (j / rate(s, j)) * (pk[j - 1] ?? 0)
      return sum
    })
    response = r.reduce((a, b) => a + b, 0)
    const x = n / (thinkMs + response)
    throughput.push(x)
    stations.forEach((s, k) => {
      q[k] = x * (r[k] as number)
      if (s.kind === 'delay' || (s.kind === 'queue' && s.servers === 1)) return
      const prev = p[k] as number[]
      const next = new Array<number>(n + 1).fill(0)
      let busy = 0
      for (let j = 1; j <= n; j++) {
        next[j] = (x / rate(s, j)) * (prev[j - 1] ?? 0)
        busy += next[j] as number
      }
      // round-off can leave a tiny negative idle probability near saturation
      next[0] = Math.max(0, 1 - busy)
      p[k] = next
    })
  }
  return { throughputPerMs: throughput, responseMs: response }
}

/** What the model needs to know about one level. */
export interface ModelInput {
  model: 'prefork' | 'event-loop' | 'threaded'
  /** Worker processes (prefork, threaded); ignored for an event loop. */
  workers: number
  /** Threads per worker (threaded); default 1. */
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
  /** The master's worker timeout, ms (Gunicorn `--timeout`). */
  timeoutMs?: number
}

/** A prediction for one level: throughput in req/s and mean latency in ms. */
export interface Prediction {
  perSecond: number
  meanMs: number
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
  const { cpuMs, connections } = input
  if (!(connections >= 1) || input.ioMs < 0 || cpuMs < 0) throw new RangeError('connections must be ≥ 1 and demands ≥ 0')
  // A hung request holds its slot until the timeout instead of for io_ms, and never answers:
  // fold it into the mean wait, and count only the answered share of the throughput.
  const hang = Math.min(1, (input.hangPct ?? 0) / 100)
  const ioMs = hang > 0 && input.model !== 'event-loop' ? (1 - hang) * input.ioMs + hang * (input.timeoutMs ?? 30_000) : input.ioMs
  const answered = 1 - hang
  const cores = serverCores(input.cores, input.clientCpuPercent)
  const outer: Station[] = []
  if (input.proxyMs && input.proxyMs > 0) outer.push({ kind: 'queue', demandMs: input.proxyMs, servers: cores })

  if (input.model === 'event-loop') {
    outer.push({ kind: 'delay', demandMs: ioMs })
    if (cpuMs > 0) outer.push({ kind: 'queue', demandMs: cpuMs, servers: Math.min(1, cores) })
  } else {
    const threads = input.model === 'threaded' ? (input.threads ?? 1) : 1
    const slots = input.workers * threads - (input.heldSlots ?? 0)
    if (slots <= 0) return { perSecond: 0, meanMs: Infinity }
    // under a GIL a process runs one thread at a time: at most `workers` CPU servers
    const cpuServers = Math.min(cores, input.workers)
    const inner: Station[] = [{ kind: 'delay', demandMs: ioMs }]
    if (cpuMs > 0) inner.push({ kind: 'queue', demandMs: cpuMs, servers: cpuServers })
    const innerX = ioMs + cpuMs > 0 ? mva(inner, slots).throughputPerMs : []
    const pool: Station =
      ioMs + cpuMs > 0
        ? { kind: 'rate', ratePerMs: (j) => innerX[Math.min(j, slots) - 1] as number }
        : { kind: 'delay', demandMs: 0 }
    outer.push(pool)
  }
  const { throughputPerMs } = mva(outer, connections)
  const x = throughputPerMs[connections - 1] as number
  if (!Number.isFinite(x)) return { perSecond: Infinity, meanMs: 0 }
  return { perSecond: x * 1000 * answered, meanMs: connections / x }
}

/**
 * The knee of a worker sweep (phenomena.md, "worker-sweep"): the number of
 * workers beyond which the cores, not the workers, limit throughput:
 * cores × (1 + wait / cpu) (B. Goetz et al., "Java Concurrency in Practice",
 * 2006, §8.2: threads = cores × (1 + wait/compute)).
 * @returns Infinity when there is no CPU work
 */
export function workerKnee(cores: number, ioMs: number, cpuMs: number): number {
  return cpuMs > 0 ? cores * (1 + ioMs / cpuMs) : Infinity
}

/**
 * The prediction for a measured level of a scenario.
 * @param cores - the machine's cores (`env.cores`)
 * @param clientCpuPercent - the load generator's measured CPU in the window
 */
export function predictLevel(
  def: { server: { model: 'prefork' | 'event-loop' | 'threaded'; workers: number; threads?: number; timeout_s?: number } },
  workload: { io_ms: number; cpu_ms: number; hang_pct?: number; streams?: { count: number } },
  connections: number,
  cores: number,
  clientCpuPercent?: number,
): Prediction {
  return predict({
    model: def.server.model,
    workers: def.server.workers,
    threads: def.server.threads,
    ioMs: workload.io_ms,
    cpuMs: workload.cpu_ms,
    connections,
    cores,
    clientCpuPercent,
    heldSlots: def.server.model === 'event-loop' ? 0 : (workload.streams?.count ?? 0),
    hangPct: workload.hang_pct,
    timeoutMs: (def.server.timeout_s ?? 30) * 1000,
  })
}

/**
 * Whether a prediction can be written to the results (JSON has no Infinity):
 * a level with no work at all has no finite prediction.
 */
export function isFinitePrediction(p: Prediction): boolean {
  return Number.isFinite(p.perSecond) && Number.isFinite(p.meanMs)
}
