/**
 * What a load balancer's choice costs: a simulation of the closed loop the
 * lab drives against `upstreams` separate pools, each request held for its
 * kind's time, with the proxy picking the pool round-robin or by least
 * connections, beside the same loop against one shared queue of all the
 * slots (what MVA's pooled station assumes; lab/core/model.ts).
 *
 * Why a simulation: a balancer in front of separate pools is not a
 * product-form network (the routing depends on the pools' state, and the
 * holding times are fixed, not exponential), so MVA has no exact answer for
 * it (F. Baskett, K. M. Chandy, R. R. Muntz, F. G. Palacios, JACM 22(2),
 * 1975). With the waits a few fixed lengths the loop is deterministic:
 * every connection walks the mix's cycle from its own offset, exactly as the
 * load generator does (lab/load/autocannon.ts `requestsOf`); its only
 * randomness is a small fixed-seed jitter ({@link JITTER_MS}), so it gives
 * the same figure every time.
 *
 * What it leaves out: the proxy's own time, the network, and CPU contention
 * (a request holds its slot for its kind's wait + CPU whatever else runs).
 * The model uses only the ratio of the two runs ({@link balanceEfficiency}),
 * so MVA still accounts for CPU and the cores.
 *
 * Round-robin: each request goes to the next pool in turn, whatever it holds
 * (nginx's default `round-robin`, Apache's `lbmethod=byrequests`, Caddy's
 * `round_robin`). Least connections: the pool with the fewest requests in
 * progress (served or queued at it), ties broken round-robin (nginx
 * `least_conn`, 1.22: "If there are several such servers, they are tried in
 * turn using a weighted round-robin balancing method";
 * https://nginx.org/en/docs/http/ngx_http_upstream_module.html#least_conn).
 *
 * Pure: no I/O.
 */

/** The balancer's rule. `shared`: one queue in front of every slot (the pooled reference). */
/**
 * Jitter added to every hold time, ms: uniform on [0, 0.5) from a fixed-seed
 * generator (mulberry32). It stands in for the proxy's and loopback's small
 * variable time; without it the deterministic loop can lock into a rhythm the
 * real one never holds (6 connections on 3 × 2 slots of a 9 × 10 ms + 1 × 500 ms
 * mix: 97 req/s round-robin without jitter, 65 with 0.2 ms or with 3 ms).
 */
export const JITTER_MS = 0.5

export type BalancePolicy = 'round-robin' | 'least-conn' | 'shared'

/** One simulated closed loop. */
export interface BalanceSimInput {
  /** Separate pools (upstream server instances), ≥ 1. */
  upstreams: number
  /** Requests each pool serves at once (its workers × threads), ≥ 1. */
  slots: number
  /** The hold time of each request of the mix's cycle, ms, in the order a connection sends them (lab/core/mix.ts `weightedCycle`). */
  cycleMs: readonly number[]
  /** Closed-loop connections, ≥ 1 (no think time: each sends its next request when answered). */
  connections: number
  policy: BalancePolicy
  /** Completions to simulate (the first fifth is warm-up); default 40 × connections × cycle length, at least 100,000 (at 20,000 the figure still moved by ±3 %). */
  completions?: number
}

/** Throughput (req/s) and mean latency (ms) over the simulated window. */
export interface BalanceSimResult {
  perSecond: number
  meanMs: number
}

/** A binary min-heap of [time, sequence, connection] completions. */
class Events {
  private readonly heap: Array<[number, number, number]> = []
  private seq = 0
  get size(): number {
    return this.heap.length
  }
  push(t: number, conn: number): void {
    const h = this.heap
    h.push([t, this.seq++, conn])
    let i = h.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!before(h[i]!, h[parent]!)) break
      ;[h[i], h[parent]] = [h[parent]!, h[i]!]
      i = parent
    }
  }
  pop(): [number, number, number] {
    const h = this.heap
    const top = h[0]!
    const last = h.pop()!
    if (h.length > 0) {
      h[0] = last
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < h.length && before(h[l]!, h[m]!)) m = l
        if (r < h.length && before(h[r]!, h[m]!)) m = r
        if (m === i) break
        ;[h[i], h[m]] = [h[m]!, h[i]!]
        i = m
      }
    }
    return top
  }
}

