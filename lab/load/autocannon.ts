/**
 * The autocannon load driver: a closed loop of `connections` connections, each
 * sending its next request as soon as the previous response completes (no
 * think time), on autocannon 9 patched (patches/autocannon+9.0.0.patch) to time
 * `Connection: close` responses correctly (docs/measurement.md, "autocannon and connection-close servers").
 *
 * Every response's latency (autocannon's float milliseconds) is recorded in an
 * HDR histogram with microsecond resolution (hdr-histogram-js); autocannon's
 * own percentiles are whole milliseconds and are not used.
 *
 * The measured window: the load runs at least `warmupS` seconds and until
 * every connection has completed one response (so every connection has been
 * through the queue once and the closed loop is in steady state; capped at
 * `warmupS + 10` s), then the window lasts `durationS` seconds and counts the
 * responses that complete inside it.
 */
import autocannon from 'autocannon'
import * as hdr from 'hdr-histogram-js'
import { weightedCycle } from '../core/mix.js'
import { describe } from '../core/stats.js'
import type { TimelinePoint } from '../core/results.js'
import type { LevelMeasurement, LevelRequest, LoadDriver } from './driver.js'

/** Percentiles listed in `histogram` (docs/results-schema.md, `histogram`: `[latencyMs, percentile]` pairs). */
export const SPECTRUM = [0, 10, 20, 30, 40, 50, 60, 70, 75, 80, 85, 90, 92.5, 95, 97.5, 99, 99.5, 99.75, 99.9, 99.95, 99.99, 99.999, 100]

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
  method: 'GET'
  path: string
  labKind: string
}

/**
 * A mix's request cycle (weights honoured, kinds interleaved by
 * lab/core/mix.ts `weightedCycle`), or undefined without a mix.
 */
function mixRequests(req: LevelRequest): { cycle: MixRequest[] } | undefined {
  if (!req.requests || req.requests.length === 0) return undefined
  const objects = req.requests.map((r): MixRequest => ({ method: 'GET', path: r.path, labKind: r.label }))
  return { cycle: weightedCycle(req.requests.map((r) => r.weight)).map((i) => objects[i] as MixRequest) }
}

/** `xs` starting at index `k` (wrapping round). */
function rotate<T>(xs: readonly T[], k: number): T[] {
  const at = xs.length ? k % xs.length : 0
  return [...xs.slice(at), ...xs.slice(0, at)]
}
const startAutocannon = autocannon as unknown as (opts: Record<string, unknown>) => Tracker

/** An HDR histogram of latencies in µs, 3 significant digits, up to the timeout + 5 s (it grows past that). */
export function newHistogram(timeoutS: number): hdr.Histogram {
  return hdr.build({
    lowestDiscernibleValue: 1, // 1 µs
    highestTrackableValue: Math.ceil((timeoutS + 5) * 1e6),
    numberOfSignificantValueDigits: 3,
    autoResize: true,
  })
}

interface Bucket {
  count: number
  errors: number
  hist: hdr.Histogram
}

const WINDOW_DEFINITION =
  'warm-up: at least warmup_s and until every connection completed one response (at most twice the predicted latency, and 10 s, more); ' +
  'measured: responses completed in the next duration_s'

/** Drives load with autocannon in this process. */
export class AutocannonDriver implements LoadDriver {
  readonly name = 'autocannon'

