import { describe, expect, it } from 'vitest'
import { openStationFor, predictOpenLevel } from '../../lab/core/open-level.js'
import { erlangB, erlangC, md1, mdc, mmc, predictOpen, predictSeconds } from '../../lab/core/open-model.js'
import type { TopologyDef, Workload } from '../../lab/core/scenario.js'
import { arrivalInstants, seededRandom } from '../../lab/load/arrivals.js'

/** P(N ≥ c) of the M/M/c birth–death chain, solved state by state (an independent check of the recursion). */
function waitProbabilityByChain(c: number, a: number): number {
  const p = [1]
  for (let n = 1; n < 2000; n++) p.push(((p[n - 1] as number) * a) / Math.min(n, c))
  const total = p.reduce((x, y) => x + y, 0)
  return p.slice(c).reduce((x, y) => x + y, 0) / total
}

/** Mean wait of FCFS M/D/c by simulation: each arrival takes the server that frees first (Kiefer–Wolfowitz). */
function simulatedWaitMs(c: number, ratePerS: number, serviceMs: number, arrivals: number, seed: number): number {
  const free = new Array<number>(c).fill(0)
  let sum = 0
  let n = 0
  for (const at of arrivalInstants({ kind: 'poisson', ratePerS, untilMs: (arrivals / ratePerS) * 1000, random: seededRandom(seed) })) {
    let k = 0
    for (let i = 1; i < c; i++) if ((free[i] as number) < (free[k] as number)) k = i
    const start = Math.max(at, free[k] as number)
    sum += start - at
    free[k] = start + serviceMs
    n++
  }
  return sum / n
}

describe('erlangC', () => {
  it('is ρ for one server (M/M/1: an arrival waits when the server is busy)', () => {
    expect(erlangC(1, 0.3)).toBeCloseTo(0.3, 12)
    expect(erlangC(1, 0.9)).toBeCloseTo(0.9, 12)
  })

  it('matches the two-server closed form 2ρ²/(1 + ρ) (Kleinrock 1975, §3.5, m = 2)', () => {
    expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 12)
    expect(erlangC(2, 1.5)).toBeCloseTo((2 * 0.75 ** 2) / 1.75, 12)
  })

  it('matches the published call-centre example: 10 Erlangs on 11 agents wait with probability 0.6821, 122.8 s on average at 180 s per call', () => {
    // Call Centre Helper, "Erlang C Formula – Made Simple With an Easy Worked Example":
    // 100 calls in 30 minutes, 180 s average handling time → 10 Erlangs; 11 agents.
    expect(erlangC(11, 10)).toBeCloseTo(0.6821, 4)
    const m = mmc(11, 100 / 1800, 180_000)
    expect(m.meanWaitMs / 1000).toBeCloseTo(122.8, 1)
  })

  it('agrees with the M/M/c chain solved state by state', () => {
    for (const [c, a] of [[4, 3], [8, 7.2], [32, 25], [100, 95]] as const) expect(erlangC(c, a)).toBeCloseTo(waitProbabilityByChain(c, a), 9)
  })

  it('is 1 at or past saturation and rejects a fractional server count', () => {
    expect(erlangC(4, 4)).toBe(1)
    expect(erlangC(4, 6)).toBe(1)
    expect(() => erlangC(2.5, 1)).toThrow(/servers/)
  })
})

describe('mmc', () => {
  it('gives M/M/1 its textbook mean response S / (1 − ρ)', () => {
    expect(mmc(1, 10, 50).meanResponseMs).toBeCloseTo(50 / 0.5, 9)
  })

  it('refuses an unstable queue', () => {
    expect(() => mmc(2, 40, 50)).toThrow(/unstable/)
  })
})

