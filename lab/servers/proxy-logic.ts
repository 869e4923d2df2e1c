/**
 * The decisions of the built-in reverse proxy (lab/servers/reverse-proxy.ts),
 * kept apart from its sockets so they can be tested with a fake clock:
 *
 * - {@link Balancer}: which upstream gets the next request (round-robin or
 *   least connections), and which are marked down after a failure;
 * - {@link MicroCache}: what a request gets from the micro-cache (HIT, MISS,
 *   STALE), with the cache lock that lets one request refill an entry while
 *   the others wait or take the stale copy.
 *
 * Both follow nginx's documented behaviour
 * (https://nginx.org/en/docs/http/ngx_http_upstream_module.html,
 * https://nginx.org/en/docs/http/ngx_http_proxy_module.html); each
 * difference is named where it is. Times are milliseconds from any clock.
 */

/**
 * Attempts a request may make, the first included: `tries`, or one per
 * upstream when `tries` is 0 (nginx `proxy_next_upstream_tries 0`: "turns off
 * this limitation"; each upstream is tried at most once either way).
 */
export function attemptLimit(tries: number, upstreams: number): number {
  return tries > 0 ? Math.min(tries, upstreams) : upstreams
}

/** Methods nginx passes to the next upstream after a failure (it never retries POST, LOCK, PATCH unless told: `non_idempotent`). */
export function isIdempotent(method: string): boolean {
  return method !== 'POST' && method !== 'LOCK' && method !== 'PATCH'
}

interface Peer {
  port: number
  /** Requests in progress on this upstream. */
  active: number
  /** Failures counted in the current window. */
  fails: number
  /** When the first failure of the current window happened. */
  failedAt: number
  /** Until when the upstream is skipped. */
  downUntil: number
}

/**
 * Picks upstreams. Round-robin cycles through the servers in order;
 * least-conn picks the one with the fewest requests in progress, ties broken
 * round-robin (both as nginx does with equal weights). After `maxFails`
 * failures within `failTimeoutS` an upstream is skipped for `failTimeoutS`,
 * then tried again; with a single upstream it is never skipped (nginx: "if
 * there is only a single server in a group, max_fails, fail_timeout ... are
 * ignored"). When every upstream is down, there is none to pick (nginx
 * answers 502, "no live upstreams").
 */
export class Balancer {
  private readonly peers: Peer[]
  private next = 0

  constructor(
    ports: readonly number[],
    private readonly opts: { balance: 'round-robin' | 'least-conn'; maxFails: number; failTimeoutS: number },
  ) {
    if (ports.length === 0) throw new RangeError('a balancer needs at least one upstream')
    this.peers = ports.map((port) => ({ port, active: 0, fails: 0, failedAt: 0, downUntil: 0 }))
  }

  /** Upstream ports, in order. */
  get ports(): number[] {
    return this.peers.map((p) => p.port)
  }

  /** Whether an upstream is skipped at `now`. */
  isDown(index: number, now: number): boolean {
    const p = this.peers[index]
    return p !== undefined && this.peers.length > 1 && p.downUntil > now
  }

  /**
   * The upstream for the next attempt, skipping those down and those in `tried`.
   * @returns its index, or undefined when none is left
   */
  pick(now: number, tried: ReadonlySet<number> = new Set()): number | undefined {
    const n = this.peers.length
    const candidates: number[] = []
    for (let k = 0; k < n; k++) {
      const i = (this.next + k) % n
      if (!tried.has(i) && !this.isDown(i, now)) candidates.push(i)
    }
    if (candidates.length === 0) return undefined
    let chosen = candidates[0] as number
    if (this.opts.balance === 'least-conn') {
      for (const i of candidates) if ((this.peers[i] as Peer).active < (this.peers[chosen] as Peer).active) chosen = i
    }
    this.next = (chosen + 1) % n
    return chosen
  }

  /** A request starts on upstream `index`. */
  begin(index: number): void {
    const p = this.peers[index]
    if (p) p.active++
  }

  /** A request on upstream `index` ended; `ok` false when it failed (an error or a timeout). */
  end(index: number, ok: boolean, now: number): 'marked-down' | undefined {
    const p = this.peers[index]
    if (!p) return undefined
    p.active = Math.max(0, p.active - 1)
    return ok ? this.succeeded(p) : this.failed(p, now)
  }

  /** Requests in progress per upstream, in order. */
  active(): number[] {
    return this.peers.map((p) => p.active)
  }

  private succeeded(p: Peer): undefined {
    // nginx resets the failure count when a request succeeds after the fail_timeout window
    p.fails = 0
    return undefined
  }

  private failed(p: Peer, now: number): 'marked-down' | undefined {
    if (this.opts.maxFails <= 0 || this.peers.length === 1) return undefined
    const windowMs = this.opts.failTimeoutS * 1000
    if (now - p.failedAt > windowMs) {
      p.fails = 0
      p.failedAt = now
    }
    p.fails++
    if (p.fails >= this.opts.maxFails && p.downUntil <= now) {
      p.downUntil = now + windowMs
      p.fails = 0
      return 'marked-down'
    }
    return undefined
  }
}

/** A stored answer. */
export interface CachedResponse {
  status: number
  /** Header names and values in one flat list, as node:http's `rawHeaders` (repeated names kept). */
  headers: string[]
  body: Buffer
}

interface Entry {
  response: CachedResponse
  freshUntil: number
  storedAt: number
}

