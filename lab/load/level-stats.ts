/**
 * The accumulators of one level of load and their summaries: every response
 * by the second of load it completed in (for the timeline and live samples),
 * and the responses of the measured window (for throughput, latency, errors,
 * and their split by worker, upstream and request kind).
 *
 * Latencies are recorded in HDR histograms (hdr-histogram-js) at microsecond
 * resolution with 3 significant digits; mean, min and max are kept exactly
 * from autocannon's float milliseconds.
 */
import * as hdr from 'hdr-histogram-js'
import { summarizeSeries } from '../core/confidence.js'
import type { Rate, TimelinePoint } from '../core/results.js'
import { wholeSecondSamples } from '../core/timeline.js'
import type { LevelMeasurement } from './driver.js'

/** Percentiles listed in `histogram` (docs/results-schema.md: `[latencyMs, percentile]` pairs). */
export const SPECTRUM = [0, 10, 20, 30, 40, 50, 60, 70, 75, 80, 85, 90, 92.5, 95, 97.5, 99, 99.5, 99.75, 99.9, 99.95, 99.99, 99.999, 100]

/** A latency histogram in µs, from 1 µs to the timeout plus 5 s (growing past it if need be). */
export function newHistogram(timeoutS: number): hdr.Histogram {
  return hdr.build({
    lowestDiscernibleValue: 1, // 1 µs
    highestTrackableValue: Math.ceil((timeoutS + 5) * 1e6),
    numberOfSignificantValueDigits: 3,
    autoResize: true,
  })
}

const ms = (us: number): number => us / 1000

interface Bucket {
  count: number
  errors: number
  hist: hdr.Histogram
}

/** Responses and errors by the second of load (aligned to the level's start) they happened in. */
export class SecondBuckets {
  private readonly buckets = new Map<number, Bucket>()

  /**
   * @param loadStartedAt - `performance.now()` ms when the load started
   * @param timeoutS - the client's timeout (s), for the histograms' range
   */
  constructor(
    private readonly loadStartedAt: number,
    private readonly timeoutS: number,
  ) {}

  /** Counts a response completed at `at` (ms) that took `us` µs. */
  response(at: number, us: number): void {
    const b = this.at(at)
    b.count++
    b.hist.recordValue(us)
  }

  /** Counts a failed request (timeout, reset) at `at` (ms). */
  error(at: number): void {
    this.at(at).errors++
  }

  /** Responses in second `i` (0-based). */
  count(i: number): number {
    return this.buckets.get(i)?.count ?? 0
  }

  /**
   * Second `i` (0-based) as a timeline point.
   * @param width - the part of the second that was loaded, 0..1: below 1 (the
   *   trailing part-second) the point is `partial` and holds the responses
   *   completed in it, never divided by its width (core/timeline.ts)
   * @param windowStart - start of the measured window (ms): earlier seconds are warm-up
   */
  point(i: number, windowStart: number, width = 1): TimelinePoint {
    const b = this.buckets.get(i)
    const partial = width < 1 - 1e-6
    return {
      t: partial ? i + width : i + 1,
      perSecond: b?.count ?? 0,
      p50Ms: b && b.count ? ms(b.hist.getValueAtPercentile(50)) : null,
      p99Ms: b && b.count ? ms(b.hist.getValueAtPercentile(99)) : null,
      errors: b?.errors ?? 0,
      warmup: this.loadStartedAt + i * 1000 < windowStart,
      ...(partial ? { partial: true, widthS: width } : {}),
    }
  }

  /** Every second from the start of the load to `windowEnd` (ms): whole seconds, then the part-second left, if any, marked partial. */
  timeline(windowStart: number, windowEnd: number): TimelinePoint[] {
    const spanS = (windowEnd - this.loadStartedAt) / 1000
    const whole = Math.floor(spanS + 1e-6)
    const rest = spanS - whole
    const out: TimelinePoint[] = []
    for (let i = 0; i < whole; i++) out.push(this.point(i, windowStart))
    if (rest > 1e-3) out.push(this.point(whole, windowStart, rest))
    return out
  }

  /** Frees the histograms. */
  destroy(): void {
    for (const b of this.buckets.values()) b.hist.destroy()
  }

  private at(at: number): Bucket {
    const i = Math.floor((at - this.loadStartedAt) / 1000)
    let b = this.buckets.get(i)
    if (!b) this.buckets.set(i, (b = { count: 0, errors: 0, hist: newHistogram(this.timeoutS) }))
    return b
  }
}

interface Kind {
  path: string
  hist: hdr.Histogram
  sumMs: number
  maxMs: number
  count: number
}

/** One response of the measured window. */
export interface WindowResponse {
  /** `performance.now()` ms when it completed. */
  at: number
  /** Latency in ms, as autocannon measured it. */
  latencyMs: number
  statusCode: number
  /** Its `X-Worker` header. */
  worker?: string
  /** Its `X-Upstream` header (the last address tried). */
  upstream?: string
  /** The kind of a mix's request. */
  kind?: { label: string; path: string }
}

/** The responses and errors of the measured window. */
export class WindowStats {
  private readonly hist: hdr.Histogram
  /** Completion times of every response, and of the 2xx ones, `performance.now()` ms. */
  private readonly times: number[] = []
  private readonly okTimes: number[] = []
  private sumMs = 0
  private minMs = Infinity
  private maxMs = 0
  private timeouts = 0
  private resets = 0
  private non2xx = 0
  private readonly byStatus: Record<string, number> = {}
  private readonly perWorker: Record<string, number> = {}
  private readonly perUpstream: Record<string, number> = {}
  private readonly kinds = new Map<string, Kind>()

