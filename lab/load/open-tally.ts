/**
 * The bookkeeping of one open-loop level (lab/load/open-loop.ts does the
 * sending): what was offered, dropped, sent and answered, per second of load
 * and in the measured window, and the measurement it adds up to. No I/O and
 * no clock: every instant is passed in (`performance.now()` ms).
 *
 * Two views of the window [windowStart, windowEnd) (docs/open-loop.md):
 * - the requests *scheduled* in it: offered, dropped, outcomes, latency from
 *   the intended and the actual send (awaited after the window);
 * - the responses *completed* in it: throughput, errors, per worker and
 *   upstream, as the closed-loop driver counts them.
 */
import type { TimelinePoint } from '../core/results.js'
import { describe } from '../core/stats.js'
import type { LevelMeasurement, OpenLoad, OpenRequestRecord } from './driver.js'
import { LatencyRecorder } from './latency.js'

const WINDOW_DEFINITION =
  'warm-up: the first warmup_s of the schedule; measured: the requests scheduled in the next duration_s ' +
  '(latency from the intended send, awaited after the window up to timeout_s), and the responses completed in it (throughput)'

/** A request's end, as the sender saw it. */
export interface Completion {
  intendedAt: number
  /** When it was written on its connection; NaN if never. */
  sentAt: number
  inWindow: boolean
  /** Index into the level's request kinds. */
  kind: number
  status: number
  worker: string | undefined
  upstream: string | undefined
  outcome: Exclude<OpenRequestRecord['outcome'], 'dropped' | 'unfinished'>
}

/** One second of the level, counted from the load's start. */
interface Second {
  offered: number
  dropped: number
  /** Responses (any status) completed in it. */
  count: number
  /** Timeouts and resets in it. */
  errors: number
  /** Latency from the intended send of the responses completed in it. */
  latency: LatencyRecorder | undefined
}

/** Counts one level; call {@link OpenTally.measurement} once at the end (it frees the histograms). */
export class OpenTally {
  private readonly seconds = new Map<number, Second>()
  // responses completed in the window
  private total = 0
  private ok = 0
  private timeouts = 0
  private resets = 0
  private readonly byStatus: Record<string, number> = {}
  private readonly perWorker: Record<string, number> = {}
  private readonly perUpstream: Record<string, number> = {}
  private readonly windowSeconds: number[] = []
  // requests scheduled in the window
  private offered = 0
  private sent = 0
  private dropped = 0
  private readonly outcomes = { ok: 0, non2xx: 0, timeouts: 0, resets: 0, unfinished: 0 }
  private readonly fromIntended: LatencyRecorder
  private readonly fromSend: LatencyRecorder
  private readonly late: LatencyRecorder
  private readonly perKind = new Map<number, LatencyRecorder>()

  /**
   * @param loadStartedAt - when the schedule's instant 0 was, ms
   * @param kinds - the level's request kinds (a mix's labels; one unlabelled kind without a mix)
   */
  constructor(
    readonly loadStartedAt: number,
    public windowStart: number,
    public windowEnd: number,
    private readonly timeoutS: number,
    private readonly kinds: ReadonlyArray<{ path: string; label: string | undefined }>,
  ) {
    this.fromIntended = new LatencyRecorder(timeoutS)
    this.fromSend = new LatencyRecorder(timeoutS)
    this.late = new LatencyRecorder(timeoutS)
  }

  private second(at: number): Second {
    const i = Math.floor((at - this.loadStartedAt) / 1000)
    let s = this.seconds.get(i)
    if (!s) this.seconds.set(i, (s = { offered: 0, dropped: 0, count: 0, errors: 0, latency: undefined }))
    return s
  }

  /** Ends the window early (an abort at `at`). */
  cut(at: number): void {
    this.windowEnd = Math.min(this.windowEnd, at)
    this.windowStart = Math.min(this.windowStart, this.windowEnd)
  }

  /** Counts a request whose instant has come; returns whether it is the window's. */
  offer(intendedAt: number): boolean {
    const inWindow = intendedAt >= this.windowStart && intendedAt < this.windowEnd
    this.second(intendedAt).offered++
    if (inWindow) this.offered++
    return inWindow
  }

  /** Counts a request that found every connection busy. */
  drop(intendedAt: number, inWindow: boolean): void {
    this.second(intendedAt).dropped++
    if (inWindow) this.dropped++
  }

  /** Counts a request handed to a connection at `at`. */
  send(intendedAt: number, inWindow: boolean, at: number): void {
    if (!inWindow) return
    this.sent++
    this.late.record(at - intendedAt)
  }

  /** Counts a window request still unanswered when the level stopped. */
  unfinished(inWindow: boolean): void {
    if (inWindow) this.outcomes.unfinished++
  }

  /** Counts a request that ended at `at`: answered, or failed. */
  complete(c: Completion, at: number): void {
    const failed = c.outcome === 'timeout' || c.outcome === 'reset'
    const latencyMs = at - c.intendedAt
    const sec = this.second(at)
    if (failed) sec.errors++
    else {
      sec.count++
      ;(sec.latency ??= new LatencyRecorder(this.timeoutS)).record(latencyMs)
    }
    if (at >= this.windowStart && at <= this.windowEnd) this.completedInWindow(c, at)
    if (!c.inWindow) return
    this.outcomes[c.outcome === 'timeout' ? 'timeouts' : c.outcome === 'reset' ? 'resets' : c.outcome]++
    if (failed) return
    this.fromIntended.record(latencyMs)
    if (!Number.isNaN(c.sentAt)) this.fromSend.record(at - c.sentAt)
    // a mix is reported per kind, also a mix of one labelled kind (an unloaded baseline of one client class)
    if (this.kinds.length > 1 || this.kinds[0]?.label !== undefined) {
      let k = this.perKind.get(c.kind)
      if (!k) this.perKind.set(c.kind, (k = new LatencyRecorder(this.timeoutS)))
      k.record(latencyMs)
    }
  }

