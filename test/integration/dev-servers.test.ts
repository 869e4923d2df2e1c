/**
 * How the development servers and the built-in threaded server serve
 * concurrent requests, timed over real HTTP: wsgiref one at a time, Werkzeug
 * (threaded, as `flask run` starts it) all at once, node-threaded T at a time
 * per process on waits and one at a time on CPU work. Lower bounds are what
 * the model forbids beating; upper bounds are half-way to the next slower
 * model, wide enough for a loaded 2-core machine.
 */
import http from 'node:http'
import { afterEach, expect, it } from 'vitest'
import { topologySchema } from '../../lab/core/scenario.js'
import { liveGroupCount } from '../../lab/topology/group.js'
import { startTopology, type RunningTopology } from '../../lab/topology/topology.js'
import { engine, needs } from '../support/tools.js'

const [wsgiref, werkzeug] = await Promise.all([engine('wsgiref'), engine('werkzeug')])

let running: RunningTopology | undefined
afterEach(async () => {
  await running?.stop()
  running = undefined
  expect(liveGroupCount()).toBe(0)
})

/** GET on a fresh connection; resolves with the status and X-Worker. */
function get(url: string): Promise<{ status: number; worker: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: 20_000 }, (res) => {
      res.resume()
      res.on('end', () => resolve({ status: res.statusCode ?? 0, worker: String(res.headers['x-worker']) }))
    })
    req.on('timeout', () => req.destroy(new Error(`${url}: no answer in 20 s`)))
    req.on('error', reject)
  })
}

/** Sends `n` requests at once and returns the wall time until the last answer, ms, and the answers. */
async function burst(n: number, query: string) {
  const t0 = performance.now()
  const answers = await Promise.all(Array.from({ length: n }, () => get(`${running?.url}/work?${query}`)))
  return { ms: performance.now() - t0, answers }
}

async function start(server: Record<string, unknown>, stack: 'node' | 'python') {
  running = await startTopology('dev', topologySchema.parse({ server }), { stack, readyTimeoutMs: 30_000 })
}

needs(wsgiref).it('wsgiref serves one request at a time: 3 waits of 300 ms take at least 900 ms, all in its one process', async () => {
  await start({ model: 'prefork', engine: 'wsgiref', workers: 1 }, 'python')
  const { ms, answers } = await burst(3, 'io_ms=300&bytes=10')
  expect(answers.map((a) => a.status)).toEqual([200, 200, 200])
  expect(new Set(answers.map((a) => a.worker)).size).toBe(1)
  expect(ms).toBeGreaterThanOrEqual(880)
})

needs(werkzeug).it('Werkzeug threaded (flask run’s default) overlaps waits: 4 waits of 400 ms take less than two of them in a row', async () => {
  await start({ model: 'threaded', engine: 'werkzeug', workers: 1 }, 'python')
  const { ms, answers } = await burst(4, 'io_ms=400&bytes=10')
  expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200])
  expect(ms).toBeGreaterThanOrEqual(390)
  expect(ms).toBeLessThan(800)
})

needs(werkzeug).it('Werkzeug without threads serves one request at a time', async () => {
  await start({ model: 'prefork', engine: 'werkzeug', workers: 1 }, 'python')
  const { ms } = await burst(3, 'io_ms=300&bytes=10')
  expect(ms).toBeGreaterThanOrEqual(880)
})

it('node-threaded overlaps waits T at a time per process: 6 waits of 300 ms on 1 × 2 threads take three rounds', async () => {
  await start({ model: 'threaded', workers: 1, threads: 2 }, 'node')
  expect(running?.engines.server).toBe('node-threaded')
  const { ms, answers } = await burst(6, 'io_ms=300&bytes=10')
  expect(answers.every((a) => a.status === 200)).toBe(true)
  expect(ms).toBeGreaterThanOrEqual(880)
  expect(ms).toBeLessThan(1500)
})

it('node-threaded runs the CPU work of one process one request at a time, as under a GIL: 4 × 150 ms on 1 × 4 threads take at least 600 ms', async () => {
  await start({ model: 'threaded', workers: 1, threads: 4 }, 'node')
  const { ms, answers } = await burst(4, 'cpu_ms=150&bytes=10')
  expect(answers.every((a) => a.status === 200)).toBe(true)
  expect(ms).toBeGreaterThanOrEqual(590)
})

it('node-threaded hands connections to every worker process in turn', async () => {
  await start({ model: 'threaded', workers: 2, threads: 2 }, 'node')
  const workers = running?.processes().filter((p) => p.role === 'worker').map((p) => String(p.pid)) ?? []
  expect(workers).toHaveLength(2)
  const { answers } = await burst(8, 'io_ms=100&bytes=10')
  expect(new Set(answers.map((a) => a.worker))).toEqual(new Set(workers))
})

it('node-threaded frees the thread of a request whose client left while it waited for one', async () => {
  await start({ model: 'threaded', workers: 1, threads: 2 }, 'node')
  const url = `${running?.url}/work?io_ms=300&bytes=10`
  // 2 requests take both threads; 4 more wait, and their clients leave
  const held = Array.from({ length: 6 }, () => http.get(url, { agent: false }).on('error', () => {}))
  await new Promise((r) => setTimeout(r, 100))
  for (const r of held.slice(2)) r.destroy()
  const answers = await Promise.all([get(url), get(url)])
  expect(answers.map((a) => a.status)).toEqual([200, 200])
})