  constructor(private readonly timeoutS: number) {
    this.hist = newHistogram(timeoutS)
  }

  /** Counts a response (an error status included: it is counted in `non2xx`, never as served). */
  response(r: WindowResponse): void {
    const us = Math.max(1, Math.round(r.latencyMs * 1000))
    this.times.push(r.at)
    this.hist.recordValue(us)
    this.sumMs += r.latencyMs
    if (r.latencyMs < this.minMs) this.minMs = r.latencyMs
    if (r.latencyMs > this.maxMs) this.maxMs = r.latencyMs
    const status = String(r.statusCode)
    this.byStatus[status] = (this.byStatus[status] ?? 0) + 1
    if (r.statusCode < 200 || r.statusCode > 299) this.non2xx++
    else this.okTimes.push(r.at)
    if (r.worker !== undefined) this.perWorker[r.worker] = (this.perWorker[r.worker] ?? 0) + 1
    if (r.upstream !== undefined) this.perUpstream[r.upstream] = (this.perUpstream[r.upstream] ?? 0) + 1
    if (r.kind) {
      let k = this.kinds.get(r.kind.label)
      if (!k) this.kinds.set(r.kind.label, (k = { path: r.kind.path, hist: newHistogram(this.timeoutS), sumMs: 0, maxMs: 0, count: 0 }))
      k.hist.recordValue(us)
      k.sumMs += r.latencyMs
      k.maxMs = Math.max(k.maxMs, r.latencyMs)
      k.count++
    }
  }

  /** Counts a request that failed: timed out (`timedOut`) or reset. */
  error(timedOut: boolean): void {
    if (timedOut) this.timeouts++
    else this.resets++
  }

  /**
   * Summarizes the window and frees the histograms.
   * @param windowStart - start of the window, `performance.now()` ms
   * @param measuredS - its length (s): per-second samples are its whole seconds only
   *   ({@link windowRate})
   */
  summary(windowStart: number, measuredS: number): Pick<LevelMeasurement, 'requests' | 'latencyMs' | 'histogram' | 'errors' | 'perWorker' | 'perUpstream' | 'perKind'> {
    const total = this.times.length
    const perSecond = windowRate(this.times, windowStart, measuredS)
    const answeredPerSecond = windowRate(this.okTimes, windowStart, measuredS)
    const h = this.hist
    const latencyMs =
      total > 0
        ? { mean: this.sumMs / total, stddev: ms(h.stdDeviation), min: this.minMs, p50: ms(h.getValueAtPercentile(50)), p90: ms(h.getValueAtPercentile(90)), p99: ms(h.getValueAtPercentile(99)), p999: ms(h.getValueAtPercentile(99.9)), max: this.maxMs }
        : { mean: 0, stddev: 0, min: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 }
    const histogram: Array<[number, number]> = total > 0 ? SPECTRUM.map((p) => [p === 0 ? this.minMs : p === 100 ? this.maxMs : ms(h.getValueAtPercentile(p)), p]) : []
    const perKind = this.perKind()
    h.destroy()
    return {
      requests: { total, perSecond, ok: total - this.non2xx, answeredPerSecond },
      latencyMs,
      histogram,
      errors: { total: this.timeouts + this.resets + this.non2xx, timeouts: this.timeouts, resets: this.resets, non2xx: this.non2xx, byStatus: this.byStatus },
      perWorker: this.perWorker,
      ...(Object.keys(this.perUpstream).length ? { perUpstream: this.perUpstream } : {}),
      ...(perKind ? { perKind } : {}),
    }
  }

  private perKind(): LevelMeasurement['perKind'] {
    if (this.kinds.size === 0) return undefined
    const out: NonNullable<LevelMeasurement['perKind']> = {}
    for (const [label, k] of this.kinds) {
      out[label] = {
        path: k.path,
        responses: k.count,
        latencyMs: { mean: k.sumMs / k.count, p50: ms(k.hist.getValueAtPercentile(50)), p90: ms(k.hist.getValueAtPercentile(90)), p99: ms(k.hist.getValueAtPercentile(99)), max: k.maxMs },
      }
      k.hist.destroy()
    }
    return out
  }
}

/**
 * A window's throughput from its responses' completion times: n, mean, σ,
 * min, max and the 95 % interval over its whole seconds (core/confidence.ts
 * `summarizeSeries`; a trailing part-second is left out, core/timeline.ts).
 * A window with no whole second has n = 0 and no spread: its mean is the
 * responses over its length.
 * @param timesMs - completion times, `performance.now()` ms
 * @param windowStart - start of the window, same clock
 * @param measuredS - its length, s
 */
export function windowRate(timesMs: readonly number[], windowStart: number, measuredS: number): Rate {
  const samples = measuredS > 0 ? wholeSecondSamples(timesMs, windowStart, windowStart + measuredS * 1000) : []
  if (samples.length === 0) {
    const mean = measuredS > 0 ? timesMs.length / measuredS : 0
    return { n: 0, mean, stddev: 0, min: mean, max: mean, ci95: null, method: 'none', stdError: null, df: null, note: 'no whole second in the window: no spread' }
  }
  const s = summarizeSeries(samples)
  return { n: s.n, mean: s.mean, stddev: s.stddev ?? 0, min: s.min, max: s.max, ci95: s.ci95, method: s.method, stdError: s.stdError, df: s.df, note: s.note }
}
