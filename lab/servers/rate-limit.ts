/**
 * The built-in reverse proxy's two request limiters (lab/servers/reverse-proxy.ts,
 * wired in lab/servers/proxy-limit.ts), kept apart from its sockets so they can
 * be tested with a fake clock. Pure: no I/O, no timers; times are whole
 * milliseconds from any monotonic clock, passed in.
 *
 * - {@link RequestLimiter}: nginx's `limit_req`, a leaky bucket per key
 *   (nginx 1.22, https://nginx.org/en/docs/http/ngx_http_limit_req_module.html:
 *   *"The limitation is done using the 'leaky bucket' method"*). The
 *   arithmetic is the one of nginx 1.22.1's
 *   src/http/modules/ngx_http_limit_req_module.c (`ngx_http_limit_req_lookup`,
 *   `ngx_http_limit_req_account`), written anew here: a key's *excess* is kept
 *   in milli-requests (1000 = one request ahead of the rate); at each request
 *   it drains by `rate × elapsed` (integer arithmetic, rate in milli-requests
 *   per second, elapsed in ms) and grows by 1000; a request that would take it
 *   over `burst × 1000` is rejected and leaves the bucket as it was; one that
 *   fits is accounted, and without `nodelay` is delayed by
 *   `excess × 1000 / rate` ms, its turn at the rate.
 * - {@link ConnectionLimiter}: nginx's `limit_conn`
 *   (https://nginx.org/en/docs/http/ngx_http_limit_conn_module.html): at most
 *   N requests of one key in progress; the next is rejected.
 *
 * Both skip a request without a key: *"Requests with an empty key value are
 * not accounted"* (both modules' docs). The key is nginx's `$arg_client`
 * ({@link queryArgument}), as lab/engines/nginx.ts configures nginx.
 */

/**
 * A query argument as nginx's `$arg_<name>` reads it (nginx 1.22.1,
 * `ngx_http_arg` in src/http/ngx_http_parse.c): the value of the first
 * `name=` in the query string, the name matched without regard to case,
 * at the start or after a `&`; the raw bytes up to the next `&`, not
 * percent-decoded.
 * @param target - the request target, e.g. `/work?io_ms=5&client=abuser`
 * @returns the value (maybe empty), or undefined without one
 */
export function queryArgument(target: string, name: string): string | undefined {
  const q = target.indexOf('?')
  if (q < 0) return undefined
  const args = target.slice(q + 1)
  const lowerArgs = args.toLowerCase()
  const lowerName = `${name.toLowerCase()}=`
  for (let at = lowerArgs.indexOf(lowerName); at >= 0; at = lowerArgs.indexOf(lowerName, at + 1)) {
    if (at !== 0 && args[at - 1] !== '&') continue
    const start = at + lowerName.length
    const end = args.indexOf('&', start)
    return args.slice(start, end < 0 ? undefined : end)
  }
  return undefined
}

/** `limit_req`'s settings, as a proxy part gives them (lab/core/operations-schema.ts). */
export interface RequestLimit {
  /** Requests per second a key may make (`limit_req_zone ... rate=Nr/s`): the bucket's drain rate. */
  ratePerS: number
  /** Requests a key may be ahead of its rate (`burst=`, default 0). */
  burst: number
  /** Serve the requests within the burst at once instead of at the rate (`nodelay`). */
  nodelay: boolean
}

/** What {@link RequestLimiter.decide} says about a request. */
export type RequestDecision =
  /** Not accounted: the request has no key. */
  | { action: 'unlimited' }
  /** Passed; `delayMs` > 0 when it must wait its turn first (no `nodelay`). `excess` in milli-requests. */
  | { action: 'pass'; delayMs: number; excess: number }
  /** Over the burst: answer `limit_req_status` at once. `excess` is what it would have made the bucket. */
  | { action: 'reject'; excess: number }

interface Bucket {
  /** Milli-requests ahead of the rate (nginx's `excess`). */
  excess: number
  /** When the excess was last drained, ms (nginx's `last`). */
  last: number
}

/** How long an emptied bucket is kept after its last request, ms (nginx's `ngx_http_limit_req_expire`: 60 s). */
const IDLE_MS = 60_000

/**
 * The leaky bucket of `limit_req`, one per key. nginx keeps the buckets in a
 * shared-memory zone (the lab's `lab_limit:1m`, *"about 16 thousand 64-byte
 * states"* per megabyte); here a Map of at most `maxKeys`, where a new key
 * first drops up to two buckets idle for 60 s and empty (as nginx does on each
 * new key), and, when still full, the least recently used one (nginx drops
 * the oldest when its zone is out of memory).
 */
