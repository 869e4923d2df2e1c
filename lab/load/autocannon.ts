/**
 * The autocannon load driver: a closed loop of `connections` connections, each
 * sending its next request as soon as the previous response completes (no
 * think time), on autocannon 9 patched (patches/autocannon+9.0.0.patch) to time
 * `Connection: close` responses correctly (docs/measurement.md).
 *
 * Every response's latency (autocannon's float milliseconds) is recorded in an
 * HDR histogram with microsecond resolution (hdr-histogram-js); autocannon's
 * own percentiles are whole milliseconds and are not used.
 *
 * The measured window: the load runs at least `warmupS` seconds and until
 * every connection has completed one response (so every connection has been
 * through the queue once and the closed loop is in steady state; capped at
 * `warmupS + 10` s), then the window lasts `durationS` seconds (or what
 * `windowS` answers when it opens) and counts the responses that complete inside it.
 */
import autocannon from 'autocannon'
import { weightedCycle } from '../core/mix.js'
import type { LevelMeasurement, LevelProgress, LevelRequest, LoadDriver } from './driver.js'
import { SecondBuckets, WindowStats } from './level-stats.js'

const MAX_EXTRA_WARMUP_S = 10

// autocannon 9's real shapes (its @types package describes an older version):
// the run is an EventEmitter that is also a promise of autocannon's own result.
interface Tracker extends PromiseLike<unknown> {
  on(event: 'response', l: (client: object, statusCode: number, bytes: number, responseTimeMs: number) => void): void
  on(event: 'reqError', l: (err: Error) => void): void
  stop(): void
}
interface Client {
  on(event: 'headers', l: (info: { headers: string[] }) => void): void
  /** Replaces the requests this connection cycles through (autocannon's `Client.prototype.setRequests`). */
  setRequests(requests: object[]): void
}

/** A request of a mix as autocannon takes it, with the lab's label of its kind. */
interface MixRequest {
  method: string
  path: string
  labKind: string
  body?: string
  headers?: Record<string, string>
}

/** A body's content type: JSON when it parses as JSON, else plain text. */
function contentType(body: string): string {
  try {
    JSON.parse(body)
    return 'application/json'
  } catch {
    return 'text/plain'
  }
}

/**
 * A mix's request cycle (weights honoured, kinds interleaved by
 * lab/core/mix.ts `weightedCycle`), or undefined without a mix.
 */
function mixRequests(req: LevelRequest): { cycle: MixRequest[] } | undefined {
  if (!req.requests || req.requests.length === 0) return undefined
  const objects = req.requests.map(
    (r): MixRequest => ({ method: r.method ?? 'GET', path: r.path, labKind: r.label, ...(r.body !== undefined ? { body: r.body, headers: { 'content-type': contentType(r.body) } } : {}) }),
  )
  return { cycle: weightedCycle(req.requests.map((r) => r.weight)).map((i) => objects[i] as MixRequest) }
}

/** `xs` starting at index `k` (wrapping round). */
function rotate<T>(xs: readonly T[], k: number): T[] {
  const at = xs.length ? k % xs.length : 0
  return [...xs.slice(at), ...xs.slice(0, at)]
}
const startAutocannon = autocannon as unknown as (opts: Record<string, unknown>) => Tracker


/**
 * Each connection's mix: with `split: 'requests'` every connection walks the
 * whole cycle from its own offset, so connections do not move in step; with
 * `split: 'connections'` each sends one kind only, the kinds shared out by weight.
 */
function requestsOf(req: LevelRequest, cycle: readonly MixRequest[], k: number): MixRequest[] {
  return req.split === 'connections' ? [cycle[k % cycle.length] as MixRequest] : rotate(cycle, Math.floor((k * cycle.length) / req.connections))
}

/** The request a connection has just been answered for (autocannon picks the next one after the `response` event). */
function currentKind(client: object): { label: string; path: string } | undefined {
  const current = (client as { requestIterator?: { currentRequest?: MixRequest } }).requestIterator?.currentRequest
  return current?.labKind !== undefined ? { label: current.labKind, path: current.path } : undefined
}

/** Which worker (`X-Worker`) and upstream (`X-Upstream`) answered each connection's last response. */
class ClientTags {
  private readonly worker = new WeakMap<object, string>()
  private readonly upstream = new WeakMap<object, string>()

  /** Reads a response's headers (autocannon's flat `[name, value, ...]` list). */
  read(client: object, h: string[]): void {
    let worker: string | undefined
    let upstream: string | undefined
    for (let i = 0; i < h.length; i += 2) {
      const name = h[i] as string
      if (name.length === 8 && name.toLowerCase() === 'x-worker') worker = h[i + 1] as string
      else if (name.length === 10 && name.toLowerCase() === 'x-upstream') upstream = h[i + 1] as string
    }
    // a response without the header (a proxy's static file or cache hit) must not count for the last one that had it
    if (worker === undefined) this.worker.delete(client)
    else this.worker.set(client, worker)
    if (upstream === undefined) this.upstream.delete(client)
    else this.upstream.set(client, upstream.slice(upstream.lastIndexOf(',') + 1).trim()) // after a retry: the last one tried
  }

