import { describe, expect, it } from 'vitest'
import { approximations, levelInput, meanRespawnMs, mva, predict, predictLevel, serverCores, workerKnee, type ModelInput } from '../../lab/core/model.js'

const prefork = (over: Partial<ModelInput>): ModelInput => ({ model: 'prefork', workers: 4, ioMs: 50, cpuMs: 0, connections: 64, cores: 2, ...over })

describe('mva', () => {
  it('gives N / (sum of demands) for one request', () => {
    const r = mva([{ kind: 'delay', demandMs: 40 }, { kind: 'queue', demandMs: 10, servers: 1 }], 1)
    expect(r.throughputPerMs[0]).toBeCloseTo(1 / 50, 12)
    expect(r.responseMs).toBeCloseTo(50, 12)
  })

  it('matches the textbook two-station case (Lazowska et al. 1984, exact MVA by hand)', () => {
    // delay 40 ms + single server 10 ms, N = 2:
    // n=1: R = 40 + 10 = 50, X = 1/50, Q_cpu = 10/50 = 0.2
    // n=2: R = 40 + 10 × 1.2 = 52, X = 2/52
    const r = mva([{ kind: 'delay', demandMs: 40 }, { kind: 'queue', demandMs: 10, servers: 1 }], 2)
    expect(r.throughputPerMs[1]).toBeCloseTo(2 / 52, 12)
  })

  it('treats a one-server load-dependent station like a load-independent one', () => {
    const li = mva([{ kind: 'delay', demandMs: 30 }, { kind: 'queue', demandMs: 10, servers: 1 }], 20)
    const ld = mva([{ kind: 'delay', demandMs: 30 }, { kind: 'rate', ratePerMs: () => 1 / 10 }], 20)
    ld.throughputPerMs.forEach((x, i) => expect(x).toBeCloseTo(li.throughputPerMs[i] as number, 10))
  })
})

describe('predict', () => {
  it('caps 4 sync workers waiting 50 ms at W/S = 80 req/s, latency c / 80', () => {
    const p = predict(prefork({}))
    expect(p.perSecond).toBeCloseTo(80, 6)
    expect(p.meanMs).toBeCloseTo(800, 6)
  })

  it('serves one connection at 1/S below saturation', () => {
    expect(predict(prefork({ connections: 1 })).perSecond).toBeCloseTo(20, 6)
    expect(predict(prefork({ connections: 3 })).perSecond).toBeCloseTo(60, 6)
  })

  it('overlaps waits in an event loop: c / S', () => {
    const p = predict({ model: 'event-loop', workers: 1, ioMs: 50, cpuMs: 0, connections: 128, cores: 2 })
    expect(p.perSecond).toBeCloseTo(2560, 6)
    expect(p.meanMs).toBeCloseTo(50, 6)
  })

  it('runs event-loop CPU work on one core: 1 / cpu, latency c × cpu', () => {
    const p = predict({ model: 'event-loop', workers: 1, ioMs: 0, cpuMs: 10, connections: 64, cores: 2 })
    expect(p.perSecond).toBeCloseTo(100, 6)
    expect(p.meanMs).toBeCloseTo(640, 6)
  })

  it('lets pre-forked workers use every core: cores / cpu', () => {
    expect(predict(prefork({ ioMs: 0, cpuMs: 10 })).perSecond).toBeCloseTo(200, 6)
    expect(predict(prefork({ ioMs: 0, cpuMs: 10, workers: 8 })).perSecond).toBeCloseTo(200, 6)
  })

  it('gives the load generator its measured share of the cores', () => {
    expect(serverCores(2, 25)).toBe(1.75)
    expect(predict(prefork({ ioMs: 0, cpuMs: 10, clientCpuPercent: 25 })).perSecond).toBeCloseTo(175, 6)
  })

  it('adds threads as slots for waits but not as cores under a GIL', () => {
    const io = predict({ model: 'threaded', workers: 2, threads: 8, ioMs: 50, cpuMs: 0, connections: 64, cores: 2 })
    expect(io.perSecond).toBeCloseTo(320, 6) // 16 slots / 50 ms
    const cpu = predict({ model: 'threaded', workers: 1, threads: 8, ioMs: 0, cpuMs: 10, connections: 64, cores: 2 })
    expect(cpu.perSecond).toBeCloseTo(100, 6) // one process: one core
  })

  it('follows the worker sweep: W/0.05 below the knee, the cores above it', () => {
    const sweep = (w: number) => predict(prefork({ workers: w, ioMs: 40, cpuMs: 10 })).perSecond
    expect(workerKnee(2, 40, 10)).toBe(10)
    expect(sweep(1)).toBeCloseTo(20, 6)
    expect(sweep(2) / 40).toBeGreaterThan(0.97)
    expect(sweep(4) / 80).toBeGreaterThan(0.93)
    expect(sweep(16) / 200).toBeGreaterThan(0.95)
    expect(sweep(10)).toBeLessThan(200)
    expect(sweep(10)).toBeGreaterThan(sweep(5))
    // Gunicorn's (2 × cores) + 1 = 5 workers reach about half the ceiling
    expect(sweep(5) / 200).toBeGreaterThan(0.45)
    expect(sweep(5) / 200).toBeLessThan(0.52)
  })

  it('adds a proxy as its own CPU station', () => {
    const bare = predict({ model: 'event-loop', workers: 1, ioMs: 50, cpuMs: 0, connections: 1, cores: 2 })
    const proxied = predict({ model: 'event-loop', workers: 1, ioMs: 50, cpuMs: 0, connections: 1, cores: 2, proxyMs: 0.5 })
    expect(proxied.meanMs).toBeCloseTo(bare.meanMs + 0.5, 6)
  })

  it('refuses zero connections', () => {
    expect(() => predict(prefork({ connections: 0 }))).toThrow(RangeError)
  })
})

