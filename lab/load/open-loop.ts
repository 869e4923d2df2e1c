/**
 * The open-loop load driver (docs/open-loop.md): requests are scheduled at
 * their arrival instants (lab/load/arrivals.ts, Poisson or constant) whatever
 * the server does. Each is sent on a free keep-alive connection from a pool
 * that grows up to `maxConnections` (undici `Client`s, one request in flight
 * each); a request that finds every connection busy is counted as dropped,
 * never silently skipped or queued in the client.
 *
 * A timer loop wakes at the next intended instant (a `setTimeout` to the whole
 * millisecond at or before it, at least 1 ms: no busy-waiting) and sends every
 * request whose instant has passed, so a late wake-up is caught up, never
 * skipped; how late each send was is measured (`sendLateMs`).
 *
 * Latency is measured from the intended send instant (coordinated omission
 * corrected, as wrk2 and k6's arrival-rate executors do) and from the actual
 * send (when undici writes the request on its connection), both into µs HDR
 * histograms. The window: the schedule's first `warmupS` seconds are warm-up;
 * the requests scheduled in the next `durationS` are the window's, awaited
 * after it until answered or timed out (at most `timeoutS` + 2 s: undici's
 * coarse timers fire up to a second late); throughput counts the responses
 * completed inside the window, as the closed-loop driver does.
 */
import { Client, type Dispatcher } from 'undici'
import type { IncomingHttpHeaders } from 'node:http'
import { weightedCycle } from '../core/mix.js'
import { arrivalInstants, seededRandom } from './arrivals.js'
import type { LevelMeasurement, LevelRequest, LoadDriver, OpenLoad, OpenRequestRecord } from './driver.js'
import { OpenTally, type Completion } from './open-tally.js'

/** At most this many requests scheduled in one level (rate × seconds): a bound on the client's memory. */
export const MAX_REQUESTS_PER_LEVEL = 5_000_000

/** Seconds the driver waits past `timeoutS` for the window's last requests (undici's timeout timers tick every ~0.5 s). */
const DRAIN_GRACE_S = 2

/**
 * Checks an open-loop level's settings.
 * @throws RangeError naming the field and its allowed range
 */
export function checkOpenLevel(req: LevelRequest): OpenLoad {
  const o = req.open
  if (!o) throw new RangeError('open: the open-loop driver needs `open` (rate, arrival, maxConnections)')
  if (!(o.ratePerS > 0) || !Number.isFinite(o.ratePerS)) throw new RangeError(`open.ratePerS must be a finite number > 0 (req/s), got ${o.ratePerS}`)
  if (!Number.isInteger(o.maxConnections) || o.maxConnections < 1) throw new RangeError(`open.maxConnections must be an integer ≥ 1, got ${o.maxConnections}`)
  if (!(req.warmupS >= 0)) throw new RangeError(`warmupS must be ≥ 0 (s), got ${req.warmupS}`)
  if (!(req.durationS > 0)) throw new RangeError(`durationS must be > 0 (s), got ${req.durationS}`)
  if (!(req.timeoutS > 0)) throw new RangeError(`timeoutS must be > 0 (s), got ${req.timeoutS}`)
  const scheduled = o.ratePerS * (req.warmupS + req.durationS)
  if (scheduled > MAX_REQUESTS_PER_LEVEL) throw new RangeError(`open.ratePerS × (warmupS + durationS) must be ≤ ${MAX_REQUESTS_PER_LEVEL} requests, got ${Math.round(scheduled)}`)
  return o
}

/** One request on its way: undici's handler, and what the level needs to know about it. */
class Exchange implements Dispatcher.DispatchHandler {
  sentAt = NaN
  status = 0
  worker: string | undefined
  upstream: string | undefined

  constructor(
    private readonly level: OpenLevel,
    readonly client: Client,
    readonly intendedAt: number,
    readonly kind: number,
    readonly inWindow: boolean,
  ) {}

