/**
 * The sentences that say why a prediction of lab/core/model.ts is MVA's
 * approximation rather than the network's exact solution.
 *
 * Pure: no I/O.
 */
import { t, type MessageKey } from './i18n.js'

/** What {@link approximations} reads of a level (lab/core/model.ts `ModelInput`). */
export interface ApproximationInput {
  model: 'prefork' | 'event-loop' | 'threaded'
  workers: number
  threads?: number
  cpuMs: number
  connections: number
  heldSlots?: number
  proxyMs?: number
  limitConcurrency?: number
  loops?: number
  maxRequests?: number
  balance?: { upstreams: number; policy: string }
}

/**
 * Why a prediction is an approximation, one sentence per reason; empty when
 * MVA's figure is the exact solution of the network as modelled. MVA is exact
 * for product-form networks (Baskett, Chandy, Muntz, Palacios, JACM 22(2),
 * 1975): a delay station for any distribution of waits, an FCFS queue only
 * for exponential service. The lab's CPU work is fixed-length and FCFS, so
 * wherever requests can queue for a CPU the knee of the curve is approximate
 * (the asymptotes are exact).
 * @param input - the level, with `cpuMs` the CPU per attempt
 * @param cores - cores left for the servers
 */
export function approximations(input: ApproximationInput, cores: number): string[] {
  const out: string[] = []
  // in English, as the results document keeps them (lab/i18n/en/model.ts; lab/core/reword.ts re-words them for the reader)
  const en = (key: Extract<MessageKey, `model.${string}`>, vars: Record<string, string | number> = {}) => t(key, vars, 'en')
  const fcfs = en('model.fcfs')
  const threads = input.model === 'event-loop' ? 1 : (input.threads ?? 1)
  if (input.model === 'event-loop') {
    const present = input.limitConcurrency ? Math.min(input.limitConcurrency, input.connections) : input.connections
    if (input.cpuMs > 0 && present > 1) out.push(en('model.eventLoop', { fcfs }))
    const loops = input.loops ?? 1
    if (loops > 1 && input.cpuMs > 0) out.push(en('model.loops', { loops }))
    if (input.limitConcurrency) out.push(en('model.limit', { slots: input.limitConcurrency }))
  } else {
    const slots = input.workers * threads - (input.heldSlots ?? 0)
    if (input.cpuMs > 0 && Math.min(slots, input.connections) > Math.min(cores, input.workers)) out.push(en('model.workers', { fcfs }))
    if (threads > 1 && input.workers > 1 && input.cpuMs > 0) {
      out.push(en('model.threads', { workers: input.workers, threads: input.workers * threads }))
    }
  }
  if ((input.proxyMs ?? 0) > 0 && input.connections > cores) out.push(en('model.proxy', { fcfs }))
  if ((input.maxRequests ?? 0) > 0 && input.model !== 'event-loop') out.push(en('model.recycling', { requests: input.maxRequests as number }))
  if (input.balance && input.balance.upstreams > 1 && input.model !== 'event-loop') out.push(en('model.balancer', { upstreams: input.balance.upstreams, policy: input.balance.policy }))
  return out
}