  private completedInWindow(c: Completion, at: number): void {
    if (c.outcome === 'timeout') this.timeouts++
    else if (c.outcome === 'reset') this.resets++
    else {
      this.total++
      if (c.outcome === 'ok') this.ok++
      const status = String(c.status)
      this.byStatus[status] = (this.byStatus[status] ?? 0) + 1
      if (c.worker !== undefined) this.perWorker[c.worker] = (this.perWorker[c.worker] ?? 0) + 1
      if (c.upstream !== undefined) this.perUpstream[c.upstream] = (this.perUpstream[c.upstream] ?? 0) + 1
      const k = Math.floor((at - this.windowStart) / 1000)
      this.windowSeconds[k] = (this.windowSeconds[k] ?? 0) + 1
    }
  }

  /** Responses completed in second `i` of the load (0-based). */
  answeredIn(i: number): number {
    return this.seconds.get(i)?.count ?? 0
  }

  /** Second `i` of the load (0-based) as a timeline point. */
  point(i: number): TimelinePoint {
    const s = this.seconds.get(i)
    const start = this.loadStartedAt + i * 1000
    return {
      t: i + 1,
      perSecond: s?.count ?? 0,
      p50Ms: s?.latency ? s.latency.percentile(50) : null,
      p99Ms: s?.latency ? s.latency.percentile(99) : null,
      errors: s?.errors ?? 0,
      warmup: start < this.windowStart,
      offeredPerSecond: s?.offered ?? 0,
      dropped: s?.dropped ?? 0,
      ...(start >= this.windowEnd ? { drain: true } : {}),
    }
  }

  /**
   * The level's measurement; frees the histograms (call once).
   * @param endedAt - when the level stopped, ms (the timeline lists the whole seconds before it)
   */
  measurement(
    endedAt: number,
    run: { open: OpenLoad; connectionsOpened: number; inFlightAtEnd: number; aborted: boolean },
  ): LevelMeasurement {
    const measuredS = (this.windowEnd - this.windowStart) / 1000
    const rate = (n: number) => (measuredS > 0 ? n / measuredS : 0)
    const fullSeconds = Math.floor(measuredS + 1e-9)
    const samples = fullSeconds >= 1 ? Array.from({ length: fullSeconds }, (_, k) => this.windowSeconds[k] ?? 0) : measuredS > 0 ? [this.total / measuredS] : []
    // whole seconds only: a part-second is not scaled up to a rate
    const seconds = Math.floor((endedAt - this.loadStartedAt) / 1000 + 1e-9)
    const perKind: NonNullable<LevelMeasurement['perKind']> = {}
    for (const [kind, rec] of this.perKind) {
      const { path, label } = this.kinds[kind] as { path: string; label: string }
      const l = rec.summary()
      perKind[label] = { path, responses: rec.count, latencyMs: { mean: l.mean, p50: l.p50, p90: l.p90, p99: l.p99, max: l.max } }
    }
    const late = this.late.summary()
    const non2xx = this.total - this.ok
    const m: LevelMeasurement = {
      loadStartedAt: this.loadStartedAt,
      windowStart: this.windowStart,
      windowEnd: this.windowEnd,
      window: { warmupS: (this.windowStart - this.loadStartedAt) / 1000, measuredS, definition: WINDOW_DEFINITION },
      requests: { total: this.total, perSecond: { ...describe(samples), mean: rate(this.total) }, ok: this.ok },
      latencyMs: this.fromIntended.summary(),
      histogram: this.fromIntended.spectrum(),
      errors: { total: this.timeouts + this.resets + non2xx, timeouts: this.timeouts, resets: this.resets, non2xx, byStatus: this.byStatus },
      timeline: Array.from({ length: seconds }, (_, i) => this.point(i)),
      perWorker: this.perWorker,
      ...(Object.keys(this.perUpstream).length ? { perUpstream: this.perUpstream } : {}),
      ...(this.perKind.size ? { perKind } : {}),
      open: {
        arrival: run.open.arrival,
        ratePerSecond: run.open.ratePerS,
        maxConnections: run.open.maxConnections,
        connectionsOpened: run.connectionsOpened,
        offered: this.offered,
        offeredPerSecond: rate(this.offered),
        answeredPerSecond: rate(this.ok),
        sent: this.sent,
        dropped: this.dropped,
        outcomes: { ...this.outcomes },
        inFlightAtEnd: run.inFlightAtEnd,
        latencyFromSendMs: this.fromSend.summary(),
        histogramFromSend: this.fromSend.spectrum(),
        sendLateMs: { mean: late.mean, p99: late.p99, max: late.max },
      },
      aborted: run.aborted,
    }
    for (const r of [this.fromIntended, this.fromSend, this.late, ...this.perKind.values()]) r.destroy()
    for (const s of this.seconds.values()) s.latency?.destroy()
    return m
  }
}