  onRequestStart(): void {
    this.sentAt = performance.now()
  }
  onResponseStart(_c: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    this.status = statusCode
    const w = headers['x-worker']
    const u = headers['x-upstream']
    this.worker = typeof w === 'string' ? w : undefined
    // after a proxy's retry the header lists every upstream tried: the last one answered
    this.upstream = typeof u === 'string' ? u.slice(u.lastIndexOf(',') + 1).trim() : undefined
  }
  onResponseData(): void {}
  onResponseEnd(): void {
    this.level.settle(this, undefined)
  }
  onResponseError(_c: Dispatcher.DispatchController, err: Error): void {
    this.level.settle(this, err)
  }
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT'])

/** One running level: the schedule's timer loop, the connection pool, progress reports. */
class OpenLevel {
  private readonly open: OpenLoad
  /** Who wants every request's record (tests, the demo); undefined: none is built (a record per request is garbage at 20,000 req/s). */
  private readonly record: ((r: OpenRequestRecord) => void) | undefined
  private readonly origin: string
  private readonly kinds: Array<{ path: string; label: string | undefined }>
  private readonly cycle: number[]
  private readonly clientOptions: Client.Options
  private readonly clients: Client[] = []
  private readonly free: Client[] = []
  private readonly pending = new Set<Exchange>()
  private readonly tally: OpenTally
  private readonly loadStartedAt = performance.now()
  private readonly timers: Array<NodeJS.Timeout> = []
  private tickTimer: NodeJS.Timeout | undefined
  private nextSecond = 0
  private scheduled = 0
  private scheduleDone = false
  private windowClosed = false
  private stopping = false
  private aborted = false
  private inFlightAtEnd = 0
  private endedAt = NaN
  private finish: () => void = () => {}

  constructor(private readonly req: LevelRequest) {
    this.open = checkOpenLevel(req)
    this.record = this.open.onRequest
    const url = new URL(req.url)
    this.origin = url.origin
    const mix = req.requests?.length ? req.requests : undefined
    this.kinds = mix ? mix.map((r) => ({ path: r.path, label: r.label })) : [{ path: url.pathname + url.search, label: undefined }]
    this.cycle = mix ? weightedCycle(mix.map((r) => r.weight)) : [0]
    const timeoutMs = req.timeoutS * 1000
    this.clientOptions = { pipelining: 1, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, connectTimeout: timeoutMs }
    const windowStart = this.loadStartedAt + req.warmupS * 1000
    this.tally = new OpenTally(this.loadStartedAt, windowStart, windowStart + req.durationS * 1000, req.timeoutS, this.kinds)
  }

  /** Runs the level to its end (schedule done, window closed, nothing in flight), its drain bound, or an abort. */
  async run(): Promise<LevelMeasurement> {
    const { req, open, tally } = this
    const instants = arrivalInstants({
      kind: open.arrival,
      ratePerS: open.ratePerS,
      untilMs: (req.warmupS + req.durationS) * 1000,
      random: open.seed === undefined ? undefined : seededRandom(open.seed),
    })
    let next = instants.next()
    const tick = () => {
      this.tickTimer = undefined
      if (this.stopping) return
      while (!next.done && this.loadStartedAt + next.value <= performance.now()) {
        this.fire(this.loadStartedAt + next.value)
        next = instants.next()
      }
      if (next.done) {
        this.scheduleDone = true
        this.maybeFinish()
        return
      }
      // never asleep past the next instant, by the timers' whole milliseconds; no spinning (the
      // client's CPU is taken from the server's cores), so at high rates sends go in 1 ms batches
      const delay = this.loadStartedAt + next.value - performance.now()
      this.tickTimer = setTimeout(tick, Math.max(1, Math.floor(delay)))
    }
    const ended = new Promise<void>((resolve) => (this.finish = resolve))
    const onAbort = () => {
      this.aborted = true
      if (!this.windowClosed) this.inFlightAtEnd = this.pending.size
      tally.cut(performance.now())
      this.stop()
    }
    req.signal?.addEventListener('abort', onAbort, { once: true })
    const closeWindow = () => {
      // a timer may fire a little early by performance.now(): wait out the rest
      const left = tally.windowEnd - performance.now()
      if (left > 0) return void this.timers.push(setTimeout(closeWindow, Math.ceil(left)))
      this.windowClosed = true
      this.inFlightAtEnd = this.pending.size
      this.timers.push(setTimeout(() => this.stop(), (req.timeoutS + DRAIN_GRACE_S) * 1000))
      this.maybeFinish()
    }
    this.timers.push(setTimeout(closeWindow, tally.windowEnd - performance.now()))
    if (req.onProgress) {
      this.timers.push(setInterval(() => this.progress(), 250))
      this.timers.push(setTimeout(() => this.reportSeconds(), 1001))
    }
    if (req.signal?.aborted) onAbort()
    else tick()
    try {
      await ended
    } finally {
      req.signal?.removeEventListener('abort', onAbort)
    }
    const unanswered = this.pending.size > 0
    for (const ex of this.pending) {
      tally.unfinished(ex.inWindow)
      this.record?.({ intendedAt: ex.intendedAt - this.loadStartedAt, ...(Number.isNaN(ex.sentAt) ? {} : { sentAt: ex.sentAt - this.loadStartedAt }), outcome: 'unfinished' })
    }
    this.pending.clear()
    await Promise.all(this.clients.map((c) => (unanswered ? c.destroy() : c.close()).catch(() => {})))
    return tally.measurement(this.endedAt, { open, connectionsOpened: this.clients.length, inFlightAtEnd: this.inFlightAtEnd, aborted: this.aborted })
  }

