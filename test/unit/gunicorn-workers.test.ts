import { describe, expect, it } from 'vitest'
import { levelInput, predict, predictLevel } from '../../lab/core/model.js'
import { ENGINES, resolveTopology } from '../../lab/engines/registry.js'
import { effectiveWorkerClass, gunicornArgs } from '../../lab/engines/gunicorn.js'
import { detectWorkerClass } from '../../lab/engines/gunicorn-workers.js'

const after = (a: string[], flag: string) => a[a.indexOf(flag) + 1]

describe('Gunicorn worker classes as engines', () => {
  it('passes gevent and the Uvicorn worker to --worker-class as asked, without --threads', () => {
    for (const workerClass of ['gevent', 'uvicorn.workers.UvicornWorker'] as const) {
      const a = gunicornArgs({ port: 9000, app: 'asgi_app:app', workers: 2, workerClass, threads: 4, timeoutS: 30, backlog: 64 })
      expect(after(a, '--worker-class')).toBe(workerClass)
      expect(a).not.toContain('--threads')
      expect(effectiveWorkerClass({ workerClass, threads: 4 })).toBe(workerClass)
    }
  })

  it('resolves each worker class to its engine, its model and its app interface', () => {
    const gevent = resolveTopology({ server: { model: 'event-loop', engine: 'gunicorn-gevent', workers: 2, timeout_s: 30, backlog: 2048 } }, 'python')
    expect([gevent.server.name, gevent.app?.entry]).toEqual(['gunicorn-gevent', 'wsgi_app:application'])
    const uv = resolveTopology({ server: { model: 'event-loop', engine: 'gunicorn-uvicorn', workers: 2, timeout_s: 30, backlog: 2048 } }, 'python')
    expect([uv.server.name, uv.app?.entry]).toEqual(['gunicorn-uvicorn', 'asgi_app:app'])
    expect(ENGINES['gunicorn-gthread'].models).toEqual(['threaded'])
    expect(() => resolveTopology({ server: { model: 'prefork', engine: 'gunicorn-gevent', workers: 2, timeout_s: 30, backlog: 2048 } }, 'python')).toThrow(/does not run model prefork/)
  })

  it('reports a worker class missing when Gunicorn is not in the search path', async () => {
    const info = await detectWorkerClass({ name: 'gunicorn-gevent', needs: { distribution: 'gevent', package: 'python3-gevent' } }, { searchPath: ['/nonexistent'] })
    expect(info).toMatchObject({ name: 'gunicorn-gevent', found: false })
    expect(info.problem).toMatch(/no gunicorn in \/nonexistent/)
  })
})

describe('the model: event loops under a master, and waits that do not yield', () => {
  const base = { ioMs: 0, cpuMs: 10, connections: 16, cores: 2, workers: 1 } as const

  it('gives W loops min(cores, W) CPU servers: 2 / 10 ms = 200 req/s on 2 cores, 100 req/s for one loop', () => {
    expect(predict({ ...base, model: 'event-loop', loops: 4 }).perSecond).toBeCloseTo(200, 6)
    expect(predict({ ...base, model: 'event-loop' }).perSecond).toBeCloseTo(100, 6)
  })

  it('overlaps every wait in one loop: 16 connections on 50 ms waits give 16 / 50 ms = 320 req/s', () => {
    expect(predict({ ...base, model: 'event-loop', loops: 1, ioMs: 50, cpuMs: 0 }).perSecond).toBeCloseTo(320, 6)
  })

  it('reads gevent workers as loops, and a loop whose waits are in C as a pool of one slot per loop: 1 / 50 ms = 20 req/s', () => {
    const io = { io_ms: 50, cpu_ms: 0 }
    const gevent = { server: { model: 'event-loop' as const, engine: 'gunicorn-gevent', workers: 1 } }
    expect(levelInput(gevent, io, 16, 2)?.loops).toBe(1)
    expect(predictLevel(gevent, io, 16, 2).perSecond).toBeCloseTo(320, 6)
    const blocked = { server: { ...gevent.server, app: 'wsgi-c-sleep' } }
    expect(levelInput(blocked, io, 16, 2)).toMatchObject({ model: 'prefork', workers: 1 })
    expect(predictLevel(blocked, io, 16, 2).perSecond).toBeCloseTo(20, 6)
    // two workers: two slots, 40 req/s
    expect(predictLevel({ server: { ...blocked.server, workers: 2 } }, io, 16, 2).perSecond).toBeCloseTo(40, 6)
  })

  it('keeps one loop for Uvicorn alone, whatever its workers field says', () => {
    const uvicorn = { server: { model: 'event-loop' as const, engine: 'uvicorn', workers: 4 } }
    expect(levelInput(uvicorn, { io_ms: 0, cpu_ms: 10 }, 16, 2)?.loops).toBeUndefined()
    expect(predictLevel(uvicorn, { io_ms: 0, cpu_ms: 10 }, 16, 2).perSecond).toBeCloseTo(100, 6)
  })

  it('says the loops are an upper bound when several share CPU work', () => {
    expect(predict({ ...base, model: 'event-loop', loops: 2 }).approximate).toMatch(/2 workers' event loops .* upper bound/)
  })

  it('predicts the GIL: W=1 T=8 caps at 1 / 10 ms = 100 req/s on CPU work, W=8 T=1 at 2 / 10 ms = 200; both 8 / 50 ms = 160 on waits', () => {
    const t = (workers: number, threads: number, ioMs: number, cpuMs: number) => predict({ model: 'threaded', workers, threads, ioMs, cpuMs, connections: 16, cores: 2 }).perSecond
    expect(t(1, 8, 0, 10)).toBeCloseTo(100, 6)
    expect(t(8, 1, 0, 10)).toBeCloseTo(200, 6)
    expect(t(1, 8, 50, 0)).toBeCloseTo(160, 6)
    expect(t(8, 1, 50, 0)).toBeCloseTo(160, 6)
  })
})
