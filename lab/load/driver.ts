/**
 * The load-driver seam: the autocannon driver measures real servers; a fake
 * one returns canned measurements so CLI → JSON → report can be tested in
 * milliseconds (docs/architecture.md, "Test seams").
 */
import type { LatencyMs, MeasuredWindow, OpenLoopResult, Rate, TimelinePoint } from '../core/results.js'

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
  /**
   * Closed loop: called once, when the window opens, for the seconds to
   * measure instead of `durationS` (the run sizes the window again with what
   * the warm-up showed: lab/run/level.ts); at most `maxDurationS`.
   */
  windowS?: () => number
  /** The longest `windowS` may answer, s (default `durationS`). */
  maxDurationS?: number
  /** Seconds before a request counts as timed out. */
  timeoutS: number
  /** Send `Connection: close` with every request: a new connection (and TLS handshake) per request. */
  closeConnections?: boolean
  /** Called about every 250 ms while the level runs. */
  onProgress?: (p: LevelProgress) => void
  /** Aborting ends the level early; what was measured so far is returned with `aborted: true`. */
  signal?: AbortSignal
  /**
   * A mix of request kinds (lab/core/mix.ts), sent in proportion to their
   * weights instead of repeating `url`'s path; `url`'s origin is the target.
   * Latencies are then also reported per kind (`perKind`).
   */
  requests?: Array<{ path: string; weight: number; label: string; method?: string; body?: string }>
  /**
   * How `requests` are shared out: `requests` (default): every connection
   * cycles through all the kinds in proportion; `connections`: each
   * connection sends one kind only, the connections shared out among the
   * kinds in proportion (separate streams of users, e.g. browsers fetching
   * a page's assets beside those waiting for the page).
   */
  split?: 'requests' | 'connections'
  /** An open loop (lab/load/open-loop.ts) instead of a closed one; `connections` is then not used. */
  open?: OpenLoad
}

/** An open loop's schedule and pool (docs/open-loop.md). */
export interface OpenLoad {
  /** Offered rate, req/s (> 0). */
  ratePerS: number
  arrival: 'poisson' | 'constant'
  /** The pool's bound: connections, each with at most one request in flight (≥ 1). */
  maxConnections: number
  /** Seed of a Poisson schedule (same seed, same instants); default: unseeded. */
  seed?: number
  /** Called once per scheduled request with what became of it (tests, live views). */
  onRequest?: (r: OpenRequestRecord) => void
}

/** One scheduled request of an open loop; times are ms since the level's load started. */
export interface OpenRequestRecord {
  intendedAt: number
  /** When it was written on a connection; absent when dropped or never written. */
  sentAt?: number
  /** When its response ended or it failed; absent when dropped or unfinished. */
  doneAt?: number
  status?: number
  outcome: 'ok' | 'non2xx' | 'timeout' | 'reset' | 'dropped' | 'unfinished'
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
  /** Every response (`perSecond`) and the 2xx ones (`answeredPerSecond`), over the window's whole seconds. */
  requests: { total: number; perSecond: Rate; ok: number; answeredPerSecond?: Rate }
  latencyMs: LatencyMs
  /** `[latencyMs, percentile]`, ascending. */
  histogram: Array<[number, number]>
  errors: { total: number; timeouts: number; resets: number; non2xx: number; byStatus: Record<string, number> }
  timeline: TimelinePoint[]
  /** Responses per `X-Worker` pid in the window. */
  perWorker: Record<string, number>
  /** Responses per `X-Upstream` address (`127.0.0.1:<port>`, the one that answered) in the window; absent when none carried it. */
  perUpstream?: Record<string, number>
  /** Per request kind of a mix (by label): responses and latency in the window. */
  perKind?: Record<string, KindMeasurement>
  /** Open loop only: what was offered and what became of it. */
  open?: OpenLoopResult
  aborted: boolean
}

/** One request kind's share of a level. */
export interface KindMeasurement {
  path: string
  responses: number
  latencyMs: { mean: number; p50: number; p90: number; p99: number; max: number }
}

/** Drives one level of load. */
export interface LoadDriver {
  readonly name: string
  runLevel(req: LevelRequest): Promise<LevelMeasurement>
}