describe('predict with streams and hung requests', () => {
  it('gives 0 req/s when streams hold every sync worker', () => {
    expect(predict(prefork({ heldSlots: 4 })).perSecond).toBe(0)
  })

  it('leaves W − streams workers for the load', () => {
    expect(predict(prefork({ heldSlots: 2 })).perSecond).toBeCloseTo(40, 6)
  })

  it('ignores streams in an event loop', () => {
    expect(predict({ model: 'event-loop', workers: 1, ioMs: 50, cpuMs: 0, connections: 32, cores: 2, heldSlots: 200 }).perSecond).toBeCloseTo(640, 6)
  })

  it('lets 5 % of requests hung until a 1 s timeout cut a pool waiting 50 ms by more than half', () => {
    // hung hold = 1000 ms timeout + 250/2 ms watchdog lag + 100 ms boot = 1225 ms
    // mean hold = 0.95 × 50 + 0.05 × 1225 = 108.75 ms; 4 / 108.75 ms = 36.8 req/s, 95 % of them answered
    const p = predict(prefork({ hangPct: 5, timeoutMs: 1000, watchdogMs: 250, respawnMs: 100 }))
    expect(p.perSecond).toBeCloseTo((4 / 108.75) * 1000 * 0.95, 6)
  })

  it('charges each crash a worker boot of capacity', () => {
    // mean hold = 0.9 × 50 + 0.1 × 300 = 75 ms; 4 / 75 ms = 53.3 req/s, 90 % answered
    const p = predict(prefork({ crashPct: 10, respawnMs: 300 }))
    expect(p.perSecond).toBeCloseTo((4 / 75) * 1000 * 0.9, 6)
  })

  it('charges each worker replacement after max_requests a boot of slot time: 4 workers × 40 requests per (40 × 20 ms + 928 ms) = 92.6 req/s', () => {
    const p = predict(prefork({ ioMs: 20, connections: 16, maxRequests: 40, respawnMs: 928 }))
    expect(p.perSecond).toBeCloseTo((4 * 40) / 1.728, 1)
    expect(p.approximate).toContain('Recycling: each worker')
    // max_requests 40 with jitter 40: a mean of 60 requests per worker (randint(0, 40) adds 20)
    const input = levelInput({ server: { model: 'prefork', workers: 4, max_requests: 40, max_requests_jitter: 40 } }, { io_ms: 20, cpu_ms: 0 }, 16, 2)
    expect(input?.maxRequests).toBe(60)
  })

  it('predicts the answered requests of an event loop with a concurrency limit', () => {
    const p = predict({ model: 'event-loop', workers: 1, ioMs: 50, cpuMs: 0, connections: 256, cores: 2, limitConcurrency: 32 })
    expect(p.perSecond).toBeCloseTo(640, 6)
  })
})