/** A fixed-seed uniform generator on [0, 1) (Tommy Ettinger's mulberry32, public domain). */
function mulberry32(seed: number): () => number {
  let a = seed | 0
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let z = Math.imul(a ^ (a >>> 15), 1 | a)
    z = (z + Math.imul(z ^ (z >>> 7), 61 | z)) ^ z
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296
  }
}

function before(a: [number, number, number], b: [number, number, number]): boolean {
  return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1])
}

/**
 * Simulates the closed loop and measures its throughput and mean latency
 * after a warm-up of a fifth of the completions.
 * @throws RangeError when a count is < 1, the cycle is empty, or a hold time is negative or not finite
 */
export function simulateBalance(input: BalanceSimInput): BalanceSimResult {
  const { connections, cycleMs, policy } = input
  const pools = policy === 'shared' ? 1 : input.upstreams
  const slots = policy === 'shared' ? input.upstreams * input.slots : input.slots
  if (!(pools >= 1 && slots >= 1 && connections >= 1) || cycleMs.length === 0 || cycleMs.some((ms) => !(ms >= 0) || !Number.isFinite(ms))) {
    throw new RangeError('upstreams, slots and connections must be ≥ 1 and every hold time a finite number ≥ 0')
  }
  const total = input.completions ?? Math.max(100_000, 40 * connections * cycleMs.length)
  const warm = Math.floor(total / 5)
  const busy = new Int32Array(pools)
  const queued: number[][] = Array.from({ length: pools }, () => [])
  const inPool = new Int32Array(connections)
  const step = new Int32Array(connections)
  const sentAt = new Float64Array(connections)
  // each connection starts its walk of the cycle at its own offset, as the load generator does
  for (let k = 0; k < connections; k++) step[k] = Math.floor((k * cycleMs.length) / connections)
  const events = new Events()
  const rand = mulberry32(0x9e3779b9)
  let turn = 0

  const start = (pool: number, conn: number, t: number): void => {
    busy[pool]!++
    events.push(t + cycleMs[step[conn]! % cycleMs.length]! + JITTER_MS * rand(), conn)
  }
  const choose = (): number => {
    if (pools === 1) return 0
    if (policy === 'round-robin') return turn++ % pools
    let best = -1
    let fewest = Infinity
    for (let i = 0; i < pools; i++) {
      const p = (turn + i) % pools
      const n = busy[p]! + queued[p]!.length
      if (n < fewest) [best, fewest] = [p, n]
    }
    turn = best + 1
    return best
  }
  const send = (conn: number, t: number): void => {
    const pool = choose()
    inPool[conn] = pool
    sentAt[conn] = t
    if (busy[pool]! < slots) start(pool, conn, t)
    else queued[pool]!.push(conn)
  }

  for (let k = 0; k < connections; k++) send(k, 0)
  let done = 0
  let t0 = 0
  let latencySum = 0
  let t = 0
  while (done < total && events.size > 0) {
    const [now, , conn] = events.pop()
    t = now
    const pool = inPool[conn]!
    busy[pool]!--
    const next = queued[pool]!.shift()
    if (next !== undefined) start(pool, next, now)
    done++
    if (done === warm) t0 = now
    else if (done > warm) latencySum += now - sentAt[conn]!
    step[conn]!++
    send(conn, now)
  }
  const counted = done - warm
  const elapsedMs = t - t0
  if (!(elapsedMs > 0)) return { perSecond: Infinity, meanMs: 0 }
  return { perSecond: (counted * 1000) / elapsedMs, meanMs: latencySum / counted }
}

/**
 * The share of the pooled throughput a balancer keeps: the simulated
 * throughput under `policy` ÷ the same loop against one shared queue of all
 * the slots; 1 with one upstream or `shared`.
 * @throws RangeError as {@link simulateBalance}
 */
export function balanceEfficiency(input: BalanceSimInput): number {
  if (input.policy === 'shared' || input.upstreams <= 1) return 1
  const key = JSON.stringify(input)
  const known = efficiencies.get(key)
  if (known !== undefined) return known
  const pooled = simulateBalance({ ...input, policy: 'shared' }).perSecond
  const e = pooled > 0 && Number.isFinite(pooled) ? simulateBalance(input).perSecond / pooled : 1
  efficiencies.set(key, e)
  return e
}

/** Efficiencies already simulated (the same level is predicted textbook and calibrated, and again by the report). */
const efficiencies = new Map<string, number>()
