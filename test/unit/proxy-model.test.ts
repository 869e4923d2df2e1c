/** The queueing model's view of proxies (lab/core/model.ts): several upstreams, mixes, slow clients, the proxy's CPU. */
import { describe, expect, it } from 'vitest'
import { heldBySlowClients, levelInput, predictLevel, proxyCpuMs } from '../../lab/core/model.js'

const server = (workers: number) => ({ model: 'prefork' as const, workers, timeout_s: 30 })

describe('the model behind a proxy', () => {
  it('pools the workers of several upstreams behind least connections: 3 × 2 workers on a 59 ms mean demand serve ≈ 102 req/s', () => {
    const mix = [{ weight: 9, io_ms: 10 }, { weight: 1, io_ms: 500 }]
    const p = predictLevel({ server: server(2), proxy: { balance: 'least-conn' }, upstreams: 3 }, { io_ms: 0, cpu_ms: 0, mix }, 256, 2)
    expect(p.perSecond).toBeCloseTo(6000 / 59, 0)
    // round-robin (the default) keeps less of it, even with every upstream's queue long
    const rr = predictLevel({ server: server(2), proxy: {}, upstreams: 3 }, { io_ms: 0, cpu_ms: 0, mix }, 256, 2)
    expect(rr.perSecond).toBeLessThan(0.99 * p.perSecond)
    expect(rr.perSecond).toBeGreaterThan(0.85 * p.perSecond)
  })

  it('ignores upstreams without a proxy (the schema refuses them anyway)', () => {
    const p = predictLevel({ server: server(2), upstreams: 3 }, { io_ms: 50, cpu_ms: 0 }, 64, 2)
    expect(p.perSecond).toBeCloseTo(40, 5)
  })

  it('predicts nothing for a mix split by connection with static files (it has no cost for them)', () => {
    const p = predictLevel(
      { server: server(4), proxy: { static_dir: 'static' } },
      { io_ms: 0, cpu_ms: 0, mix_split: 'connections', mix: [{ weight: 1, io_ms: 50 }, { weight: 1, static: 'a.css' }] },
      16,
      2,
    )
    expect(Number.isNaN(p.perSecond)).toBe(true)
  })

  it('adds the CPU a proxy spends per response as its own station', () => {
    const bare = predictLevel({ server: server(64), proxy: {} }, { io_ms: 0, cpu_ms: 1 }, 64, 2)
    const costly = predictLevel({ server: server(64), proxy: {} }, { io_ms: 0, cpu_ms: 1 }, 64, 2, 0, undefined, 1)
    expect(costly.perSecond).toBeLessThan(bare.perSecond)
    expect(proxyCpuMs(50, 500)).toBe(1) // half a core for 500 req/s is 1 ms per response
    expect(proxyCpuMs(50, 0)).toBeUndefined()
  })
})

describe('slow clients in the model', () => {
  const headers = { count: 3, mode: 'slow-headers' as const }
  const body = { count: 3, mode: 'slow-body' as const }
  const reader = (bytes: number) => ({ count: 3, mode: 'slow-reader' as const, response_bytes: bytes })

  it('hold every worker of a bare prefork: 3 Slowloris clients against 3 workers leave 0 req/s', () => {
    expect(heldBySlowClients({}, headers)).toBe(3)
    expect(predictLevel({ server: server(3) }, { io_ms: 10, cpu_ms: 0, slow_clients: headers }, 16, 2).perSecond).toBe(0)
  })

  it('hold no worker behind a proxy, which reads request headers whole: W/S = 300 req/s', () => {
    expect(heldBySlowClients({ proxy: {} }, headers)).toBe(0)
    expect(predictLevel({ server: server(3), proxy: {} }, { io_ms: 10, cpu_ms: 0, slow_clients: headers }, 16, 2).perSecond).toBeCloseTo(300, 5)
  })

  it('hold workers through a proxy only when the buffer that would stop them is off', () => {
    expect(heldBySlowClients({ proxy: { request_buffering: true } }, body)).toBe(0)
    expect(heldBySlowClients({ proxy: { request_buffering: false } }, body)).toBe(3)
    expect(heldBySlowClients({ proxy: { buffering: true } }, reader(10_000_000))).toBe(0)
    expect(heldBySlowClients({ proxy: { buffering: false } }, reader(10_000_000))).toBe(3)
  })

  it('hold workers through Apache and Caddy by their streaming defaults, and not with engine_buffering', () => {
    // Apache prefetches 16 KiB of a body before it contacts an upstream: a 1 byte/s upload never gets there
    expect(heldBySlowClients({ proxy: { engine: 'apache' } }, body)).toBe(0)
    expect(heldBySlowClients({ proxy: { engine: 'apache' } }, reader(10_000_000))).toBe(3)
    expect(heldBySlowClients({ proxy: { engine: 'apache', engine_buffering: true } }, reader(10_000_000))).toBe(3)
    expect(heldBySlowClients({ proxy: { engine: 'caddy' } }, body)).toBe(3)
    expect(heldBySlowClients({ proxy: { engine: 'caddy' } }, reader(10_000_000))).toBe(3)
    expect(heldBySlowClients({ proxy: { engine: 'caddy', engine_buffering: true } }, body)).toBe(0)
    expect(heldBySlowClients({ proxy: { engine: 'caddy', engine_buffering: true } }, reader(10_000_000))).toBe(0)
  })

  it('do not hold a worker when the answer fits in the socket buffers on the way', () => {
    expect(heldBySlowClients({}, reader(1_000_000))).toBe(0)
    expect(heldBySlowClients({}, reader(4_000_000))).toBe(3)
    expect(heldBySlowClients({ proxy: { buffering: false } }, reader(4_000_000))).toBe(0)
  })

  it('leave an event loop alone', () => {
    const p = predictLevel({ server: { model: 'event-loop', workers: 1 } }, { io_ms: 10, cpu_ms: 0, slow_clients: headers }, 16, 2)
    expect(p.perSecond).toBeCloseTo(1600, 5)
  })
})

describe('a proxy with a micro-cache', () => {
  it('gets no prediction, rather than the uncached pool figure the model would give', () => {
    const def = { server: server(4), proxy: { cache_ttl_s: 1 } }
    expect(levelInput(def, { io_ms: 200, cpu_ms: 0 }, 32, 2)).toBeUndefined()
    expect(predictLevel({ server: server(4), proxy: {} }, { io_ms: 200, cpu_ms: 0 }, 32, 2).perSecond).toBeCloseTo(20, 5)
  })
})