describe('meanRespawnMs', () => {
  it('pairs each worker exit with the next boot', () => {
    const events = [
      { t: 1.0, kind: 'worker-timeout' },
      { t: 1.01, kind: 'worker-exit' },
      { t: 1.21, kind: 'worker-spawn' },
      { t: 2.0, kind: 'worker-exit' },
      { t: 2.4, kind: 'worker-spawn' },
    ]
    expect(meanRespawnMs(events)).toBeCloseTo(300, 6)
  })

  it('has nothing to say without a boot', () => {
    expect(meanRespawnMs([{ t: 1, kind: 'worker-exit' }])).toBeUndefined()
  })
})

describe('predict for an event loop with faults', () => {
  it('answers nothing once its only process has crashed', () => {
    expect(predict({ model: 'event-loop', workers: 1, ioMs: 50, cpuMs: 0, connections: 16, cores: 2, crashPct: 1 }).perSecond).toBe(0)
  })

  it('lets a hung request hold its connection until the client gives up', () => {
    // cycle = 0.95 × 50 + 0.05 × 10 000 = 547.5 ms; 16 connections / 547.5 ms × 95 % answered
    const p = predict({ model: 'event-loop', workers: 1, ioMs: 50, cpuMs: 0, connections: 16, cores: 2, hangPct: 5, clientTimeoutMs: 10_000 })
    expect(p.perSecond).toBeCloseTo((16 / 547.5) * 1000 * 0.95, 6)
  })
})

describe('mva with stations whose rate stops growing', () => {
  it('gives the same throughput whether or not a load-dependent rate is declared constant from m on', () => {
    const rate = (j: number) => Math.min(j, 3) / 20
    const full = mva([{ kind: 'delay', demandMs: 30 }, { kind: 'rate', ratePerMs: rate }], 50)
    const cut = mva([{ kind: 'delay', demandMs: 30 }, { kind: 'rate', ratePerMs: rate, constantFrom: 3 }], 50)
    cut.throughputPerMs.forEach((x, i) => expect(x).toBeCloseTo(full.throughputPerMs[i] as number, 12))
  })

  it('treats a station with a fractional share of one core as one slower server', () => {
    // 0.5 of a core at 10 ms of CPU is one server at 20 ms: delay 40 + 20, N = 2 → R = 40 + 20 × (1 + 20/60)
    const r = mva([{ kind: 'delay', demandMs: 40 }, { kind: 'queue', demandMs: 10, servers: 0.5 }], 2)
    expect(r.throughputPerMs[1]).toBeCloseTo(2 / (40 + 20 * (1 + 20 / 60)), 12)
  })

  it('solves 10,000 connections in front of 64 sync workers: W / S = 1280 req/s', () => {
    expect(predict(prefork({ workers: 64, connections: 10_000 })).perSecond).toBeCloseTo(1280, 6)
  })
})

describe('predict charges CPU only to the attempts that do the work', () => {
  it('lets an event loop answer 1 / cpu when 5 % of requests hang before their work: 100 req/s, not 95', () => {
    // a hung attempt holds its connection for the client's timeout but burns no CPU; deep in saturation
    // the loop completes one answered request per 10 ms of CPU
    const p = predict({ model: 'event-loop', workers: 1, ioMs: 0, cpuMs: 10, connections: 10_000, cores: 2, hangPct: 5, clientTimeoutMs: 10_000 })
    expect(p.perSecond).toBeCloseTo(100, 3)
  })

  it('gives one connection of that loop 0.95 / (500 + 9.5 ms) answered', () => {
    // cycle = 0.05 × 10 000 ms hung + 0.95 × 10 ms of CPU = 509.5 ms
    const p = predict({ model: 'event-loop', workers: 1, ioMs: 0, cpuMs: 10, connections: 1, cores: 2, hangPct: 5, clientTimeoutMs: 10_000 })
    expect(p.perSecond).toBeCloseTo((0.95 * 1000) / 509.5, 9)
  })

  it('lets 64 workers on 2 cores answer cores / cpu = 200 req/s although 10 % of attempts crash', () => {
    // crashed attempts cost a 100 ms boot of the slot, no CPU: the cores serve only answered requests
    const p = predict(prefork({ workers: 64, ioMs: 0, cpuMs: 10, crashPct: 10, respawnMs: 100 }))
    expect(p.perSecond).toBeCloseTo(200, 3)
  })
})

