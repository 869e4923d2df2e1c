/**
 * The queueing model of an open loop: requests arrive on their own schedule
 * at a rate λ (Poisson), whatever the server does (docs/open-loop.md). Beside
 * lab/core/model.ts, which solves the closed loop.
 *
 * - M/M/c, Erlang's C formula (A. K. Erlang, 1917; as in L. Kleinrock,
 *   "Queueing Systems, Vol. 1: Theory", Wiley 1975, §3.5): the probability
 *   that an arrival waits, the mean wait and the mean response.
 * - M/D/1, exact: the Pollaczek–Khinchine mean-value formula with a
 *   deterministic service time S, Wq = ρS / (2(1 − ρ)) (Kleinrock 1975, §5.6).
 * - M/D/c, approximate, for a pre-fork pool of c = workers sync workers that
 *   each hold a request for S = io + cpu ms: G. P. Cosmetatos, "Approximate
 *   explicit formulae for the average queueing time in the processes (M/D/r)
 *   and (D/M/r)", INFOR 13(3), 1975, pp. 328–331:
 *   Wq(M/D/c) ≈ ½ · Wq(M/M/c) · [1 + (1 − ρ)(c − 1)(√(4 + 5c) − 2) / (16ρc)].
 *   For c = 1 the bracket is 1 and it is the exact M/D/1 value; its error is a
 *   few percent at moderate to high load (checked against a simulation in
 *   test/unit/open-model.test.ts). CPU contention between workers on fewer
 *   cores is not modelled here (the closed model's MVA does that).
 * - An event loop: a delay station (its waits overlap, `io_ms`) followed by
 *   one CPU server (one thread, `cpu_ms`): M/D/1 on the CPU part plus the wait.
 * - A concurrency limit with no queue (`limit_concurrency`): M/G/c/c, Erlang's
 *   loss formula B ({@link erlangB}); a share B of arrivals is answered 503.
 * - Stability: a steady state exists only while ρ = λ / capacity < 1. Past
 *   it the queue grows by (λ − capacity) requests every second (the fluid
 *   approximation: randomness ignored), so a request arriving t seconds into
 *   the level waits ≈ queue(t) / capacity and then takes its own S; a client
 *   that holds at most `maxInFlight` requests caps the queue and drops the rest.
 *
 * Units: rates in req/s, times in ms. Pure: no I/O.
 */

/** Where requests are served. */
export type OpenStation =
  /** A pre-fork pool: `workers` sync workers, each holding one request for `serviceMs` (io + cpu), one queue (M/D/c). */
  | { kind: 'pool'; workers: number; serviceMs: number }
  /** One event loop: waits overlap (`ioMs`), CPU work runs one request at a time (`cpuMs`). */
  | { kind: 'event-loop'; ioMs: number; cpuMs: number }
  /**
   * A server with a concurrency limit and no queue (an event loop's `limit_concurrency`): at most `servers`
   * requests in progress, each for `serviceMs`; an arrival that finds them all busy is answered 503 at once
   * (M/G/c/c, Erlang's loss system, {@link erlangB}).
   */
  | { kind: 'loss'; servers: number; serviceMs: number }

/** A steady-state prediction for an open loop at one offered rate. */
export interface OpenPrediction {
  /** Offered rate, req/s. */
  ratePerS: number
  /** The most the station can answer, req/s (Infinity for an event loop with no CPU work). */
  capacityPerS: number
  /** Utilisation of the bottleneck, λ / capacity (0..; ≥ 1 is unstable). */
  rho: number
  stable: boolean
  /** Mean wait in the queue, ms; null when unstable (no steady state exists). */
  meanWaitMs: number | null
  /** Mean response from arrival to answer, ms; null when unstable. For a loss station, over every answer, its 503s taken as 0 ms. */
  meanMs: number | null
  /** A loss station's share of arrivals turned away with a 503 (Erlang B); absent for the others. */
  shedShare?: number
}

function checkRate(ratePerS: number): void {
  if (!(ratePerS >= 0) || !Number.isFinite(ratePerS)) throw new RangeError(`ratePerS must be a finite number ≥ 0 (req/s), got ${ratePerS}`)
}
function checkServers(c: number): void {
  if (!Number.isInteger(c) || c < 1) throw new RangeError(`servers must be an integer ≥ 1, got ${c}`)
}
function checkMs(name: string, ms: number): void {
  if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`${name} must be a finite number ≥ 0 (ms), got ${ms}`)
}

