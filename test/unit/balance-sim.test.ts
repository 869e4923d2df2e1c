import { describe, expect, it } from 'vitest'
import { balanceEfficiency, simulateBalance } from '../../lab/core/balance-sim.js'
import { weightedCycle } from '../../lab/core/mix.js'
import { predictLevel } from '../../lab/core/model.js'

// load-balancing's mix: 9 requests in 10 wait 10 ms, 1 in 10 waits 500 ms (mean 59 ms)
const oneInTenSlow = weightedCycle([9, 1]).map((i) => (i === 0 ? 10 : 500))

describe('the balancer simulation', () => {
  it('serves min(connections, slots) / hold time through one shared queue', () => {
    const r = simulateBalance({ upstreams: 3, slots: 2, cycleMs: [50], connections: 12, policy: 'shared' })
    expect(r.perSecond).toBeGreaterThan(6 / 0.0505)
    expect(r.perSecond).toBeLessThan(6 / 0.05)
    // Little's law: 12 connections / ~120 req/s ≈ 100 ms
    expect(r.meanMs).toBeGreaterThan(95)
    expect(r.meanMs).toBeLessThan(105)
  })

  it('loses nothing to round-robin when every request holds its slot as long', () => {
    expect(balanceEfficiency({ upstreams: 3, slots: 2, cycleMs: [50], connections: 12, policy: 'round-robin' })).toBeGreaterThan(0.98)
  })

  it('keeps three quarters of the pooled throughput round-robin when one request in ten is slow, and nearly all of it by least connections', () => {
    const input = { upstreams: 3, slots: 2, cycleMs: oneInTenSlow, connections: 12 }
    const rr = balanceEfficiency({ ...input, policy: 'round-robin' })
    expect(rr).toBeGreaterThan(0.65)
    expect(rr).toBeLessThan(0.85)
    expect(balanceEfficiency({ ...input, policy: 'least-conn' })).toBeGreaterThan(0.97)
  })

  it('gives the same figure every time', () => {
    const input = { upstreams: 3, slots: 2, cycleMs: oneInTenSlow, connections: 6, policy: 'round-robin' as const }
    expect(simulateBalance(input)).toEqual(simulateBalance(input))
  })

  it('refuses an empty cycle, a negative hold time and zero connections', () => {
    expect(() => simulateBalance({ upstreams: 3, slots: 2, cycleMs: [], connections: 4, policy: 'round-robin' })).toThrow(RangeError)
    expect(() => simulateBalance({ upstreams: 3, slots: 2, cycleMs: [-1], connections: 4, policy: 'round-robin' })).toThrow(RangeError)
    expect(() => simulateBalance({ upstreams: 3, slots: 2, cycleMs: [10], connections: 0, policy: 'round-robin' })).toThrow(RangeError)
  })
})

describe('the model behind a balancer', () => {
  const server = { model: 'prefork' as const, workers: 2 }
  const workload = { io_ms: 0, cpu_ms: 0, mix: [{ weight: 9, io_ms: 10 }, { weight: 1, io_ms: 500 }] }
  const at = (balance: 'round-robin' | 'least-conn') => predictLevel({ server, upstreams: 3, proxy: { balance } }, workload, 12, 2)

  it('predicts least connections near one shared queue of six workers (6 / 59 ms ≈ 102 req/s) and round-robin well below it, saying why', () => {
    expect(at('least-conn').perSecond).toBeGreaterThan(97)
    expect(at('least-conn').perSecond).toBeLessThan(103)
    expect(at('round-robin').perSecond).toBeLessThan(0.85 * at('least-conn').perSecond)
    expect(at('round-robin').approximate).toMatch(/Balancer: 3 separate pools, round-robin/)
  })
})