describe('predict with threads (Gunicorn gthread)', () => {
  it('selects the threaded case when a prefork server has threads > 1: 2 × 4 threads waiting 50 ms serve 160 req/s', () => {
    expect(predict(prefork({ workers: 2, threads: 4 })).perSecond).toBeCloseTo(160, 6)
    expect(predictLevel({ server: { model: 'prefork', workers: 2, threads: 4 } }, { io_ms: 50, cpu_ms: 0 }, 64, 2).perSecond).toBeCloseTo(160, 6)
  })

  it('serialises one process’s threads on the GIL: 1 × 3 threads, 20 ms wait + 10 ms CPU, 3 connections = 3 / 38 ms', () => {
    // exact MVA by hand, delay 20 + one CPU server 10:
    // n=1: R = 30, X = 1/30, Q = 1/3; n=2: R = 20 + 10 × 4/3, X = 0.06, Q = 0.8; n=3: R = 20 + 10 × 1.8 = 38
    expect(predict(prefork({ workers: 1, threads: 3, ioMs: 20, cpuMs: 10, connections: 3 })).perSecond).toBeCloseTo(3000 / 38, 9)
  })

  it('runs two single-threaded processes on two cores with no queueing: 2 / 30 ms', () => {
    expect(predict(prefork({ workers: 2, ioMs: 20, cpuMs: 10, connections: 2 })).perSecond).toBeCloseTo(2000 / 30, 9)
  })
})

describe('predictLevel passes the client timeout once', () => {
  it('holds a hung event-loop request for the client timeout it is given: 16 / (0.95 × 50 + 0.05 × 2000 ms)', () => {
    const p = predictLevel({ server: { model: 'event-loop', workers: 1 } }, { io_ms: 50, cpu_ms: 0, hang_pct: 5 }, 16, 2, undefined, undefined, undefined, 2)
    expect(p.perSecond).toBeCloseTo((16 / 147.5) * 1000 * 0.95, 6)
  })
})

describe('predict says when it approximates', () => {
  it('calls an event loop that queues for its CPU an approximation, and says why', () => {
    const p = predict({ model: 'event-loop', workers: 1, ioMs: 0, cpuMs: 10, connections: 64, cores: 2 })
    expect(p.approximate).toMatch(/Event loop: CPU work is fixed-length and served first come, first served, which is not product-form/)
  })

  it('calls waits that overlap exact', () => {
    expect(predict({ model: 'event-loop', workers: 1, ioMs: 50, cpuMs: 0, connections: 128, cores: 2 }).approximate).toBeUndefined()
    expect(predict(prefork({})).approximate).toBeUndefined()
  })

  it('calls one connection exact: nothing ever queues', () => {
    expect(predict({ model: 'event-loop', workers: 1, ioMs: 0, cpuMs: 10, connections: 1, cores: 2 }).approximate).toBeUndefined()
  })

  it('names the GIL bound when several threaded processes burn CPU', () => {
    expect(approximations(prefork({ workers: 2, threads: 4, cpuMs: 10 }), 2).join(' ')).toContain('Threads: the GIL is modelled as 2 CPU servers shared by all 8 threads')
  })
})

describe('mva stays exact deep in saturation', () => {
  it('gives 64 workers with 50 ms wait + 2.3 ms CPU the same 868.78 req/s at 64, 100, 256 and 10,000 connections', () => {
    // past 64 connections the pool is full: extra connections wait in the backlog and change nothing.
    // (1 − Σ p(j) for the idle probability once gave 596 req/s at 100 connections.)
    const at = (c: number) => predict(prefork({ workers: 64, ioMs: 50, cpuMs: 2.3, connections: c })).perSecond
    const full = at(64)
    expect(full).toBeCloseTo(868.7787, 3)
    for (const c of [100, 256, 10_000]) expect(at(c)).toBeCloseTo(full, 6)
  })
})
