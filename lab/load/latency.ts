/**
 * A latency recorder: every value into an HDR histogram with microsecond
 * resolution (hdr-histogram-js, as the closed-loop driver does), plus the exact
 * mean, min and max, summarised in the results' shapes.
 */
import type * as hdr from 'hdr-histogram-js'
import type { LatencyMs } from '../core/results.js'
import { newHistogram, SPECTRUM } from './level-stats.js'

/** Records latencies in ms; call {@link LatencyRecorder.destroy} when done. */
export class LatencyRecorder {
  private readonly hist: hdr.Histogram
  count = 0
  private sumMs = 0
  private minMs = Infinity
  private maxMs = 0

  /** @param timeoutS - the level's timeout, s (sizes the histogram; it grows past it) */
  constructor(timeoutS: number) {
    this.hist = newHistogram(timeoutS)
  }

  /** Records one latency, ms (stored as whole µs, at least 1). */
  record(ms: number): void {
    this.hist.recordValue(Math.max(1, Math.round(ms * 1000)))
    this.count++
    this.sumMs += ms
    if (ms < this.minMs) this.minMs = ms
    if (ms > this.maxMs) this.maxMs = ms
  }

  /** The value at percentile `p` (0..100), ms; 0 when empty. */
  percentile(p: number): number {
    return this.count ? this.hist.getValueAtPercentile(p) / 1000 : 0
  }

  /** Mean, spread and percentiles, ms; all zeros when nothing was recorded (as the closed driver reports). */
  summary(): LatencyMs {
    if (!this.count) return { mean: 0, stddev: 0, min: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 }
    return {
      mean: this.sumMs / this.count,
      stddev: this.hist.stdDeviation / 1000,
      min: this.minMs,
      p50: this.percentile(50),
      p90: this.percentile(90),
      p99: this.percentile(99),
      p999: this.percentile(99.9),
      max: this.maxMs,
    }
  }

  /** `[latencyMs, percentile]` pairs at the closed driver's SPECTRUM (exact min and max at 0 and 100); empty when nothing was recorded. */
  spectrum(): Array<[number, number]> {
    if (!this.count) return []
    return SPECTRUM.map((p) => [p === 0 ? this.minMs : p === 100 ? this.maxMs : this.percentile(p), p])
  }

  /** Frees the histogram. */
  destroy(): void {
    this.hist.destroy()
  }
}
