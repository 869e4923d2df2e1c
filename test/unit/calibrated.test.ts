import { describe, expect, it } from 'vitest'
import { calibrationFromLevel, delaysFromLatency, predictBoth, predictThisMachine, textbookInput } from '../../lab/core/calibrated.js'
import type { ModelInput } from '../../lab/core/model.js'

const loop = (over: Partial<ModelInput> = {}): ModelInput => ({ model: 'event-loop', workers: 1, ioMs: 50, cpuMs: 0, connections: 10_000, cores: 2, ...over })
const pool = (over: Partial<ModelInput> = {}): ModelInput => ({ model: 'prefork', workers: 64, ioMs: 50, cpuMs: 0, connections: 256, cores: 2, ...over })

describe('calibrationFromLevel', () => {
  it('turns an event loop at 103 % of a core for 12,525 req/s into 0.0822 ms per request', () => {
    const c = calibrationFromLevel({ serverCpuPercent: 103, clientCpuPercent: 90, perSecond: 12_525 })
    expect(c.serverMsPerRequest).toBeCloseTo(1030 / 12_525, 12)
    expect(c.clientMsPerRequest).toBeCloseTo(900 / 12_525, 12)
    expect(c.proxyMsPerRequest).toBeUndefined()
  })

  it('records the proxy’s cost when there is one', () => {
    expect(calibrationFromLevel({ serverCpuPercent: 50, clientCpuPercent: 20, proxyCpuPercent: 40, perSecond: 4000 }).proxyMsPerRequest).toBeCloseTo(0.1, 12)
  })

  it('refuses a level that answered nothing', () => {
    expect(() => calibrationFromLevel({ serverCpuPercent: 5, clientCpuPercent: 5, perSecond: 0 })).toThrow(RangeError)
  })
})

describe('predictThisMachine', () => {
  it('saturates an event loop at 1 / 0.08 ms = 12,500 req/s with 10,000 connections waiting 50 ms (textbook: 200,000)', () => {
    // the client at 0.03 ms per request takes 12,500 × 0.03 ms = 0.375 of a core and leaves the loop its whole core
    const both = predictBoth(loop(), { serverMsPerRequest: 0.08, clientMsPerRequest: 0.03 })
    expect(both.textbook.perSecond).toBeCloseTo(200_000, 3)
    const m = both.thisMachine
    expect(m?.perSecond).toBeCloseTo(12_500, 3)
    expect(m?.clientCores).toBeCloseTo(0.375, 6)
    expect(m?.meanMs).toBeCloseTo(800, 3) // Little: 10,000 / 12,500 req/s
    expect(m?.clientBound).toBe(false)
  })

  it('takes the client share out of the loop’s core on a 1-core machine: 1 / (0.08 + 0.03 ms) = 9,090.9 req/s', () => {
    // X = (1 − X · 0.03 ms) / 0.08 ms  ⇒  X = 1 / 0.11 ms
    const m = predictThisMachine(loop({ cores: 1 }), { serverMsPerRequest: 0.08, clientMsPerRequest: 0.03 })
    expect(m.perSecond).toBeCloseTo(1000 / 0.11, 2)
    expect(m.serverCores).toBeCloseTo(1 - (1000 / 0.11) * 0.00003, 6)
  })

  it('gives 64 workers waiting 50 ms at 256 connections cores / (c_server + c_client) = 2 / 2.35 ms = 851 req/s (textbook: 1,280)', () => {
    // 64 slots would allow 64 / 52.3 ms = 1,224 req/s; the cores left by the client allow X = (2 − X · 0.05 ms) / 2.3 ms
    const both = predictBoth(pool(), { serverMsPerRequest: 2.3, clientMsPerRequest: 0.05 })
    expect(both.textbook.perSecond).toBeCloseTo(1280, 6)
    // the bound is approached from below: 64 slots keep ~20 requests queued for the cores, not infinitely many
    const ratio = (both.thisMachine?.perSecond as number) / (2000 / 2.35)
    expect(ratio).toBeGreaterThan(0.999)
    expect(ratio).toBeLessThan(1)
  })

  it('keeps the pool’s own limit when the cores are not the bottleneck: 64 / 50.1 ms with 0.1 ms per request', () => {
    // CPU demand 0.1 ms on ~2 cores allows ~20,000 req/s; the 64 slots allow 64 / 50.1 ms = 1,277 req/s
    const m = predictThisMachine(pool(), { serverMsPerRequest: 0.1, clientMsPerRequest: 0.05 })
    expect(m.perSecond).toBeCloseTo(64_000 / 50.1, 0)
  })

  it('lets a single-threaded client set the pace when it cannot drive more: 1 / 0.1 ms = 10,000 req/s', () => {
    const m = predictThisMachine(loop({ cores: 4 }), { serverMsPerRequest: 0.02, clientMsPerRequest: 0.1 })
    expect(m.perSecond).toBe(10_000)
    expect(m.clientBound).toBe(true)
    expect(m.clientCores).toBe(1)
    expect(m.meanMs).toBeCloseTo(1000, 9)
  })

  it('adds the calibrated cost to cpu_ms: 4 workers, 10 ms CPU + 0.5 ms, client 0.75 ms → 2 / 11.25 ms = 177.8 req/s', () => {
    const m = predictThisMachine(pool({ workers: 4, ioMs: 0, cpuMs: 10, connections: 64 }), { serverMsPerRequest: 0.5, clientMsPerRequest: 0.75 })
    expect(m.perSecond).toBeCloseTo(2000 / 11.25, 2)
  })

  it('ignores a measured client share and proxy cost in the textbook prediction', () => {
    expect(textbookInput(pool({ clientCpuPercent: 40, proxyMs: 0.3 }))).toEqual(pool())
    expect(predictBoth(pool({ clientCpuPercent: 40 })).thisMachine).toBeNull()
  })

  it('gives nothing where the textbook gives nothing (streams hold every worker)', () => {
    expect(predictThisMachine(pool({ heldSlots: 64 }), { serverMsPerRequest: 0.1, clientMsPerRequest: 0.05 }).perSecond).toBe(0)
  })

  it('refuses a negative cost', () => {
    expect(() => predictThisMachine(pool(), { serverMsPerRequest: -1, clientMsPerRequest: 0.05 })).toThrow(RangeError)
  })
})

