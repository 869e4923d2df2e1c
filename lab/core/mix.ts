/**
 * Workload mixes: a workload may ask for several kinds of request in given
 * proportions (`mix: [{ weight: 9, io_ms: 10 }, { weight: 1, io_ms: 500 }]`,
 * or `{ weight: 4, static: 'page-200k.txt' }` for a static file), instead of
 * repeating one `/work` request.
 *
 * This module turns a workload into its request kinds (path, weight, label),
 * orders them into a sequence that honours the weights, and averages their
 * demands for the queueing model. Pure: no I/O.
 */

/** One entry of a workload's `mix`, as validated (a `/work` request or a static file). */
export interface MixEntry {
  weight: number
  io_ms?: number
  cpu_ms?: number
  bytes?: number
  /** A file under the scenario's static folder, requested as `GET /static/<file>`. */
  static?: string
  /** Name of the kind in per-kind results; generated when absent. */
  label?: string
  /** Any request target, sent as it is (`lab run my-app`). */
  path?: string
  /** Its method (default GET) and body. */
  method?: string
  body?: string
  /** What the model assumes a `path` request costs, ms. */
  demand?: { io_ms: number; cpu_ms: number }
  /** Who sends it: `&client=<id>` on the path (a proxy's `limit_req` key). */
  client?: string
}

/** The fields of a workload this module reads. */
export interface MixWorkload {
  io_ms: number
  cpu_ms: number
  bytes: number
  crash_pct?: number
  hang_pct?: number
  mix?: readonly MixEntry[]
}

/** One kind of request of a workload. */
export interface RequestKind {
  /** e.g. `io_ms=10`, `static:page-200k.txt`, or the entry's `label`. */
  label: string
  /** Request target, e.g. `/work?io_ms=10&cpu_ms=0&bytes=1024` or `/static/page-200k.txt`. */
  path: string
  /** Relative weight (an integer ≥ 1). */
  weight: number
  /** `work` requests reach the app's workers; `static` ones may be served by a proxy instead. */
  kind: 'work' | 'static'
  ioMs: number
  cpuMs: number
  /** The method when not GET, and the body (a `path` entry's). */
  method?: string
  body?: string
}

/** `/work?io_ms=..&cpu_ms=..&bytes=..` (and the fault percentages and the client when set). */
export function workTarget(w: { io_ms: number; cpu_ms: number; bytes: number; crash_pct?: number; hang_pct?: number; client?: string }): string {
  const faults = `${w.crash_pct ? `&crash_pct=${w.crash_pct}` : ''}${w.hang_pct ? `&hang_pct=${w.hang_pct}` : ''}`
  return `/work?io_ms=${w.io_ms}&cpu_ms=${w.cpu_ms}&bytes=${w.bytes}${faults}${w.client ? `&client=${w.client}` : ''}`
}

/**
 * The request kinds of a workload: one `/work` kind (weight 1) without a
 * `mix`; otherwise one per entry, a `/work` entry's missing `io_ms`, `cpu_ms`
 * and `bytes` taken from the workload itself.
 */
export function requestKinds(w: MixWorkload): RequestKind[] {
  if (!w.mix || w.mix.length === 0) {
    return [{ label: `io_ms=${w.io_ms} cpu_ms=${w.cpu_ms}`, path: workTarget(w), weight: 1, kind: 'work', ioMs: w.io_ms, cpuMs: w.cpu_ms }]
  }
  const kinds = w.mix.map((e): RequestKind => {
    if (e.path !== undefined) {
      const method = e.method ?? 'GET'
      const label = e.label ?? `${method} ${e.path}`.slice(0, 40)
      return { label, path: e.path, weight: e.weight, kind: 'work', ioMs: e.demand?.io_ms ?? 0, cpuMs: e.demand?.cpu_ms ?? 0, ...(method !== 'GET' ? { method } : {}), ...(e.body !== undefined ? { body: e.body } : {}) }
    }
    if (e.static !== undefined) {
      return { label: e.label ?? `static:${e.static}`, path: `/static/${e.static}`, weight: e.weight, kind: 'static', ioMs: 0, cpuMs: 0 }
    }
    const io = e.io_ms ?? w.io_ms
    const cpu = e.cpu_ms ?? w.cpu_ms
    const work = { io_ms: io, cpu_ms: cpu, bytes: e.bytes ?? w.bytes, crash_pct: w.crash_pct, hang_pct: w.hang_pct, client: e.client }
    return { label: e.label ?? `io_ms=${io}${cpu ? ` cpu_ms=${cpu}` : ''}`, path: workTarget(work), weight: e.weight, kind: 'work', ioMs: io, cpuMs: cpu }
  })
  // two entries with the same generated label (say, the same wait with other sizes) get numbered
  const seen = new Map<string, number>()
  for (const k of kinds) {
    const n = (seen.get(k.label) ?? 0) + 1
    seen.set(k.label, n)
    if (n > 1) k.label = `${k.label} #${n}`
  }
  return kinds
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b]
  return a
}

/**
 * A cycle of indexes into `weights` in which index i appears
 * `weights[i] / g` times (g: their greatest common divisor), spread evenly by
 * smooth weighted round-robin (the order nginx's upstream module picks
 * weighted servers in: `ngx_http_upstream_get_peer()` in
 * src/http/ngx_http_upstream_round_robin.c):
 * `[9, 1]` → 9 zeros and a one, the one in the middle, not at an end.
 * @throws RangeError when a weight is not a positive integer or the cycle would exceed `maxLength` (default 10 000)
 */
export function weightedCycle(weights: readonly number[], maxLength = 10_000): number[] {
  if (weights.length === 0 || weights.some((w) => !Number.isInteger(w) || w < 1)) throw new RangeError('weights must be positive integers')
  const g = weights.reduce(gcd)
  const reduced = weights.map((w) => w / g)
  const total = reduced.reduce((a, b) => a + b, 0)
  if (total > maxLength) throw new RangeError(`the weights make a cycle of ${total} requests; at most ${maxLength}`)
  const current = reduced.map(() => 0)
  const out: number[] = []
  for (let n = 0; n < total; n++) {
    let best = 0
    for (let i = 0; i < reduced.length; i++) {
      current[i] = (current[i] as number) + (reduced[i] as number)
      if ((current[i] as number) > (current[best] as number)) best = i
    }
    current[best] = (current[best] as number) - total
    out.push(best)
  }
  return out
}

/**
 * The demand an average request puts on the app's workers, ms: the
 * weight-averaged `io_ms` and `cpu_ms` of the kinds that reach them. Static
 * kinds count as 0 ms: the model knows no cost for them (reading a cached
 * file and writing it to a fast loopback client takes well under a
 * millisecond), and behind a proxy that serves them they never reach a worker.
 * @returns also `workShare`, the fraction of requests that reach the workers at all
 */
export function meanDemand(kinds: readonly RequestKind[], staticOffloaded: boolean): { ioMs: number; cpuMs: number; workShare: number } {
  const total = kinds.reduce((s, k) => s + k.weight, 0)
  if (total <= 0) return { ioMs: 0, cpuMs: 0, workShare: 0 }
  let io = 0
  let cpu = 0
  let reaching = 0
  for (const k of kinds) {
    if (k.kind === 'static' && staticOffloaded) continue
    reaching += k.weight
    io += k.weight * k.ioMs
    cpu += k.weight * k.cpuMs
  }
  return { ioMs: io / total, cpuMs: cpu / total, workShare: reaching / total }
}
