/**
 * Loads that run beside the main closed loop during a level:
 *
 * - a **probe**: one connection repeating `GET <path>` (a health check), its
 *   latency kept apart from the main load's, to show what a blocked event
 *   loop does to everything else (docs/add-a-scenario.md, "Phenomena": blocked-event-loop);
 * - **streams**: server-sent event streams held open (`GET /stream`), each on
 *   its own connection, to show that W streams pin W sync workers while one
 *   event loop holds hundreds (docs/add-a-scenario.md, "Phenomena": long-lived).
 *
 * Both are bounded in count (the scenario schema caps them) and in time (the
 * caller stops them at the end of the level), and target 127.0.0.1 only.
 */
import http from 'node:http'
import * as hdr from 'hdr-histogram-js'
import type { LatencyMs } from '../core/results.js'

/** What the probe saw inside the measured window. */
export interface ProbeResult {
  path: string
  requests: number
  errors: number
  latencyMs: LatencyMs
}

/** A running probe; `stop` ends it and summarizes the responses completed between `from` and `to` (performance.now() ms). */
export interface Probe {
  stop(from: number, to: number): Promise<ProbeResult>
}

/**
 * The pause before the next probe, ms: drawn uniformly from 0.5 to 1.5 times
 * `intervalMs` (mean `intervalMs`), as HAProxy's `spread-checks 50` adds
 * "randomness in the check interval between 0 and +/- 50%" (HAProxy
 * Configuration Manual, `spread-checks`). A fixed pause after each answer
 * would phase-lock the probe to a busy server's job boundaries (an answer
 * comes at the end of a job, so the next probe would always land the same
 * distance into a job); a pause that varies by `intervalMs` or more lands it
 * anywhere in a job of up to `intervalMs`.
 * @param random - a uniform draw in [0, 1) (Math.random; injectable for tests)
 */
export function probeGap(intervalMs: number, random: () => number = Math.random): number {
  return intervalMs * (0.5 + random())
}

/**
 * Starts a probe: one request at a time, each sent a {@link probeGap} after
 * the previous answer (like a health checker polling with jitter), each
 * timed from send to the end of its answer.
 * @param baseUrl - e.g. `http://127.0.0.1:40123`
 * @param intervalMs - the mean pause between an answer and the next probe, ms
 */
export function startProbe(baseUrl: string, path: string, timeoutS: number, intervalMs = 50): Probe {
  const samples: Array<{ at: number; ms: number }> = []
  const errors: number[] = []
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let inFlight: Promise<void> = Promise.resolve()
  const once = () =>
    new Promise<void>((resolve) => {
      const sent = performance.now()
      const req = http.get(baseUrl + path, { agent, timeout: timeoutS * 1000 }, (res) => {
        res.resume()
        res.on('end', () => {
          samples.push({ at: performance.now(), ms: performance.now() - sent })
          resolve()
        })
        res.on('error', () => resolve())
      })
      req.on('timeout', () => req.destroy(new Error('probe timed out')))
      req.on('error', () => {
        if (!stopped) errors.push(performance.now())
        resolve()
      })
    })
  const loop = () => {
    if (stopped) return
    inFlight = once().then(() => {
      if (!stopped) timer = setTimeout(loop, probeGap(intervalMs))
    })
  }
  loop()
  return {
    async stop(from, to) {
      stopped = true
      clearTimeout(timer)
      agent.destroy()
      await inFlight
      const inside = samples.filter((s) => s.at >= from && s.at <= to)
      const hist = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: (timeoutS + 5) * 1e6, numberOfSignificantValueDigits: 3, autoResize: true })
      let sum = 0
      let min = Infinity
      let max = 0
      for (const s of inside) {
        hist.recordValue(Math.max(1, Math.round(s.ms * 1000)))
        sum += s.ms
        min = Math.min(min, s.ms)
        max = Math.max(max, s.ms)
      }
      const at = (p: number) => (inside.length ? hist.getValueAtPercentile(p) / 1000 : 0)
      const latencyMs: LatencyMs = {
        mean: inside.length ? sum / inside.length : 0,
        stddev: inside.length ? hist.stdDeviation / 1000 : 0,
        min: inside.length ? min : 0,
        p50: at(50),
        p90: at(90),
        p99: at(99),
        p999: at(99.9),
        max,
      }
      hist.destroy()
      return { path, requests: inside.length, errors: errors.filter((t) => t >= from && t <= to).length, latencyMs }
    },
  }
}

/** What the streams saw. */
export interface StreamsResult {
  /** Streams that got their response headers. */
  opened: number
  /** Events received over all streams. */
  events: number
  /** Streams that failed or were closed by the server early. */
  failed: number
}

/** Running streams; `stop` closes every one. */
export interface Streams {
  stop(): StreamsResult
}

/**
 * Opens `count` server-sent event streams on their own connections.
 * @param intervalMs - milliseconds between two events of a stream
 */
export function startStreams(baseUrl: string, count: number, intervalMs: number): Streams {
  const result: StreamsResult = { opened: 0, events: 0, failed: 0 }
  const requests: http.ClientRequest[] = []
  let stopped = false
  const url = `${baseUrl}/stream?events=100000&interval_ms=${intervalMs}`
  for (let i = 0; i < count; i++) {
    const req = http.get(url, { agent: false }, (res) => {
      result.opened++
      res.on('data', (chunk: Buffer) => {
        for (const byte of chunk) if (byte === 0x0a) result.events += 0.5 // each event ends with a blank line: two newlines
      })
      res.on('error', () => {})
      res.on('end', () => {
        if (!stopped) result.failed++
      })
    })
    req.on('error', () => {
      if (!stopped) result.failed++
    })
    requests.push(req)
  }
  return {
    stop() {
      stopped = true
      for (const r of requests) r.destroy()
      return { ...result, events: Math.floor(result.events) }
    },
  }
}
