/**
 * A fake load driver for tests: it answers at once with a measurement that
 * obeys Little's law for the throughput a function gives, so CLI → JSON →
 * report can be tested in milliseconds without processes.
 */
import type { LevelMeasurement, LevelRequest, LoadDriver } from './driver.js'

/** Throughput (req/s) the fake reports for a level. */
export type FakeModel = (req: LevelRequest) => number

/** Options of {@link FakeDriver}. */
export interface FakeOptions {
  /**
   * Real milliseconds each second of the level takes (default 0: answer at
   * once, with no progress calls). When above 0 the level reports every
   * second through `onProgress` (with `second`), like the autocannon driver,
   * and an abort ends it after the current second.
   */
  secondMs?: number
}

/** A driver that measures nothing and returns canned, self-consistent numbers. */
export class FakeDriver implements LoadDriver {
  readonly name = 'fake'
  readonly requests: LevelRequest[] = []

  constructor(
    private readonly model: FakeModel = () => 80,
    private readonly opts: FakeOptions = {},
  ) {}

  /** Records the request and returns a measurement with `perSecond` from the model. */
  async runLevel(req: LevelRequest): Promise<LevelMeasurement> {
    this.requests.push(req)
    const perSecond = this.model(req)
    const meanMs = (req.connections * 1000) / perSecond
    const total = Math.round(perSecond * req.durationS)
    const secondMs = this.opts.secondMs ?? 0
    if (secondMs > 0) {
      const seconds = Math.ceil(req.warmupS + req.durationS)
      for (let t = 1; t <= seconds && !req.signal?.aborted; t++) {
        await new Promise((r) => setTimeout(r, secondMs))
        const warmup = t <= Math.ceil(req.warmupS)
        req.onProgress?.({
          phase: warmup ? 'warmup' : 'measure',
          elapsedS: t,
          fraction: t / seconds,
          perSecond,
          second: { t, perSecond, p50Ms: meanMs, p99Ms: meanMs, errors: 0, warmup, endedAt: performance.now() },
        })
      }
    }
    const now = performance.now()
    return {
      loadStartedAt: now - (req.warmupS + req.durationS) * 1000,
      windowStart: now - req.durationS * 1000,
      windowEnd: now,
      window: { warmupS: req.warmupS, measuredS: req.durationS, definition: 'fake' },
      requests: { total, perSecond: { mean: perSecond, stddev: 0, min: perSecond, max: perSecond }, ok: total },
      latencyMs: { mean: meanMs, stddev: 0, min: meanMs, p50: meanMs, p90: meanMs, p99: meanMs, p999: meanMs, max: meanMs },
      histogram: [[meanMs, 0], [meanMs, 100]],
      errors: { total: 0, timeouts: 0, resets: 0, non2xx: 0, byStatus: { '200': total } },
      timeline: [{ t: 1, perSecond, p50Ms: meanMs, p99Ms: meanMs, errors: 0, warmup: false }],
      perWorker: {},
      aborted: req.signal?.aborted === true,
    }
  }
}