/**
 * Erlang's C formula: the probability that an arrival to an M/M/c queue has
 * to wait, computed through the Erlang B recursion B(k) = a·B(k−1) / (k + a·B(k−1)),
 * B(0) = 1, then C = B / (1 − ρ(1 − B)) (numerically stable for large c;
 * Kleinrock 1975, §3.4–3.5).
 * @param servers - c, an integer ≥ 1
 * @param offeredErlangs - a = λ·S (mean busy servers), ≥ 0
 * @returns the probability in 0..1; 1 when a ≥ c (every arrival waits: unstable)
 * @throws RangeError when c is not an integer ≥ 1 or a is negative or not finite
 */
export function erlangC(servers: number, offeredErlangs: number): number {
  checkServers(servers)
  const a = offeredErlangs
  if (!(a >= 0) || !Number.isFinite(a)) throw new RangeError(`offeredErlangs must be a finite number ≥ 0, got ${a}`)
  if (a >= servers) return 1
  let b = 1
  for (let k = 1; k <= servers; k++) b = (a * b) / (k + a * b)
  return b / (1 - (a / servers) * (1 - b))
}

/**
 * Erlang's B formula: the share of arrivals an M/G/c/c loss system (c
 * servers, no waiting room) turns away, by the recursion
 * B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)). It depends on the service time
 * only through its mean (Sevastyanov 1957; Kleinrock 1975, §3.6), so it is
 * exact for the lab's deterministic waits. E.g. B(4, 2) = 0.0952, B(10, 5) = 0.0184.
 * @param servers - c, an integer ≥ 1
 * @param offeredErlangs - a = λ·S, ≥ 0
 * @returns the blocking probability in 0..1
 * @throws RangeError when c is not an integer ≥ 1 or a is negative or not finite
 */
export function erlangB(servers: number, offeredErlangs: number): number {
  checkServers(servers)
  const a = offeredErlangs
  if (!(a >= 0) || !Number.isFinite(a)) throw new RangeError(`offeredErlangs must be a finite number ≥ 0, got ${a}`)
  let b = 1
  for (let k = 1; k <= servers; k++) b = (a * b) / (k + a * b)
  return b
}

/** Steady state of one queue, times in ms. */
export interface QueueFigures {
  rho: number
  /** Probability that an arrival waits (M/M/c: Erlang C). */
  waitProbability: number
  meanWaitMs: number
  meanResponseMs: number
}

/**
 * M/M/c: Poisson arrivals, exponential service of mean `serviceMs`, c servers.
 * Wq = C(c, a) · S / (c − a), response = Wq + S (Kleinrock 1975, §3.5).
 * @throws RangeError on bad arguments, or when ρ ≥ 1 (no steady state)
 */
export function mmc(servers: number, ratePerS: number, serviceMs: number): QueueFigures {
  checkServers(servers)
  checkRate(ratePerS)
  checkMs('serviceMs', serviceMs)
  const a = (ratePerS * serviceMs) / 1000
  const rho = a / servers
  if (rho >= 1) throw new RangeError(`unstable: ρ = ${rho.toFixed(3)} ≥ 1`)
  const c = erlangC(servers, a)
  const meanWaitMs = (c * serviceMs) / (servers - a)
  return { rho, waitProbability: c, meanWaitMs, meanResponseMs: meanWaitMs + serviceMs }
}

/**
 * M/D/1, exact (Pollaczek–Khinchine with E[S²] = S²): Wq = ρS / (2(1 − ρ)).
 * E.g. S = 50 ms at λ = 10 req/s: ρ = 0.5, Wq = 25 ms, response 75 ms.
 * @throws RangeError on bad arguments, or when ρ ≥ 1
 */
export function md1(ratePerS: number, serviceMs: number): QueueFigures {
  checkRate(ratePerS)
  checkMs('serviceMs', serviceMs)
  const rho = (ratePerS * serviceMs) / 1000
  if (rho >= 1) throw new RangeError(`unstable: ρ = ${rho.toFixed(3)} ≥ 1`)
  const meanWaitMs = (rho * serviceMs) / (2 * (1 - rho))
  return { rho, waitProbability: rho, meanWaitMs, meanResponseMs: meanWaitMs + serviceMs }
}

