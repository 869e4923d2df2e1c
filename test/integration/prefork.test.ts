import http from 'node:http'
import net from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { validateScenario, type TopologyDef } from '../../lab/core/scenario.js'
import { AutocannonDriver } from '../../lab/load/autocannon.js'
import { startTopology, type RunningTopology } from '../../lab/topology/topology.js'
import { stopAndCheck, waitFor } from './helpers.js'

function prefork(server: Record<string, unknown>): TopologyDef {
  const v = validateScenario({
    name: 't', title: 't', summary: 't',
    topologies: { p: { server: { model: 'prefork', ...server } } },
    workloads: { w: {} },
    load: { connections: [1] },
  })
  if (!v.ok) throw new Error(v.problems.join('\n'))
  return v.value.topologies.p as TopologyDef
}

let running: RunningTopology | undefined
afterEach(async () => {
  await stopAndCheck(running)
  running = undefined
})

describe('the built-in prefork server', () => {
  it("serves W/S = 40 req/s with 2 workers waiting 50 ms, and its latency obeys Little's law", async () => {
    running = await startTopology('p', prefork({ workers: 2 }))
    const m = await new AutocannonDriver().runLevel({
      url: `${running.url}/work?io_ms=50&cpu_ms=0&bytes=1024`,
      connections: 16,
      warmupS: 1,
      durationS: 3,
      timeoutS: 10,
    })
    expect(m.requests.perSecond.mean).toBeGreaterThan(36)
    expect(m.requests.perSecond.mean).toBeLessThan(44)
    const expectedMs = (16 * 1000) / m.requests.perSecond.mean
    expect(m.latencyMs.mean / expectedMs).toBeGreaterThan(0.9)
    expect(m.latencyMs.mean / expectedMs).toBeLessThan(1.1)
    expect(m.errors.total).toBe(0)
    // both workers take from the one accept queue, so they share the load evenly
    const counts = Object.values(m.perWorker)
    expect(counts).toHaveLength(2)
    expect(Math.min(...counts) / Math.max(...counts)).toBeGreaterThan(0.8)
  })

  it('closes the connection after every response, like Gunicorn sync', async () => {
    running = await startTopology('p', prefork({ workers: 1 }))
    const res = await fetch(`${running.url}/work?bytes=10`)
    expect(res.headers.get('connection')).toBe('close')
    expect(res.headers.get('x-worker')).toMatch(/^\d+$/)
    expect((await res.arrayBuffer()).byteLength).toBe(10)
  })

  it('replaces a worker killed with SIGKILL and reports it', async () => {
    running = await startTopology('p', prefork({ workers: 2 }))
    const victim = running.processes().find((p) => p.role === 'worker')?.pid as number
    process.kill(victim, 'SIGKILL')
    const replaced = await waitFor(() => {
      const workers = running?.processes().filter((p) => p.role === 'worker') ?? []
      return workers.length === 2 && !workers.some((w) => w.pid === victim)
    })
    expect(replaced).toBe(true)
    expect(running.events().map((e) => e.kind)).toEqual(['worker-exit', 'worker-spawn'])
    expect((await fetch(`${running.url}/health`)).status).toBe(200)
  })

  it('kills and replaces a worker busy longer than timeout_s', async () => {
    running = await startTopology('p', prefork({ workers: 1, timeout_s: 1 }))
    const started = Date.now()
    await expect(fetch(`${running.url}/work?io_ms=5000`)).rejects.toThrow()
    const elapsed = Date.now() - started
    expect(elapsed).toBeGreaterThan(900)
    expect(elapsed).toBeLessThan(3000)
    expect(await waitFor(() => running?.events().some((e) => e.kind === 'worker-spawn') === true)).toBe(true)
    expect(running.events()[0]?.kind).toBe('worker-timeout')
    expect((await fetch(`${running.url}/health`)).status).toBe(200)
  })

  it('answers 400 for a bad parameter and 404 for an unknown path', async () => {
    running = await startTopology('p', prefork({ workers: 1 }))
    expect((await fetch(`${running.url}/work?io_ms=abc`)).status).toBe(400)
    expect((await fetch(`${running.url}/nope`)).status).toBe(404)
  })

  it('leaves the body to the handler: answers POST /health with 405 at once, without waiting for its announced 1 MB, and closes', async () => {
    running = await startTopology('p', prefork({ workers: 1, keepAlive: true }))
    const socket = net.connect(Number(new URL(running.url).port), '127.0.0.1')
    const started = performance.now()
    socket.write('POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n')
    let data = ''
    socket.setEncoding('latin1')
    socket.on('data', (c: string) => (data += c))
    const closed = await new Promise<boolean>((resolve) => {
      socket.on('end', () => resolve(true))
      socket.on('error', () => resolve(true))
      setTimeout(() => resolve(false), 5000)
    })
    socket.destroy()
    expect(closed).toBe(true)
    expect(performance.now() - started).toBeLessThan(3000)
    expect(data).toMatch(/^HTTP\/1\.1 405 /)
    expect(data.toLowerCase()).toContain('connection: close')
  })

  it('reads a chunked POST /work body whole before it answers, holding its worker meanwhile', async () => {
    running = await startTopology('p', prefork({ workers: 1 }))
    const { port } = new URL(running.url)
    let lastSentAt = 0
    let healthAt = 0
    const upload = new Promise<{ status: number; bytes: number; at: number }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/work?bytes=7', agent: false }, (res) => {
        let bytes = 0
        res.on('data', (c: Buffer) => (bytes += c.length))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, at: performance.now() }))
      })
      req.on('error', reject)
      void (async () => {
        for (let i = 0; i < 6; i++) {
          req.write(Buffer.alloc(1000, 'y')) // no Content-Length: node sends it chunked
          lastSentAt = performance.now()
          if (i === 1) void fetch(`${running?.url}/health`).then(() => (healthAt = performance.now()))
          await new Promise((r) => setTimeout(r, 100))
        }
        req.end()
      })()
    })
    const reply = await upload
    expect(reply.status).toBe(200)
    expect(reply.bytes).toBe(7)
    expect(reply.at).toBeGreaterThan(lastSentAt)
    // the only worker was reading the upload: /health waited in the backlog until it was done
    expect(await waitFor(() => healthAt > 0)).toBe(true)
    expect(healthAt).toBeGreaterThan(lastSentAt)
  })
})
