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
import { t, type MessageKey } from './i18n.js'

/** A clause of lab/i18n/en/model.ts in English, as the results document keeps it (lab/core/reword.ts re-words it for the reader). */
const en = (key: Extract<MessageKey, `model.${string}`>, vars: Record<string, string | number> = {}) => t(key, vars, 'en')

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
  if (def.proxy) why.push(en('model.openProxy'))
  if (def.server.model === 'prefork') {
    const c = def.server.workers * (def.server.threads ?? 1) * (def.upstreams ?? 1)
    if (c > 1) why.push(en('model.openPool', { c }))
    if (w.cpu_ms > 0 && c > cores) why.push(en('model.openShare', { c, cores }))
    return { station: { kind: 'pool', workers: c, serviceMs: w.io_ms + w.cpu_ms }, ...(why.length ? { approximate: why.join('; ') } : {}) }
  }
  if ((def.upstreams ?? 1) > 1) return undefined
  const limit = def.server.limit_concurrency
  if (limit !== undefined && limit > 0) {
    why.push(en('model.openLoss'), en('model.openLoss503'))
    if (w.cpu_ms > 0) why.push(en('model.openLossCpu'))
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
  const unstable = [en('model.openUnstable', { rho: steady.rho.toFixed(2) }), en('model.openGrowth', { growth: (ratePerS - steady.capacityPerS).toFixed(1) })].join('; ')
  const why = [choice.approximate, steady.stable ? undefined : unstable].filter((x) => x !== undefined)
  return {
    perSecond: steady.shedShare !== undefined ? ratePerS * (1 - steady.shedShare) : Math.min(ratePerS, steady.capacityPerS),
    meanMs,
    rho: steady.rho,
    ...(why.length ? { approximate: why.join('; ') } : {}),
  }
}
