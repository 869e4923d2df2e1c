/**
 * Gunicorn's worker classes as engines (lab/engines/gunicorn-workers.ts):
 * what each does with concurrent waits, over real HTTP. One gevent worker
 * overlaps waits that yield (`time.sleep`, monkey-patched) and serves waits
 * in C (`wsgi-c-sleep`) one after another; Gunicorn with two Uvicorn workers
 * overlaps waits in each loop. Each test stops what it started.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, expect, it } from 'vitest'
import type { ServerDef } from '../../lab/core/scenario.js'
import { liveGroupCount } from '../../lab/topology/group.js'
import { startTopology } from '../../lab/topology/topology.js'
import { engine, needs } from '../support/tools.js'

const [gevent, uvicornWorker] = await Promise.all([engine('gunicorn-gevent'), engine('gunicorn-uvicorn')])
const runDir = mkdtempSync(path.join(os.tmpdir(), 'lab-gunicorn-workers-'))
afterAll(() => rmSync(runDir, { recursive: true, force: true }))

/** Milliseconds until `n` concurrent `GET /work?io_ms=ioMs` all answered 200, and the worker pids that answered. */
async function concurrent(url: string, n: number, ioMs: number): Promise<{ ms: number; workers: Set<string> }> {
  const started = performance.now()
  const replies = await Promise.all(Array.from({ length: n }, () => fetch(`${url}/work?io_ms=${ioMs}`, { signal: AbortSignal.timeout(20_000) })))
  for (const r of replies) expect(r.status).toBe(200)
  await Promise.all(replies.map((r) => r.text()))
  return { ms: performance.now() - started, workers: new Set(replies.map((r) => r.headers.get('x-worker') ?? '')) }
}

async function serve<T>(id: string, server: Partial<ServerDef>, body: (url: string) => Promise<T>): Promise<T> {
  const def = { server: { model: 'event-loop', workers: 1, timeout_s: 30, backlog: 2048, ...server } as ServerDef }
  const t = await startTopology(id, def, { stack: 'python', runDir, readyTimeoutMs: 60_000 })
  try {
    expect(t.engines.server).toBe(server.engine)
    return await body(t.url)
  } finally {
    await t.stop()
  }
}

needs(gevent).describe('gunicorn-gevent', () => {
  it('overlaps 8 waits of 300 ms in one worker when the wait yields', async () => {
    const { ms, workers } = await serve('gevent-yield', { engine: 'gunicorn-gevent' }, (url) => concurrent(url, 8, 300))
    expect(workers.size).toBe(1)
    // one after another would take 8 × 300 = 2,400 ms
    expect(ms).toBeLessThan(1_500)
  }, 90_000)

  it('serves 8 waits of 300 ms in C one after another: the wait holds every greenlet of the worker', async () => {
    const { ms, workers } = await serve('gevent-c-sleep', { engine: 'gunicorn-gevent', app: 'wsgi-c-sleep' }, (url) => concurrent(url, 8, 300))
    expect(workers.size).toBe(1)
    expect(ms).toBeGreaterThanOrEqual(8 * 300 - 50)
    expect(liveGroupCount()).toBe(0)
  }, 90_000)
})

needs(uvicornWorker).describe('gunicorn-uvicorn', () => {
  it('serves the ASGI app from two Uvicorn workers under one master, overlapping waits', async () => {
    const { ms } = await serve('uvicorn-worker', { engine: 'gunicorn-uvicorn', workers: 2 }, (url) => concurrent(url, 8, 300))
    expect(ms).toBeLessThan(1_500)
    expect(liveGroupCount()).toBe(0)
  }, 90_000)
})
