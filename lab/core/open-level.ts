/**
 * Which open-loop model fits a topology, and the prediction for one
 * open-loop level (docs/open-loop.md, "Theory"): a pre-fork pool is M/D/c
 * with c = workers × threads × upstreams and S = io_ms + cpu_ms (Cosmetatos'
 * approximation for c > 1, exact M/D/1 for c = 1); an event loop is a delay
 * station (io_ms) plus one CPU server (cpu_ms), M/D/1 on the CPU; past
 * ρ = 1 the fluid approximation averaged over the measured window
 * (lab/core/open-model.ts).
 *
 * Pure: no I/O.
 */
import { predictOpen, predictWindowMs, type OpenStation } from './open-model.js'
import type { TopologyDef, Workload } from './scenario.js'

/** A station for a topology and workload, with why its figure is approximate (absent when exact). */
export interface StationChoice {
  station: OpenStation
  approximate?: string
}

/**
 * The open-loop station of a topology under a workload.
 * @param cores - the machine's cores: a pool of more CPU-bound workers than cores shares them, which M/D/c leaves out
 * @returns undefined where the model has nothing to say: a mix of request kinds, injected crashes or hangs,
 *   several event-loop upstreams
 */
export function openStationFor(def: TopologyDef, w: Workload, cores: number): StationChoice | undefined {
  if (w.mix?.length || w.crash_pct > 0 || w.hang_pct > 0) return undefined
  const why: string[] = []
  if (def.proxy) why.push("the proxy's own time per request is not modelled")
  if (def.server.model === 'prefork') {
    const c = def.server.workers * (def.server.threads ?? 1) * (def.upstreams ?? 1)
    if (c > 1) why.push(`M/D/${c} mean wait by Cosmetatos' approximation (1975)`)
    if (w.cpu_ms > 0 && c > cores) why.push(`${c} workers share ${cores} cores for their CPU work, which M/D/c leaves out`)
    return { station: { kind: 'pool', workers: c, serviceMs: w.io_ms + w.cpu_ms }, ...(why.length ? { approximate: why.join('; ') } : {}) }
  }
  if ((def.upstreams ?? 1) > 1) return undefined
  const limit = def.server.limit_concurrency
  if (limit !== undefined && limit > 0) {
    why.push("Erlang's loss formula B(c, λS) with c = limit_concurrency; a 503 counted as answered in 0 ms")
    if (w.cpu_ms > 0) why.push('the CPU work of requests in progress shares one thread, which the loss formula leaves out')
    return { station: { kind: 'loss', servers: limit, serviceMs: w.io_ms + w.cpu_ms }, approximate: why.join('; ') }
  }
  return { station: { kind: 'event-loop', ioMs: w.io_ms, cpuMs: w.cpu_ms }, ...(why.length ? { approximate: why.join('; ') } : {}) }
}

/** The prediction stored in a level's `prediction` (docs/results-schema.md). */
export interface OpenLevelPrediction {
  /** Answered (2xx) req/s: the offered rate while stable, the capacity past it; a loss station's λ(1 − B). */
  perSecond: number
  /** Mean latency from the intended send, ms, over the window's answered requests. */
  meanMs: number
  /** Offered rate / capacity. */
  rho: number
  approximate?: string
}

/**
 * The prediction for an open-loop level measured from `warmupS` to `warmupS + durationS` seconds of load.
 * @param ratePerS - offered rate, req/s
 * @param maxConnections - the client's pool bound: past saturation the queue stops growing there and arrivals are dropped
 * @throws RangeError on bad arguments (from lab/core/open-model.ts)
 */
export function predictOpenLevel(choice: StationChoice, ratePerS: number, warmupS: number, durationS: number, maxConnections: number): OpenLevelPrediction {
  const steady = predictOpen(choice.station, ratePerS)
  const meanMs = predictWindowMs(choice.station, ratePerS, warmupS, warmupS + durationS, { maxInFlight: maxConnections })
  const why = [choice.approximate, steady.stable ? undefined : `ρ = ${steady.rho.toFixed(2)} ≥ 1: no steady state; the queue grows by λ − μ = ${(ratePerS - steady.capacityPerS).toFixed(1)} req/s (fluid approximation, averaged over the window)`].filter((x) => x !== undefined)
  return {
    perSecond: steady.shedShare !== undefined ? ratePerS * (1 - steady.shedShare) : Math.min(ratePerS, steady.capacityPerS),
    meanMs,
    rho: steady.rho,
    ...(why.length ? { approximate: why.join('; ') } : {}),
  }
}