/** What the cache says about a request. */
export type CacheDecision =
  /** Fresh: answer from the cache. */
  | { action: 'hit'; response: CachedResponse }
  /** Expired while another request refills it: answer the stale copy. */
  | { action: 'stale'; response: CachedResponse }
  /** Missing while another request fills it: wait for that one (`wait` resolves with its answer, or undefined when it failed). */
  | { action: 'wait'; wait: Promise<CachedResponse | undefined> }
  /** Go to the upstream; `fill` is true when this request holds the lock and must call `store` or `abandon`. */
  | { action: 'miss'; fill: boolean }

/**
 * A micro-cache of whole responses in memory, by key (method and target, as
 * nginx's default `proxy_cache_key $scheme$proxy_host$request_uri`, HEAD
 * cached as GET). With the lock on (nginx `proxy_cache_lock on` plus
 * `proxy_cache_use_stale updating`), one request fills a missing entry while
 * the others wait for it, and one refills an expired entry while the others
 * get the stale copy; with the lock off, every request that finds no fresh
 * entry goes upstream (the stampede). Expired entries are kept for
 * `keepStaleMs` (nginx's `inactive`, default 10 min) and at most `maxEntries`.
 */
export class MicroCache {
  private readonly entries = new Map<string, Entry>()
  private readonly filling = new Map<string, { waiters: Array<(r: CachedResponse | undefined) => void> }>()

  constructor(
    private readonly opts: { ttlS: number; lock: boolean; keepStaleMs?: number; maxEntries?: number },
  ) {}

  /** The cache key of a request: HEAD shares GET's entry. */
  static key(method: string, target: string): string {
    return `${method === 'HEAD' ? 'GET' : method} ${target}`
  }

  /** Whether a request may be answered from the cache at all (GET and HEAD only). */
  static cacheable(method: string): boolean {
    return method === 'GET' || method === 'HEAD'
  }

  /** What to do with a request for `key` at `now`. */
  lookup(key: string, now: number): CacheDecision {
    const entry = this.entries.get(key)
    if (entry && entry.freshUntil > now) return { action: 'hit', response: entry.response }
    if (!this.opts.lock) return { action: 'miss', fill: false }
    const fill = this.filling.get(key)
    if (fill) {
      if (entry) return { action: 'stale', response: entry.response }
      return { action: 'wait', wait: new Promise((resolve) => fill.waiters.push(resolve)) }
    }
    this.filling.set(key, { waiters: [] })
    return { action: 'miss', fill: true }
  }

  /**
   * Stores an upstream's answer (only a 200 is kept, as `proxy_cache_valid <time>` does for
   * GET/HEAD) and wakes the requests waiting for it.
   */
  store(key: string, response: CachedResponse, now: number): void {
    if (response.status === 200 && this.opts.ttlS > 0) {
      this.entries.delete(key)
      this.entries.set(key, { response, freshUntil: now + this.opts.ttlS * 1000, storedAt: now })
      this.evict(now)
    }
    this.release(key, response.status === 200 ? response : undefined)
  }

  /** The request holding the lock failed: wake the waiters empty-handed (they go upstream themselves). */
  abandon(key: string): void {
    this.release(key, undefined)
  }

  /** Entries stored now (fresh or stale). */
  get size(): number {
    return this.entries.size
  }

  private release(key: string, response: CachedResponse | undefined): void {
    const fill = this.filling.get(key)
    if (!fill) return
    this.filling.delete(key)
    for (const wake of fill.waiters) wake(response)
  }

  private evict(now: number): void {
    const keep = this.opts.keepStaleMs ?? 600_000
    const max = this.opts.maxEntries ?? 1000
    for (const [k, e] of this.entries) {
      if (this.entries.size <= max && e.freshUntil + keep > now) break
      this.entries.delete(k)
    }
  }
}

/** Content types by file extension for static files (a few; anything else is `application/octet-stream`, nginx's `default_type`). */
export const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html',
  css: 'text/css',
  js: 'application/javascript',
  json: 'application/json',
  txt: 'text/plain',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  woff2: 'font/woff2',
}

/** The content type of a file name, by its extension. */
export function contentType(file: string): string {
  const dot = file.lastIndexOf('.')
  return (dot >= 0 ? CONTENT_TYPES[file.slice(dot + 1).toLowerCase()] : undefined) ?? 'application/octet-stream'
}

/**
 * The file a `/static/...` target names inside `dir`, or undefined when the
 * target is not under `/static/`, is malformed, or would leave `dir`
 * (`..`, encoded slashes, NUL).
 * @param join - path.join (passed in so this module stays free of node:path)
 */
export function staticFile(target: string, dir: string, join: (...parts: string[]) => string): string | undefined {
  if (!target.startsWith('/static/')) return undefined
  const q = target.search(/[?#]/)
  const raw = (q < 0 ? target : target.slice(0, q)).slice('/static/'.length)
  let name: string
  try {
    name = decodeURIComponent(raw)
  } catch {
    return undefined
  }
  if (name === '' || name.includes('\0') || name.includes('\\')) return undefined
  const parts = name.split('/')
  if (parts.some((p) => p === '..' || p === '.' || p === '')) return undefined
  return join(dir, ...parts)
}

/** Request headers that describe one hop, not the request (RFC 9110 §7.6.1), and are not passed on. */
export const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade'])