/**
 * M/D/c, Cosmetatos's approximation (see the module comment). The wait
 * probability given is M/M/c's Erlang C, an upper estimate for deterministic service.
 * @throws RangeError on bad arguments, or when ρ ≥ 1
 */
export function mdc(servers: number, ratePerS: number, serviceMs: number): QueueFigures {
  const m = mmc(servers, ratePerS, serviceMs)
  if (m.rho === 0) return { ...m, meanWaitMs: 0, meanResponseMs: serviceMs }
  const c = servers
  const correction = 1 + ((1 - m.rho) * (c - 1) * (Math.sqrt(4 + 5 * c) - 2)) / (16 * m.rho * c)
  const meanWaitMs = 0.5 * m.meanWaitMs * correction
  return { rho: m.rho, waitProbability: m.waitProbability, meanWaitMs, meanResponseMs: meanWaitMs + serviceMs }
}

/** The most a station answers, req/s, and the response of a request that does not queue, ms. */
function station(s: OpenStation): { capacityPerS: number; bareMs: number } {
  if (s.kind === 'loss') {
    checkServers(s.servers)
    checkMs('serviceMs', s.serviceMs)
    return { capacityPerS: s.serviceMs > 0 ? (s.servers * 1000) / s.serviceMs : Infinity, bareMs: s.serviceMs }
  }
  if (s.kind === 'pool') {
    checkServers(s.workers)
    checkMs('serviceMs', s.serviceMs)
    return { capacityPerS: s.serviceMs > 0 ? (s.workers * 1000) / s.serviceMs : Infinity, bareMs: s.serviceMs }
  }
  checkMs('ioMs', s.ioMs)
  checkMs('cpuMs', s.cpuMs)
  return { capacityPerS: s.cpuMs > 0 ? 1000 / s.cpuMs : Infinity, bareMs: s.ioMs + s.cpuMs }
}

/**
 * The steady state of an open loop at `ratePerS` (Poisson arrivals):
 * a pool by M/D/c ({@link mdc}), an event loop by its wait plus M/D/1 on the CPU ({@link md1}).
 * @throws RangeError on bad arguments
 */
export function predictOpen(s: OpenStation, ratePerS: number): OpenPrediction {
  checkRate(ratePerS)
  const { capacityPerS, bareMs } = station(s)
  const rho = capacityPerS === Infinity ? 0 : ratePerS / capacityPerS
  if (s.kind === 'loss') {
    // no queue, so no instability: past capacity it only turns more away
    const shedShare = erlangB(s.servers, (ratePerS * s.serviceMs) / 1000)
    return { ratePerS, capacityPerS, rho, stable: true, meanWaitMs: 0, meanMs: (1 - shedShare) * bareMs, shedShare }
  }
  if (rho >= 1) return { ratePerS, capacityPerS, rho, stable: false, meanWaitMs: null, meanMs: null }
  const waitMs = s.kind === 'pool' ? (s.serviceMs > 0 ? mdc(s.workers, ratePerS, s.serviceMs).meanWaitMs : 0) : md1(ratePerS, s.cpuMs).meanWaitMs
  return { ratePerS, capacityPerS, rho, stable: true, meanWaitMs: waitMs, meanMs: bareMs + waitMs }
}

/** One second of a level, as the model predicts it. */
export interface PredictedSecond {
  /** End of the second, s since the load started (1, 2, ...), as in the results' timeline. */
  t: number
  /** Requests waiting for a server at the middle of the second. */
  queue: number
  /** Mean latency from arrival of the requests of that second (see `basis`), ms. */
  meanMs: number
  /** Requests a client with `maxInFlight` drops in that second. */
  dropped: number
}

/** Options of {@link predictSeconds}. */
export interface TransientOptions {
  /** The client's bound on requests in flight (max_connections); beyond it arrivals are dropped. Default: no bound. */
  maxInFlight?: number
  /**
   * Which requests a second's latency is about: `arrival` (default), those
   * arriving at the middle of the second; `completion`, those answered then
   * (the results' timeline buckets latency by completion, like the closed loop).
   */
  basis?: 'arrival' | 'completion'
}