describe('md1', () => {
  it('is exact: one worker, 50 ms per request, 10 req/s → mean response 75 ms (Pollaczek–Khinchine)', () => {
    const q = md1(10, 50)
    expect(q.rho).toBeCloseTo(0.5, 12)
    expect(q.meanWaitMs).toBeCloseTo(25, 12)
    expect(q.meanResponseMs).toBeCloseTo(75, 12)
  })

  it('waits half as long as M/M/1 at the same load', () => {
    expect(md1(16, 50).meanWaitMs).toBeCloseTo(mmc(1, 16, 50).meanWaitMs / 2, 9)
  })
})

describe('mdc (Cosmetatos 1975)', () => {
  it('is exact M/D/1 for one server', () => {
    expect(mdc(1, 12, 50).meanWaitMs).toBeCloseTo(md1(12, 50).meanWaitMs, 12)
  })

  it('lies between half of M/M/c and M/M/c at moderate and high load', () => {
    for (const c of [2, 4, 8, 32]) {
      for (const rho of [0.5, 0.8, 0.95]) {
        const rate = (rho * c * 1000) / 50
        const half = mmc(c, rate, 50).meanWaitMs / 2
        expect(mdc(c, rate, 50).meanWaitMs).toBeGreaterThanOrEqual(half)
        expect(mdc(c, rate, 50).meanWaitMs).toBeLessThan(2 * half)
      }
    }
  })

  it('is within 5 % of a simulated M/D/c queue (4 workers at ρ = 0.8, 8 at ρ = 0.7)', () => {
    // 300,000 arrivals: the simulated means repeat within about 1 % across seeds
    expect(simulatedWaitMs(4, 64, 50, 300_000, 1) / mdc(4, 64, 50).meanWaitMs).toBeCloseTo(1, 1)
    const w8 = simulatedWaitMs(8, 112, 50, 300_000, 2)
    expect(Math.abs(w8 / mdc(8, 112, 50).meanWaitMs - 1)).toBeLessThan(0.05)
    // M/M/c would be twice as far off
    expect(Math.abs(w8 / mmc(8, 112, 50).meanWaitMs - 1)).toBeGreaterThan(0.4)
  })
})

describe('predictOpen', () => {
  it('predicts a pre-fork pool by M/D/c on io + cpu, capacity W / S', () => {
    const p = predictOpen({ kind: 'pool', workers: 4, serviceMs: 50 }, 40)
    expect(p.capacityPerS).toBeCloseTo(80, 12)
    expect(p.rho).toBeCloseTo(0.5, 12)
    expect(p.stable).toBe(true)
    expect(p.meanMs).toBeCloseTo(50 + mdc(4, 40, 50).meanWaitMs, 12)
  })

  it('predicts an event loop as its wait plus M/D/1 on its CPU work', () => {
    const p = predictOpen({ kind: 'event-loop', ioMs: 50, cpuMs: 5 }, 100)
    expect(p.capacityPerS).toBeCloseTo(200, 12)
    expect(p.meanMs).toBeCloseTo(50 + 5 + 2.5, 12)
  })

  it('gives an event loop with no CPU work unbounded capacity and a flat latency', () => {
    const p = predictOpen({ kind: 'event-loop', ioMs: 50, cpuMs: 0 }, 5000)
    expect(p.capacityPerS).toBe(Infinity)
    expect(p.meanMs).toBe(50)
  })

  it('has no steady state at or past ρ = 1', () => {
    for (const rate of [80, 120]) {
      const p = predictOpen({ kind: 'pool', workers: 4, serviceMs: 50 }, rate)
      expect(p.stable).toBe(false)
      expect(p.meanMs).toBeNull()
    }
  })
})