export class RequestLimiter {
  /** Milli-requests per second (nginx's `ctx->rate`: `rate × 1000`). */
  private readonly rate: number
  /** Largest excess admitted, milli-requests (`burst × 1000`). */
  private readonly burst: number
  /** Excess served without delay, milli-requests: `nodelay` all of it, else none. */
  private readonly delayAbove: number
  /** Least recently used first (a Map keeps insertion order; a used key is re-inserted). */
  private readonly buckets = new Map<string, Bucket>()

  constructor(
    limit: RequestLimit,
    private readonly maxKeys = 16_000,
  ) {
    if (!(limit.ratePerS > 0)) throw new RangeError('limit_req needs a rate above 0')
    this.rate = Math.round(limit.ratePerS * 1000)
    this.burst = limit.burst * 1000
    this.delayAbove = limit.nodelay ? Number.MAX_SAFE_INTEGER : 0
  }

  /**
   * Accounts a request of `key` arriving at `now` (whole ms) and says what to do with it.
   * @param key - `$arg_client`; undefined or empty: not limited
   */
  decide(key: string | undefined, now: number): RequestDecision {
    if (key === undefined || key === '' || key.length > 65535) return { action: 'unlimited' }
    const bucket = this.buckets.get(key)
    if (!bucket) {
      this.expire(now)
      this.buckets.set(key, { excess: 0, last: now })
      return { action: 'pass', delayMs: 0, excess: 0 }
    }
    this.buckets.delete(key) // most recently used (nginx moves it to the queue's head even when it rejects)
    this.buckets.set(key, bucket)
    let ms = now - bucket.last
    if (ms < -60_000) ms = 1 // nginx: a clock that jumped back a minute counts as 1 ms
    else if (ms < 0) ms = 0
    const excess = Math.max(0, bucket.excess - Math.trunc((this.rate * ms) / 1000) + 1000)
    if (excess > this.burst) return { action: 'reject', excess }
    bucket.excess = excess
    if (ms > 0) bucket.last = now
    const delayMs = excess <= this.delayAbove ? 0 : Math.trunc(((excess - this.delayAbove) * 1000) / this.rate)
    return { action: 'pass', delayMs, excess }
  }

  /** Keys with a bucket now. */
  get size(): number {
    return this.buckets.size
  }

  /** Drops up to two old empty buckets, then the oldest ones while the table is full. */
  private expire(now: number): void {
    let dropped = 0
    for (const [key, b] of this.buckets) {
      if (dropped === 2) break
      const idle = Math.abs(now - b.last)
      if (idle < IDLE_MS || b.excess - Math.trunc((this.rate * idle) / 1000) > 0) break
      this.buckets.delete(key)
      dropped++
    }
    while (this.buckets.size >= this.maxKeys) {
      const oldest = this.buckets.keys().next()
      if (oldest.done) break
      this.buckets.delete(oldest.value)
    }
  }
}

/** What {@link ConnectionLimiter.enter} says about a request. */
export type ConnectionDecision =
  /** Admitted; call `release` once when the request is over (finished or abandoned by its client). */
  | { admitted: true; release: () => void }
  /** Over the limit: answer `limit_conn_status` at once. */
  | { admitted: false }

/**
 * `limit_conn`: at most `max` requests of one key in progress. nginx counts a
 * request *"being processed by the server"* once its header is read and
 * uncounts it when the request is freed (its pool's cleanup: the answer sent,
 * or the client gone). A key longer than 255 bytes is not accounted (nginx
 * 1.22.1 logs it and lets the request through).
 */
export class ConnectionLimiter {
  private readonly inProgress = new Map<string, number>()

  constructor(private readonly max: number) {
    if (!(max >= 1)) throw new RangeError('limit_conn needs at least 1')
  }

  /** A request of `key` starts (undefined or empty: not limited). */
  enter(key: string | undefined): ConnectionDecision {
    if (key === undefined || key === '' || key.length > 255) return { admitted: true, release: () => {} }
    const n = this.inProgress.get(key) ?? 0
    if (n >= this.max) return { admitted: false }
    this.inProgress.set(key, n + 1)
    let released = false
    return {
      admitted: true,
      release: () => {
        if (released) return
        released = true
        const left = (this.inProgress.get(key) ?? 1) - 1
        if (left > 0) this.inProgress.set(key, left)
        else this.inProgress.delete(key)
      },
    }
  }

  /** Requests of `key` in progress now. */
  count(key: string): number {
    return this.inProgress.get(key) ?? 0
  }
}