  of(client: object): { worker?: string; upstream?: string } {
    const worker = this.worker.get(client)
    const upstream = this.upstream.get(client)
    return { ...(worker !== undefined ? { worker } : {}), ...(upstream !== undefined ? { upstream } : {}) }
  }
}

const WINDOW_DEFINITION =
  'warm-up: at least warmup_s and until every connection completed one response (at most twice the predicted latency, and 10 s, more); ' +
  'measured: responses completed in the next duration_s'

/** The state of one level while autocannon drives it: the window, the timers, what was counted. */
class LevelLoad {
  readonly loadStartedAt = performance.now()
  private windowStart = Infinity
  private windowEnd = Infinity
  private stopped = false
  private aborted = false
  /** Connections that have completed a response during the warm-up. */
  private readonly warmed = new Set<object>()
  private readonly seconds: SecondBuckets
  private readonly stats: WindowStats
  /** The warm-up's two timers: the minimum and the cap. */
  private readonly timers: NodeJS.Timeout[] = []
  private progressTimer: NodeJS.Timeout | undefined
  private stopTimer: NodeJS.Timeout | undefined
  private secondTimer: NodeJS.Timeout | undefined
  /** The next second of load to report to `onProgress` (0-based). */
  private nextSecond = 0
  private instance: Tracker | undefined
  private readonly onAbort = () => this.abort()

  constructor(private readonly req: LevelRequest) {
    this.seconds = new SecondBuckets(this.loadStartedAt, req.timeoutS)
    this.stats = new WindowStats(req.timeoutS)
  }

  /** Starts listening to autocannon, the window's timers, the progress reports and the abort signal. */
  attach(instance: Tracker, tags: ClientTags, mixed: boolean): void {
    const { req } = this
    this.instance = instance
    this.timers.push(
      setTimeout(() => {
        if (this.warmed.size >= req.connections) this.openWindow(performance.now())
      }, req.warmupS * 1000),
      setTimeout(() => this.openWindow(performance.now()), (req.maxWarmupS ?? req.warmupS + MAX_EXTRA_WARMUP_S) * 1000),
    )
    instance.on('response', (client, statusCode, _bytes, latencyMs) => this.response(client, statusCode, latencyMs, tags, mixed))
    instance.on('reqError', (err) => this.reqError(err))
    this.progressTimer = setInterval(() => this.tick(), 250)
    if (req.onProgress) this.secondTimer = setTimeout(() => this.reportSeconds(), 1001)
    req.signal?.addEventListener('abort', this.onAbort, { once: true })
    if (req.signal?.aborted) this.abort()
  }

  /** Ends every timer and listener (autocannon has finished). */
  detach(): void {
    this.stopped = true
    for (const t of [...this.timers, this.stopTimer, this.secondTimer]) clearTimeout(t)
    clearInterval(this.progressTimer)
    this.req.signal?.removeEventListener('abort', this.onAbort)
  }

  /** What the level measured; call once, after {@link detach}. */
  result(): LevelMeasurement {
    // autocannon may end on its own duration before the window closes (it should not).
    if (this.windowStart === Infinity) this.windowStart = this.windowEnd = performance.now()
    this.windowEnd = Math.min(this.windowEnd, performance.now())
    const { loadStartedAt, windowStart, windowEnd } = this
    const measuredS = (windowEnd - windowStart) / 1000
    const { perWorker, perUpstream, perKind, ...counted } = this.stats.summary(windowStart, measuredS)
    const timeline = this.seconds.timeline(windowStart, windowEnd)
    this.seconds.destroy()
    const warmupDone = this.warmed.size >= this.req.connections
    return {
      loadStartedAt,
      windowStart,
      windowEnd,
      window: {
        warmupS: (windowStart - loadStartedAt) / 1000,
        measuredS,
        definition: warmupDone ? WINDOW_DEFINITION : `${WINDOW_DEFINITION}; here the cap was reached before every connection completed a response`,
      },
      ...counted,
      timeline,
      perWorker,
      ...(perUpstream ? { perUpstream } : {}),
      ...(perKind ? { perKind } : {}),
      aborted: this.aborted,
    }
  }

  private response(client: object, statusCode: number, latencyMs: number, tags: ClientTags, mixed: boolean): void {
    if (this.stopped) return
    const at = performance.now()
    this.seconds.response(at, Math.max(1, Math.round(latencyMs * 1000)))
    if (this.windowStart === Infinity) {
      this.warmed.add(client)
      if (this.warmed.size >= this.req.connections && at - this.loadStartedAt >= this.req.warmupS * 1000) this.openWindow(at)
      return
    }
    if (at < this.windowStart || at > this.windowEnd) return
    const kind = mixed ? currentKind(client) : undefined
    this.stats.response({ at, latencyMs, statusCode, ...tags.of(client), ...(kind ? { kind } : {}) })
  }