describe('predictSeconds', () => {
  const pool = { kind: 'pool', workers: 4, serviceMs: 50 } as const

  it('repeats the steady state every second of a stable level, with the queue by Little’s law', () => {
    const s = predictSeconds(pool, 60, 5)
    expect(s).toHaveLength(5)
    const steady = predictOpen(pool, 60)
    for (const p of s) {
      expect(p.meanMs).toBeCloseTo(steady.meanMs as number, 12)
      expect(p.queue).toBeCloseTo((60 * (steady.meanWaitMs as number)) / 1000, 12)
      expect(p.dropped).toBe(0)
    }
  })

  it('grows the queue by λ − μ each second past capacity: 120 req/s on 80 adds 40 requests and 500 ms a second', () => {
    const s = predictSeconds(pool, 120, 10)
    expect(s[0]?.queue).toBeCloseTo(20, 9)
    expect(s[9]?.queue).toBeCloseTo(380, 9)
    expect(s[1]?.meanMs).toBeCloseTo((60 / 80) * 1000 + 50, 9)
    for (let t = 1; t < 10; t++) expect((s[t]?.meanMs as number) - (s[t - 1]?.meanMs as number)).toBeCloseTo(500, 9)
  })

  it('by completion, grows latency by (λ − μ)/λ a second: requests answered late arrived earlier', () => {
    const s = predictSeconds(pool, 120, 4, { basis: 'completion' })
    expect(s[2]?.meanMs).toBeCloseTo(((40 * (2.5 - 0.05)) / 120) * 1000 + 50, 9)
  })

  it('caps the queue at the client’s bound and drops the excess: 30 req/s on one 50 ms worker with 11 connections', () => {
    const s = predictSeconds({ kind: 'pool', workers: 1, serviceMs: 50 }, 30, 5, { maxInFlight: 11 })
    // 10 waiting fill in 1 s at 10 req/s; then latency stays at 10/20 s + 50 ms and 10 req/s are dropped
    expect(s[0]?.dropped).toBeCloseTo(0, 9)
    expect(s.slice(1).map((p) => p.dropped)).toEqual([10, 10, 10, 10])
    expect(s[4]?.meanMs).toBeCloseTo(550, 9)
    expect(s[0]?.meanMs).toBeCloseTo(((0.5 * 10) / 20) * 1000 + 50, 9)
  })

  it('rejects a fractional number of seconds', () => {
    expect(() => predictSeconds(pool, 10, 2.5)).toThrow(/seconds/)
  })
})

describe("Erlang's loss formula and the loss station (a concurrency limit with no queue)", () => {
  it('matches published Erlang B table values', () => {
    // e.g. any Erlang B table: c = 4, a = 2 → 0.0952; c = 10, a = 5 → 0.0184; c = 1: a / (1 + a)
    expect(erlangB(4, 2)).toBeCloseTo(0.0952, 4)
    expect(erlangB(10, 5)).toBeCloseTo(0.0184, 4)
    expect(erlangB(1, 3)).toBeCloseTo(0.75, 10)
    expect(erlangB(4, 0)).toBe(0)
    expect(() => erlangB(0, 1)).toThrow(RangeError)
  })

  it('turns away a share B of arrivals even below capacity, and never becomes unstable past it', () => {
    const shed = { kind: 'loss', servers: 4, serviceMs: 50 } as const
    const below = predictOpen(shed, 40)
    expect(below.stable).toBe(true)
    expect(below.shedShare).toBeCloseTo(erlangB(4, 2), 10)
    expect(below.meanMs).toBeCloseTo(50 * (1 - erlangB(4, 2)), 10)
    const past = predictOpen(shed, 100) // a = 5 erlangs on 4 servers: B = 0.398
    expect(past.stable).toBe(true)
    expect(past.rho).toBeCloseTo(1.25, 10)
    expect(past.shedShare).toBeCloseTo(0.3984, 3)
  })

  it('predicts an event loop with limit_concurrency as that loss station, answering λ(1 − B) with 200', () => {
    const def = { server: { model: 'event-loop', limit_concurrency: 4 } } as TopologyDef
    const w = { io_ms: 50, cpu_ms: 0, bytes: 1024, crash_pct: 0, hang_pct: 0 } as Workload
    const choice = openStationFor(def, w, 2)
    expect(choice?.station).toEqual({ kind: 'loss', servers: 4, serviceMs: 50 })
    const p = predictOpenLevel(choice!, 100, 1, 3, 64)
    expect(p.perSecond).toBeCloseTo(100 * (1 - 0.3984), 0)
    expect(p.approximate).toMatch(/loss formula/)
  })
})
