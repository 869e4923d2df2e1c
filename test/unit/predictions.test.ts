/**
 * Both predictions of a level (lab/run/result.ts `predictionsFor`) and the
 * window sized from them before the level (lab/run/level.ts `levelWindow`).
 */
import { describe, expect, it } from 'vitest'
import { validateScenario, type LoadDef, type TopologyDef, type Workload } from '../../lab/core/scenario.js'
import { WARMUP_S_PER_CONNECTION, levelWindow, warmupCap } from '../../lab/run/level.js'
import { readyTimeoutMs } from '../../lab/run/ready.js'
import { predictionsFor } from '../../lab/run/result.js'

const loop: TopologyDef = { server: { model: 'event-loop', workers: 1, timeout_s: 30, backlog: 2048 } }
const pool64: TopologyDef = { server: { model: 'prefork', workers: 64, timeout_s: 30, backlog: 2048 } }
const sleep: Workload = { io_ms: 50, cpu_ms: 0, bytes: 1024, crash_pct: 0, hang_pct: 0, leak_kb: 0 }

describe('predictionsFor', () => {
  it('gives the textbook prediction alone, as the basis, without a calibration', () => {
    const p = predictionsFor(loop, sleep, 10_000, 2, 10)
    expect(p).toMatchObject({ basis: 'textbook', perSecond: 200_000, meanMs: 50 })
    expect(p?.textbook?.perSecond).toBeCloseTo(200_000, 6)
    expect(p?.thisMachine).toBeUndefined()
  })

  it('takes "this machine" as the basis with a calibration: 10,000 connections on an event loop at 0.08 ms per response', () => {
    const p = predictionsFor(loop, sleep, 10_000, 2, 10, { calibration: { serverMsPerRequest: 0.08, clientMsPerRequest: 0.03 } })
    expect(p?.basis).toBe('this-machine')
    expect(p?.perSecond).toBeCloseTo(12_500, 3)
    expect(p?.thisMachine).toMatchObject({ clientBound: false })
    expect(p?.textbook?.perSecond).toBeCloseTo(200_000, 6)
  })

  it('lets a client on CPUs of its own leave the servers every core: 64 workers at 2.3 ms on 2 cores, 2 / 2.3 ms', () => {
    const shared = predictionsFor(pool64, sleep, 256, 2, 10, { calibration: { serverMsPerRequest: 2.3, clientMsPerRequest: 0.05 } })
    const pinned = predictionsFor(pool64, sleep, 256, 2, 10, { calibration: { serverMsPerRequest: 2.3, clientMsPerRequest: 0.05 }, sharing: { dedicatedClient: true } })
    expect((shared?.perSecond ?? 0) / (2000 / 2.35)).toBeGreaterThan(0.99)
    expect((pinned?.perSecond ?? 0) / (2000 / 2.3)).toBeGreaterThan(0.99)
    expect(pinned?.thisMachine?.serverCores).toBe(2)
  })

  it('gives this machine only the cores other processes left, and the textbook every core', () => {
    // 0.8 of a core taken by others: the loop and the client share 1.2 cores at 0.05 + 0.05 ms per response
    const p = predictionsFor(loop, sleep, 10_000, 2, 10, { calibration: { serverMsPerRequest: 0.05, clientMsPerRequest: 0.05 }, otherCpuPercent: 80 })
    expect(p?.perSecond).toBeCloseTo(1200 / 0.1, 0)
    expect(p?.thisMachine?.serverCores).toBeCloseTo(1.2 - 0.6, 6)
    expect(p?.textbook?.perSecond).toBeCloseTo(200_000, 6)
  })

  it('predicts 0 req/s at the client’s timeout where every worker is held, rather than no figure', () => {
    const held: Workload = { ...sleep, streams: { count: 4, interval_ms: 1000 } }
    const p = predictionsFor({ server: { model: 'prefork', workers: 4, timeout_s: 30, backlog: 2048 } }, held, 16, 2, 10)
    expect(p).toMatchObject({ perSecond: 0, meanMs: 10_000, basis: 'textbook' })
  })
})

describe('levelWindow', () => {
  const load = (over: Partial<LoadDef> = {}): LoadDef => {
    const v = validateScenario({ name: 'x', title: 'x', summary: 'x', topologies: { a: { server: { model: 'prefork' } } }, workloads: { w: {} }, load: { connections: [1], duration_s: 2, ...over } })
    if (!v.ok) throw new Error(v.problems.join())
    return v.value.load
  }

  it('extends prefork io-bound @32 to 3 s: 5 responses on 32 connections at 80 req/s (5 latencies of 400 ms) with 25 % headroom is 2.5 s', () => {
    const w = levelWindow(load(), 32, { perSecond: 80, meanMs: 400 }, 0)
    expect(w).toMatchObject({ verdict: 'extended', durationS: 3 })
    expect(['completions', 'latency']).toContain(w.rule)
    expect(w.neededS).toBeCloseTo(2.5, 12)
  })

  it('sizes a 5 % hang level so 20 hangs are expected, and marks it too short past max_duration_s', () => {
    // 20 hangs at 5 % of (27.8 / 0.95) attempts/s take 13.7 s; with headroom 17.1 s
    expect(levelWindow(load(), 16, { perSecond: 27.8, meanMs: 547.5 }, 5)).toMatchObject({ verdict: 'extended', durationS: 18, rule: 'rare-events' })
    expect(levelWindow(load({ max_duration_s: 10 }), 16, { perSecond: 27.8, meanMs: 547.5 }, 5)).toMatchObject({ verdict: 'too-short', durationS: 10 })
  })

  it('sizes a level the model says answers nothing (every worker held) by whole seconds only', () => {
    expect(levelWindow(load(), 16, { perSecond: 0, meanMs: 10_000 }, 0)).toMatchObject({ verdict: 'as-asked', durationS: 2 })
  })

  it('keeps the asked window where every rule holds', () => {
    expect(levelWindow(load({ duration_s: 3 }), 32, { perSecond: 640, meanMs: 50 }, 0)).toMatchObject({ verdict: 'as-asked', durationS: 3 })
  })
})

describe('warmupCap', () => {
  it('allows twice the predicted latency (1 to 10 s) and the time to open each connection', () => {
    expect(warmupCap(0.5, { perSecond: 80, meanMs: 400 })).toBe(1.5)
    expect(warmupCap(0.5, { perSecond: 80, meanMs: 4000 }, 256)).toBeCloseTo(0.5 + 8 + 256 * WARMUP_S_PER_CONNECTION, 12)
    expect(warmupCap(1, { perSecond: 10_000, meanMs: 410 }, 4096)).toBeCloseTo(1 + 1 + 4096 * 0.002, 12)
  })

  it('does not wait where the model says nothing is answered, and waits the most where it cannot say', () => {
    expect(warmupCap(1, { perSecond: 0, meanMs: 10_000 }, 64)).toBe(1)
    expect(warmupCap(1, { perSecond: NaN, meanMs: NaN })).toBe(11)
  })
})

describe('readyTimeoutMs', () => {
  it('waits 15 s for a topology to start, and half a second more per worker', () => {
    expect(readyTimeoutMs({ server: { model: 'event-loop', workers: 1, timeout_s: 30, backlog: 2048 } })).toBe(15_500)
    expect(readyTimeoutMs({ server: { model: 'prefork', workers: 64, timeout_s: 30, backlog: 2048 } })).toBe(47_000)
    expect(readyTimeoutMs({ server: { model: 'prefork', workers: 2, timeout_s: 30, backlog: 2048 }, upstreams: 3 })).toBe(18_000)
  })
})