  /**
   * Runs one level.
   * @throws Error when autocannon rejects its options
   */
  async runLevel(req: LevelRequest): Promise<LevelMeasurement> {
    const { connections, warmupS, durationS, timeoutS } = req
    const hist = newHistogram(timeoutS)
    const buckets = new Map<number, Bucket>()
    const workerOf = new WeakMap<object, string>()
    const upstreamOf = new WeakMap<object, string>()
    const warmed = new Set<object>()
    const perWorker: Record<string, number> = {}
    const perUpstream: Record<string, number> = {}
    const mix = mixRequests(req)
    const kinds = new Map<string, { path: string; hist: hdr.Histogram; sumMs: number; maxMs: number; count: number }>()
    let clients = 0
    const byStatus: Record<string, number> = {}
    const windowTimes: number[] = []
    let sumMs = 0
    let minMs = Infinity
    let maxMs = 0
    let timeouts = 0
    let resets = 0
    let non2xx = 0
    let stopped = false
    let aborted = false
    let windowStart = Infinity
    let windowEnd = Infinity
    let stopTimer: NodeJS.Timeout | undefined

    const loadStartedAt = performance.now()
    const bucketOf = (at: number): Bucket => {
      const i = Math.floor((at - loadStartedAt) / 1000)
      let b = buckets.get(i)
      if (!b) buckets.set(i, (b = { count: 0, errors: 0, hist: newHistogram(timeoutS) }))
      return b
    }

    const instance = startAutocannon({
      url: req.url,
      connections,
      duration: Math.max(req.maxWarmupS ?? 0, warmupS + MAX_EXTRA_WARMUP_S) + durationS + 5,
      timeout: timeoutS,
      sampleInt: 100, // autocannon checks for stop() once per sample
      setupClient: (client: Client) => {
        // each connection walks the mix's cycle from its own offset, so connections do not move in step
        if (mix) {
          const k = clients++
          client.setRequests(
            req.split === 'connections'
              ? [mix.cycle[k % mix.cycle.length] as MixRequest] // one kind per connection, kinds shared out by weight
              : rotate(mix.cycle, Math.floor((k * mix.cycle.length) / connections)),
          )
        }
        client.on('headers', (info: { headers: string[] }) => {
          const h = info.headers
          let worker: string | undefined
          let upstream: string | undefined
          for (let i = 0; i < h.length; i += 2) {
            const name = h[i] as string
            if (name.length === 8 && name.toLowerCase() === 'x-worker') worker = h[i + 1] as string
            else if (name.length === 10 && name.toLowerCase() === 'x-upstream') upstream = h[i + 1] as string
          }
          // a response without the header (a proxy's static file or cache hit) must not count for the last one that had it
          if (worker === undefined) workerOf.delete(client)
          else workerOf.set(client, worker)
          if (upstream === undefined) upstreamOf.delete(client)
          else upstreamOf.set(client, upstream.slice(upstream.lastIndexOf(',') + 1).trim()) // after a retry: the last one tried
        })
      },
    })

    const stop = () => {
      if (stopped) return
      stopped = true
      clearTimeout(stopTimer)
      instance.stop()
    }
    const openWindow = (at: number) => {
      if (windowStart !== Infinity) return
      windowStart = at
      windowEnd = at + durationS * 1000
      stopTimer = setTimeout(stop, windowEnd - performance.now())
    }
    const warmupTimer = setTimeout(() => {
      if (warmed.size >= connections) openWindow(performance.now())
    }, warmupS * 1000)
    const capTimer = setTimeout(() => openWindow(performance.now()), (req.maxWarmupS ?? warmupS + MAX_EXTRA_WARMUP_S) * 1000)

    instance.on('response', (client: object, statusCode: number, _bytes: number, responseTime: number) => {
      if (stopped) return
      const at = performance.now()
      const us = Math.max(1, Math.round(responseTime * 1000))
      const b = bucketOf(at)
      b.count++
      b.hist.recordValue(us)
      if (windowStart === Infinity) {
        warmed.add(client)
        if (warmed.size >= connections && at - loadStartedAt >= warmupS * 1000) openWindow(at)
        return
      }
      if (at < windowStart || at > windowEnd) return
      windowTimes.push(at)
      hist.recordValue(us)
      sumMs += responseTime
      if (responseTime < minMs) minMs = responseTime
      if (responseTime > maxMs) maxMs = responseTime
      const status = String(statusCode)
      byStatus[status] = (byStatus[status] ?? 0) + 1
      if (statusCode < 200 || statusCode > 299) non2xx++
      const w = workerOf.get(client)
      if (w !== undefined) perWorker[w] = (perWorker[w] ?? 0) + 1
      const u = upstreamOf.get(client)
      if (u !== undefined) perUpstream[u] = (perUpstream[u] ?? 0) + 1
      if (mix) {
        // the request just answered is still the connection's current one (autocannon picks the next after this event)
        const current = (client as { requestIterator?: { currentRequest?: MixRequest } }).requestIterator?.currentRequest
        if (current?.labKind !== undefined) {
          let k = kinds.get(current.labKind)
          if (!k) kinds.set(current.labKind, (k = { path: current.path, hist: newHistogram(timeoutS), sumMs: 0, maxMs: 0, count: 0 }))
          k.hist.recordValue(us)
          k.sumMs += responseTime
          k.maxMs = Math.max(k.maxMs, responseTime)
          k.count++
        }
      }
    })
    instance.on('reqError', (err: Error) => {
      if (stopped) return
      const at = performance.now()
      bucketOf(at).errors++
      if (at < windowStart || at > windowEnd) return
      if (err.message === 'request timed out') timeouts++
      else resets++
    })

    const progress = setInterval(() => {
      const now = performance.now()
      const inWindow = windowStart !== Infinity
      const elapsedS = (now - loadStartedAt) / 1000
      const doneS = inWindow ? warmupS + (now - windowStart) / 1000 : Math.min(elapsedS, warmupS)
      // the last complete second, or the first second so far
      const current = Math.floor((now - loadStartedAt) / 1000)
      const lastSecond = current > 0 ? (buckets.get(current - 1)?.count ?? 0) : (buckets.get(0)?.count ?? 0) / Math.max(0.25, elapsedS)
      req.onProgress?.({
        phase: inWindow ? 'measure' : 'warmup',
        elapsedS,
        fraction: Math.min(1, doneS / (warmupS + durationS)),
        perSecond: lastSecond,
      })
    }, 250)
    // Per-second samples for live views: just after each second of load ends,
    // report that second's bucket (read-only: nothing above changes).
    let nextSecond = 0
    let secondTimer: NodeJS.Timeout | undefined
    const reportSeconds = () => {
      const now = performance.now()
      while (!stopped && loadStartedAt + (nextSecond + 1) * 1000 <= now) {
        const b = buckets.get(nextSecond)
        const start = loadStartedAt + nextSecond * 1000
        const endedAt = start + 1000
        req.onProgress?.({
          phase: windowStart === Infinity ? 'warmup' : 'measure',
          elapsedS: (now - loadStartedAt) / 1000,
          fraction: Math.min(1, (windowStart === Infinity ? Math.min((now - loadStartedAt) / 1000, warmupS) : warmupS + (now - windowStart) / 1000) / (warmupS + durationS)),
          perSecond: b?.count ?? 0,
          second: {
            t: nextSecond + 1,
            perSecond: b?.count ?? 0,
            p50Ms: b && b.count ? b.hist.getValueAtPercentile(50) / 1000 : null,
            p99Ms: b && b.count ? b.hist.getValueAtPercentile(99) / 1000 : null,
            errors: b?.errors ?? 0,
            warmup: start < windowStart,
            endedAt,
          },
        })
        nextSecond++
      }
      if (!stopped) secondTimer = setTimeout(reportSeconds, Math.max(0, loadStartedAt + (nextSecond + 1) * 1000 - performance.now()) + 1)
    }
    if (req.onProgress) secondTimer = setTimeout(reportSeconds, 1001)

    const onAbort = () => {
      aborted = true
      openWindow(performance.now())
      windowEnd = Math.min(windowEnd, performance.now())
      stop()
    }
    req.signal?.addEventListener('abort', onAbort, { once: true })
    if (req.signal?.aborted) onAbort()

    try {
      await instance
    } finally {
      stopped = true
      clearTimeout(warmupTimer)
      clearTimeout(capTimer)
      clearTimeout(stopTimer)
      clearInterval(progress)
      clearTimeout(secondTimer)
      req.signal?.removeEventListener('abort', onAbort)
    }
    // autocannon may end on its own duration before the window closes (it should not).
    if (windowStart === Infinity) windowStart = windowEnd = performance.now()
    windowEnd = Math.min(windowEnd, performance.now())

    const measuredS = (windowEnd - windowStart) / 1000
    const total = windowTimes.length
    const fullSeconds = Math.floor(measuredS + 1e-9)
    let perSecondSamples: number[]
    if (fullSeconds >= 1) {
      perSecondSamples = new Array<number>(fullSeconds).fill(0)
      for (const at of windowTimes) {
        const k = Math.floor((at - windowStart) / 1000)
        if (k < fullSeconds) perSecondSamples[k] = (perSecondSamples[k] ?? 0) + 1
      }
    } else perSecondSamples = measuredS > 0 ? [total / measuredS] : []
    const perSecond = { ...describe(perSecondSamples), mean: measuredS > 0 ? total / measuredS : 0 }

    const ms = (us: number) => us / 1000
    const latencyMs =
      total > 0
        ? {
            mean: sumMs / total,
            stddev: ms(hist.stdDeviation),
            min: minMs,
            p50: ms(hist.getValueAtPercentile(50)),
            p90: ms(hist.getValueAtPercentile(90)),
            p99: ms(hist.getValueAtPercentile(99)),
            p999: ms(hist.getValueAtPercentile(99.9)),
            max: maxMs,
          }
        : { mean: 0, stddev: 0, min: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 }
    const histogram: Array<[number, number]> =
      total > 0
        ? SPECTRUM.map((p) => [p === 0 ? minMs : p === 100 ? maxMs : ms(hist.getValueAtPercentile(p)), p])
        : []

    const lastBucket = Math.ceil((windowEnd - loadStartedAt) / 1000)
    const timeline: TimelinePoint[] = []
    for (let i = 0; i < lastBucket; i++) {
      const b = buckets.get(i)
      const start = loadStartedAt + i * 1000
      const width = Math.min(1000, windowEnd - start) / 1000
      timeline.push({
        t: i + 1,
        perSecond: b ? b.count / width : 0,
        p50Ms: b && b.count ? ms(b.hist.getValueAtPercentile(50)) : null,
        p99Ms: b && b.count ? ms(b.hist.getValueAtPercentile(99)) : null,
        errors: b?.errors ?? 0,
        warmup: start < windowStart,
      })
    }
    const perKind: NonNullable<LevelMeasurement['perKind']> = {}
    for (const [label, k] of kinds) {
      perKind[label] = {
        path: k.path,
        responses: k.count,
        latencyMs: {
          mean: k.sumMs / k.count,
          p50: ms(k.hist.getValueAtPercentile(50)),
          p90: ms(k.hist.getValueAtPercentile(90)),
          p99: ms(k.hist.getValueAtPercentile(99)),
          max: k.maxMs,
        },
      }
      k.hist.destroy()
    }
    hist.destroy()
    for (const b of buckets.values()) b.hist.destroy()

    const warmupDone = warmed.size >= connections
    return {
      loadStartedAt,
      windowStart,
      windowEnd,
      window: {
        warmupS: (windowStart - loadStartedAt) / 1000,
        measuredS,
        definition: warmupDone
          ? WINDOW_DEFINITION
          : `${WINDOW_DEFINITION}; here the cap was reached before every connection completed a response`,
      },
      requests: { total, perSecond, ok: total - non2xx },
      latencyMs,
      histogram,
      errors: { total: timeouts + resets + non2xx, timeouts, resets, non2xx, byStatus },
      timeline,
      perWorker,
      ...(Object.keys(perUpstream).length ? { perUpstream } : {}),
      ...(kinds.size ? { perKind } : {}),
      aborted,
    }
  }
}
