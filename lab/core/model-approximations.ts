/**
 * The sentences that say why a prediction of lab/core/model.ts is MVA's
 * approximation rather than the network's exact solution.
 *
 * Pure: no I/O.
 */
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
  const fcfs = 'CPU work is fixed-length and served first come, first served, which is not product-form, so near the knee the figure is approximate (its asymptotes are exact)'
  const threads = input.model === 'event-loop' ? 1 : (input.threads ?? 1)
  if (input.model === 'event-loop') {
    const present = input.limitConcurrency ? Math.min(input.limitConcurrency, input.connections) : input.connections
    if (input.cpuMs > 0 && present > 1) out.push(`Event loop: ${fcfs}.`)
    const loops = input.loops ?? 1
    if (loops > 1 && input.cpuMs > 0) out.push(`Loops: the ${loops} workers' event loops are modelled as ${loops} CPU servers shared by every connection, as if a request always found an idle loop; a connection stays with the process that accepted it, so this is an upper bound.`)
    if (input.limitConcurrency) out.push(`Concurrency limit: the answered requests are modelled as ${input.limitConcurrency} slots and the 503s as costing nothing.`)
  } else {
    const slots = input.workers * threads - (input.heldSlots ?? 0)
    if (input.cpuMs > 0 && Math.min(slots, input.connections) > Math.min(cores, input.workers)) out.push(`Workers sharing the cores: ${fcfs}.`)
    if (threads > 1 && input.workers > 1 && input.cpuMs > 0) {
      out.push(`Threads: the GIL is modelled as ${input.workers} CPU servers shared by all ${input.workers * threads} threads, as if running requests were always in different processes (an upper bound).`)
    }
  }
  if ((input.proxyMs ?? 0) > 0 && input.connections > cores) out.push(`Proxy: its ${fcfs}.`)
  if ((input.maxRequests ?? 0) > 0 && input.model !== 'event-loop') out.push(`Recycling: each worker's replacement after ${input.maxRequests} requests is spread over them as slot time (the boot, not any one request's wait), so the mean latency is exact only when every worker is busy.`)
  if (input.balance && input.balance.upstreams > 1 && input.model !== 'event-loop') {
    out.push(`Balancer: ${input.balance.upstreams} separate pools, ${input.balance.policy}: the pooled figure is scaled by a simulation of the same loop against them (lab/core/balance-sim.ts), which leaves out the proxy's time and CPU contention.`)
  }
  return out
}