/** The fluid approximation past saturation: the queue and the latency of an arrival at `a` s since the load started. */
function fluid(s: OpenStation, ratePerS: number, maxInFlight: number | undefined) {
  const { capacityPerS: mu, bareMs } = station(s)
  const growth = ratePerS - mu // requests per second
  const inService = (mu * bareMs) / 1000 // Little's law on the servers: c for a pool
  const room = maxInFlight === undefined ? Infinity : Math.max(0, maxInFlight - inService)
  const queueAt = (at: number) => Math.min(growth * at, room)
  const fullAt = growth > 0 ? room / growth : Infinity // s since the start when the client's bound is reached
  const latencyOfArrival = (a: number) => (queueAt(a) / mu) * 1000 + bareMs
  return { growth, queueAt, fullAt, latencyOfArrival }
}

/**
 * The predicted mean latency from arrival (ms) of the requests arriving
 * between `fromS` and `toS` seconds of load and answered: the steady state
 * when stable; past saturation the fluid approximation of
 * {@link predictSeconds} averaged over the window (those dropped at the
 * client's bound are not answered and not counted).
 * @throws RangeError on bad arguments or when `toS` ≤ `fromS`
 */
export function predictWindowMs(s: OpenStation, ratePerS: number, fromS: number, toS: number, opts: Pick<TransientOptions, 'maxInFlight'> = {}): number {
  if (!(toS > fromS) || !(fromS >= 0)) throw new RangeError(`the window must be 0 ≤ fromS < toS (s), got ${fromS}..${toS}`)
  const steady = predictOpen(s, ratePerS)
  if (steady.stable) return steady.meanMs as number
  const { latencyOfArrival } = fluid(s, ratePerS, opts.maxInFlight)
  const steps = 200 // midpoint rule: latency is piecewise linear in the arrival instant
  let sum = 0
  for (let i = 0; i < steps; i++) sum += latencyOfArrival(fromS + ((i + 0.5) * (toS - fromS)) / steps)
  return sum / steps
}

/**
 * The predicted latency in each second of a level at an offered `ratePerS`.
 * Stable (ρ < 1): the steady state every second. Unstable (ρ ≥ 1): the fluid
 * approximation, queue(t) = (λ − capacity)·t requests (capped at
 * `maxInFlight` − those in service, beyond which the excess is dropped), and
 * a request arriving at t takes queue(t) / capacity + its own bare response.
 * Answered at u, a request arrived at a with u = a + W(a); with
 * W(a) = (λ − μ)a/μ + S that is W(u) = (λ − μ)(u − S)/λ + S.
 * @param seconds - seconds of load to predict, an integer ≥ 1 (warm-up included, as in the timeline)
 * @throws RangeError on bad arguments
 */
export function predictSeconds(s: OpenStation, ratePerS: number, seconds: number, opts: TransientOptions = {}): PredictedSecond[] {
  if (!Number.isInteger(seconds) || seconds < 1) throw new RangeError(`seconds must be an integer ≥ 1, got ${seconds}`)
  const steady = predictOpen(s, ratePerS)
  const { capacityPerS: mu, bareMs } = station(s)
  const out: PredictedSecond[] = []
  if (steady.stable) {
    const queue = (ratePerS * (steady.meanWaitMs as number)) / 1000 // Little's law on the queue
    for (let t = 1; t <= seconds; t++) out.push({ t, queue, meanMs: steady.meanMs as number, dropped: 0 })
    return out
  }
  const { growth, queueAt, fullAt, latencyOfArrival } = fluid(s, ratePerS, opts.maxInFlight)
  for (let t = 1; t <= seconds; t++) {
    const mid = t - 0.5
    let meanMs: number
    if (opts.basis === 'completion') {
      const uS = mid - bareMs / 1000
      const a = uS > 0 ? (uS * mu) / ratePerS : 0
      meanMs = latencyOfArrival(a)
    } else meanMs = latencyOfArrival(mid)
    const dropped = growth * Math.max(0, Math.min(1, t - Math.max(fullAt, t - 1)))
    out.push({ t, queue: queueAt(mid), meanMs, dropped })
  }
  return out
}