  private reqError(err: Error): void {
    if (this.stopped) return
    const at = performance.now()
    this.seconds.error(at)
    if (at < this.windowStart || at > this.windowEnd) return
    this.stats.error(err.message === 'request timed out')
  }

  private stop(): void {
    if (this.stopped) return
    this.stopped = true
    clearTimeout(this.stopTimer)
    this.instance?.stop()
  }

  /** Opens the measured window at `at` (once) and schedules the stop at its end. */
  private openWindow(at: number): void {
    if (this.windowStart !== Infinity) return
    this.windowStart = at
    this.windowEnd = at + this.windowSeconds() * 1000
    this.stopTimer = setTimeout(() => this.stop(), this.windowEnd - performance.now())
  }

  /** The window's length, s: what `windowS` answers now (within 0 < s ≤ maxDurationS), else `durationS`. */
  private windowSeconds(): number {
    const { windowS, durationS, maxDurationS } = this.req
    if (!windowS) return durationS
    let s = durationS
    try {
      s = windowS()
    } catch {
      // a failing resize keeps the window asked for
    }
    return s > 0 && Number.isFinite(s) ? Math.min(s, Math.max(durationS, maxDurationS ?? durationS)) : durationS
  }

  private abort(): void {
    this.aborted = true
    this.openWindow(performance.now())
    this.windowEnd = Math.min(this.windowEnd, performance.now())
    this.stop()
  }

  /** The phase and the part of the level done (0..1, counting the warm-up as `warmupS`) at `now` (ms). */
  private position(now: number): Pick<LevelProgress, 'phase' | 'fraction'> {
    const { warmupS, durationS } = this.req
    const inWindow = this.windowStart !== Infinity
    const doneS = inWindow ? warmupS + (now - this.windowStart) / 1000 : Math.min((now - this.loadStartedAt) / 1000, warmupS)
    return { phase: inWindow ? 'measure' : 'warmup', fraction: Math.min(1, doneS / (warmupS + durationS)) }
  }

  /** Progress about every 250 ms: the rate of the last complete second, or of the first second so far. */
  private tick(): void {
    const now = performance.now()
    const elapsedS = (now - this.loadStartedAt) / 1000
    const current = Math.floor(elapsedS)
    const perSecond = current > 0 ? this.seconds.count(current - 1) : this.seconds.count(0) / Math.max(0.25, elapsedS)
    this.req.onProgress?.({ ...this.position(now), elapsedS, perSecond })
  }

  /** Per-second samples for live views: just after each second of load ends, reports that second (read-only). */
  private reportSeconds(): void {
    const now = performance.now()
    while (!this.stopped && this.loadStartedAt + (this.nextSecond + 1) * 1000 <= now) {
      const endedAt = this.loadStartedAt + (this.nextSecond + 1) * 1000
      const point = this.seconds.point(this.nextSecond, this.windowStart)
      this.req.onProgress?.({ ...this.position(now), elapsedS: (now - this.loadStartedAt) / 1000, perSecond: point.perSecond, second: { ...point, endedAt } })
      this.nextSecond++
    }
    if (!this.stopped) this.secondTimer = setTimeout(() => this.reportSeconds(), Math.max(0, this.loadStartedAt + (this.nextSecond + 1) * 1000 - performance.now()) + 1)
  }
}

/** Drives load with autocannon in this process. */
export class AutocannonDriver implements LoadDriver {
  readonly name = 'autocannon'

  /**
   * Runs one level: warm-up, then the measured window (see the file's header).
   * @throws Error when autocannon rejects its options
   */
  async runLevel(req: LevelRequest): Promise<LevelMeasurement> {
    const level = new LevelLoad(req)
    const tags = new ClientTags()
    const mix = mixRequests(req)
    let clients = 0
    const instance = startAutocannon({
      url: req.url,
      connections: req.connections,
      duration: Math.max(req.maxWarmupS ?? 0, req.warmupS + MAX_EXTRA_WARMUP_S) + Math.max(req.durationS, req.maxDurationS ?? 0) + 5,
      timeout: req.timeoutS,
      ...(req.closeConnections ? { headers: { connection: 'close' } } : {}),
      sampleInt: 100, // autocannon checks for stop() once per sample
      setupClient: (client: Client) => {
        if (mix) client.setRequests(requestsOf(req, mix.cycle, clients++))
        client.on('headers', (info) => tags.read(client, info.headers))
      },
    })
    level.attach(instance, tags, mix !== undefined)
    try {
      await instance
    } finally {
      level.detach()
    }
    return level.result()
  }
}
