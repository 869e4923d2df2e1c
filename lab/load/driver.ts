/**
 * The load-driver seam: the autocannon driver measures real servers; a fake
 * one returns canned measurements so CLI → JSON → report can be tested in
 * milliseconds (style.md, "Test seams").
 */
import type { Described } from '../core/stats.js'
import type { LatencyMs, MeasuredWindow, TimelinePoint } from '../core/results.js'

/** What to measure at one level of a closed loop. */
export interface LevelRequest {
  /** Full URL of the request every connection repeats, e.g. `http://127.0.0.1:4000/work?io_ms=50`. */
  url: string
  connections: number
  /** Minimum seconds of warm-up, discarded. */
  warmupS: number
  /** Seconds measured after the warm-up. */
  durationS: number
  /** At most this many seconds of warm-up, even if some connection has not been answered yet (default warmupS + 10). */
  maxWarmupS?: number
  /** Seconds before a request counts as timed out. */
  timeoutS: number
  /** Called about every 250 ms while the level runs. */
  onProgress?: (p: LevelProgress) => void
  /** Aborting ends the level early; what was measured so far is returned with `aborted: true`. */
  signal?: AbortSignal
}

/** Progress of a running level. */
export interface LevelProgress {
  phase: 'warmup' | 'measure'
  /** Seconds since the load started. */
  elapsedS: number
  /** 0..1 of the level, counting the warm-up as `warmupS`. */
  fraction: number
  /** Responses per second over the last second. */
  perSecond: number
  /**
   * Set on the extra call made just after a second of load ends (aligned to
   * the level's start, so seconds end at 1 s, 2 s, ... of load): that
   * second's figures, as the level's `timeline` will record them.
   */
  second?: SecondSample
}

/** One complete second of a running level. */
export interface SecondSample extends TimelinePoint {
  /** `performance.now()` ms when the second ended. */
  endedAt: number
}

/** What one level measured. Times are `performance.now()` ms so they line up with /proc samples. */
export interface LevelMeasurement {
  loadStartedAt: number
  windowStart: number
  windowEnd: number
  window: MeasuredWindow
  requests: { total: number; perSecond: Described }
  latencyMs: LatencyMs
  /** `[latencyMs, percentile]`, ascending. */
  histogram: Array<[number, number]>
  errors: { total: number; timeouts: number; resets: number; non2xx: number; byStatus: Record<string, number> }
  timeline: TimelinePoint[]
  /** Responses per `X-Worker` pid in the window. */
  perWorker: Record<string, number>
  aborted: boolean
}

/** Drives one level of load. */
export interface LoadDriver {
  readonly name: string
  runLevel(req: LevelRequest): Promise<LevelMeasurement>
}