  /** The request meant for `intendedAt` (performance.now() ms): sent on a free connection, or dropped. */
  private fire(intendedAt: number): void {
    const inWindow = this.tally.offer(intendedAt)
    let client = this.free.pop()
    if (!client) {
      if (this.clients.length >= this.open.maxConnections) {
        this.tally.drop(intendedAt, inWindow)
        this.record?.({ intendedAt: intendedAt - this.loadStartedAt, outcome: 'dropped' })
        return
      }
      client = new Client(this.origin, this.clientOptions)
      this.clients.push(client)
    }
    this.tally.send(intendedAt, inWindow, performance.now())
    const kind = this.cycle[this.scheduled++ % this.cycle.length] as number
    const ex = new Exchange(this, client, intendedAt, kind, inWindow)
    this.pending.add(ex)
    client.dispatch({ origin: this.origin, path: (this.kinds[kind] as { path: string }).path, method: 'GET' }, ex)
  }

  /** Called by an exchange when its response ended or it failed. */
  settle(ex: Exchange, err: Error | undefined): void {
    if (this.stopping || !this.pending.delete(ex)) return
    this.free.push(ex.client)
    const at = performance.now()
    const code = (err as { code?: string } | undefined)?.code
    const outcome: Completion['outcome'] = err
      ? code && TIMEOUT_CODES.has(code) ? 'timeout' : 'reset'
      : ex.status >= 200 && ex.status <= 299 ? 'ok' : 'non2xx'
    this.tally.complete({ intendedAt: ex.intendedAt, sentAt: ex.sentAt, inWindow: ex.inWindow, kind: ex.kind, status: ex.status, worker: ex.worker, upstream: ex.upstream, outcome }, at)
    const t0 = this.loadStartedAt
    this.record?.({
      intendedAt: ex.intendedAt - t0,
      ...(Number.isNaN(ex.sentAt) ? {} : { sentAt: ex.sentAt - t0 }),
      doneAt: at - t0,
      ...(err ? {} : { status: ex.status }),
      outcome,
    })
    this.maybeFinish()
  }

  private maybeFinish(): void {
    if (this.scheduleDone && this.windowClosed && this.pending.size === 0) this.stop()
  }

  /** Ends the level: no more sends; what is still in flight stays unanswered. */
  private stop(): void {
    if (this.stopping) return
    this.stopping = true
    this.endedAt = performance.now()
    clearTimeout(this.tickTimer)
    for (const t of this.timers) clearTimeout(t)
    this.finish()
  }

  private fraction(now: number): number {
    return Math.min(1, (now - this.loadStartedAt) / 1000 / (this.req.warmupS + this.req.durationS))
  }

  private progress(): void {
    const now = performance.now()
    const elapsedS = (now - this.loadStartedAt) / 1000
    const current = Math.floor(elapsedS)
    this.req.onProgress?.({
      phase: now < this.tally.windowStart ? 'warmup' : 'measure',
      elapsedS,
      fraction: this.fraction(now),
      perSecond: current > 0 ? this.tally.answeredIn(current - 1) : this.tally.answeredIn(0) / Math.max(0.25, elapsedS),
    })
  }

  /** Just after each second of load ends, reports it (as the timeline will record it). */
  private reportSeconds(): void {
    const now = performance.now()
    while (!this.stopping && this.loadStartedAt + (this.nextSecond + 1) * 1000 <= now) {
      const point = this.tally.point(this.nextSecond)
      this.req.onProgress?.({
        phase: now < this.tally.windowStart ? 'warmup' : 'measure',
        elapsedS: (now - this.loadStartedAt) / 1000,
        fraction: this.fraction(now),
        perSecond: point.perSecond,
        second: { ...point, endedAt: this.loadStartedAt + (this.nextSecond + 1) * 1000 },
      })
      this.nextSecond++
    }
    if (!this.stopping) this.timers.push(setTimeout(() => this.reportSeconds(), Math.max(0, this.loadStartedAt + (this.nextSecond + 1) * 1000 - performance.now()) + 1))
  }
}

/** Drives open-loop load with undici in this process. */
export class OpenLoopDriver implements LoadDriver {
  readonly name = 'open-loop'

  /**
   * Runs one level; `req.open` says the rate, arrivals and pool bound.
   * @throws RangeError when `req.open` is missing or a setting is out of range ({@link checkOpenLevel})
   */
  async runLevel(req: LevelRequest): Promise<LevelMeasurement> {
    return new OpenLevel(req).run()
  }
}