describe('the time a request spends outside the servers', () => {
  it('takes the round trip as what a request with no work took less the server CPU, and the timer overshoot as is, never below 0', () => {
    expect(delaysFromLatency({ baseMs: 0.3, timerOvershootMs: 1.1 }, 0.05)).toEqual({ clientDelayMs: 0.25, timerOvershootMs: 1.1 })
    expect(delaysFromLatency({ baseMs: 0.03, timerOvershootMs: -0.02 }, 0.05)).toEqual({ clientDelayMs: 0, timerOvershootMs: 0 })
  })

  it('lengthens every wait by the overshoot and adds the round trip outside the pool: 4 workers waiting 10 ms at 4 connections serve 4 / (10 + 1 + 0.2) ms = 357 req/s, not 400', () => {
    const cal = { serverMsPerRequest: 0, clientMsPerRequest: 0, clientDelayMs: 0.2, timerOvershootMs: 1 }
    const p = predictThisMachine(pool({ workers: 4, ioMs: 10, connections: 4 }), cal)
    expect(p.perSecond).toBeCloseTo(4000 / 11.2, 6)
    // the overshoot holds the worker, the round trip does not: at 16 connections the pool caps at 4 / 11 ms
    expect(predictThisMachine(pool({ workers: 4, ioMs: 10, connections: 16 }), cal).perSecond).toBeCloseTo(4000 / 11, 0)
  })

  it('adds no overshoot to a request that does not wait', () => {
    const cal = { serverMsPerRequest: 0, clientMsPerRequest: 0, clientDelayMs: 0, timerOvershootMs: 1 }
    expect(predictThisMachine(pool({ workers: 1, ioMs: 0, cpuMs: 10, connections: 1 }), cal).perSecond).toBeCloseTo(100, 6)
  })
})

describe('predictThisMachine with a client on CPUs of its own', () => {
  it('leaves the servers every core and only caps the pace at what the client thread drives', () => {
    // 64 workers at 2.3 ms per request on 2 cores: 2 / 2.3 ms = 870 req/s when nothing is taken from them
    const m = predictThisMachine(pool(), { serverMsPerRequest: 2.3, clientMsPerRequest: 0.05 }, { dedicatedClient: true })
    expect(m.perSecond / (2000 / 2.3)).toBeGreaterThan(0.999)
    expect(m.perSecond / (2000 / 2.3)).toBeLessThan(1)
    expect(m.serverCores).toBe(2)
    // the client still cannot drive more than one thread's worth: 1 / 0.1 ms
    expect(predictThisMachine(loop({ connections: 100_000 }), { serverMsPerRequest: 0.01, clientMsPerRequest: 0.1 }, { dedicatedClient: true })).toMatchObject({ perSecond: 10_000, clientBound: true })
  })
})
