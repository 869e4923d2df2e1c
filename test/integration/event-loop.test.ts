import http from 'node:http'
import net from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { detectUvicorn } from '../../lab/engines/uvicorn.js'
import { AutocannonDriver } from '../../lab/load/autocannon.js'
import { startTopology, type RunningTopology } from '../../lab/topology/topology.js'
import { stopAndCheck } from './helpers.js'

const eventLoop = { server: { model: 'event-loop' as const, workers: 1, timeout_s: 30, backlog: 2048 } }
let running: RunningTopology | undefined
afterEach(async () => {
  await stopAndCheck(running)
  running = undefined
})

describe('the built-in event-loop server', () => {
  it("overlaps 50 ms waits: more than 500 req/s at 32 connections, obeying Little's law", async () => {
    running = await startTopology('a', eventLoop)
    const m = await new AutocannonDriver().runLevel({
      url: `${running.url}/work?io_ms=50&cpu_ms=0&bytes=1024`,
      connections: 32,
      warmupS: 1,
      durationS: 2,
      timeoutS: 10,
    })
    expect(m.requests.perSecond.mean).toBeGreaterThan(500)
    const ratio = m.latencyMs.mean / ((32 * 1000) / m.requests.perSecond.mean)
    expect(ratio).toBeGreaterThan(0.9)
    expect(ratio).toBeLessThan(1.1)
    expect(m.latencyMs.p50).toBeGreaterThan(49)
  })

  it('runs CPU work on one core: at most 1/S with 10 ms per request, served fairly to every connection', async () => {
    running = await startTopology('a', eventLoop)
    const m = await new AutocannonDriver().runLevel({
      url: `${running.url}/work?io_ms=0&cpu_ms=10&bytes=1024`,
      connections: 32,
      warmupS: 0.5,
      durationS: 4,
      timeoutS: 10,
    })
    expect(m.requests.perSecond.mean).toBeLessThan(105)
    expect(m.requests.perSecond.mean).toBeGreaterThan(60)
    // answers leave in batches of up to 32 (≈ 0.3 s apart), so a window holds a whole number of
    // them: ±1 batch in 4 s moves the ratio by up to ±10 %
    const ratio = m.latencyMs.mean / ((32 * 1000) / m.requests.perSecond.mean)
    expect(ratio).toBeGreaterThan(0.85)
    expect(ratio).toBeLessThan(1.15)
  })

  it('keeps connections alive and names its pid', async () => {
    running = await startTopology('a', eventLoop)
    const res = await fetch(`${running.url}/work?bytes=5`)
    expect(res.headers.get('connection')).toBe('keep-alive')
    expect(res.headers.get('x-worker')).toBe(String(running.processes()[0]?.pid))
    expect(await res.text()).toHaveLength(5)
  })
})

// ------------------------------------------------------------ batches and 503

/**
 * A raw HTTP/1.1 exchange on a new connection: sends `request`, reads the
 * answer (its head and Content-Length body), then waits up to 1 s to see
 * whether the server closes the connection.
 */
function raw(url: string, request: string): Promise<{ head: string; closedByServer: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(new URL(url).port), '127.0.0.1')
    let data = ''
    let head = ''
    let timer: NodeJS.Timeout | undefined
    const done = (closedByServer: boolean) => {
      clearTimeout(timer)
      socket.destroy()
      resolve({ head, closedByServer })
    }
    socket.setEncoding('latin1')
    socket.on('data', (c: string) => {
      data += c
      const end = data.indexOf('\r\n\r\n')
      if (end < 0 || head) return
      const length = Number(/content-length: *(\d+)/i.exec(data.slice(0, end))?.[1] ?? 0)
      if (data.length < end + 4 + length) return
      head = data.slice(0, end)
      timer = setTimeout(() => done(false), 1000)
    })
    socket.on('end', () => done(head !== ''))
    socket.on('error', reject)
    socket.write(request)
  })
}

/** GET over `agent`; resolves with when the whole answer was in (performance.now()). */
function answeredAt(url: string, agent: http.Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        res.resume()
        res.on('end', () => resolve(performance.now()))
      })
      .on('error', reject)
  })
}

const uvicorn = await detectUvicorn()
const STACKS = [
  { stack: 'node' as const, skip: false },
  { stack: 'python' as const, skip: !uvicorn.found && !process.env.CI },
]

for (const { stack, skip } of STACKS) {
  describe.skipIf(skip)(`an event loop on the ${stack} stack (${stack === 'node' ? 'node-event-loop' : 'Uvicorn'})`, () => {
    it('runs the requests one poll read as one batch and answers them together when it ends, a /health among them', async () => {
      running = await startTopology('a', eventLoop, { stack })
      const url = running.url
      // kept-alive connections, opened first: Node 20's libuv (1.46) accepts one new connection per
      // turn of the loop (libuv #3696), Debian's 1.44 under uvloop every waiting one at once
      const agents = Array.from({ length: 4 }, () => new http.Agent({ keepAlive: true, maxSockets: 1 }))
      await Promise.all(agents.map((agent) => answeredAt(`${url}/health`, agent)))
      // a 300 ms job keeps the loop busy while the next three requests arrive, so one poll reads them all
      const first = answeredAt(`${url}/work?cpu_ms=300`, agents[0] as http.Agent)
      await new Promise((r) => setTimeout(r, 100))
      const sent = performance.now()
      const [a, b, health] = await Promise.all([
        answeredAt(`${url}/work?cpu_ms=100`, agents[1] as http.Agent),
        answeredAt(`${url}/work?cpu_ms=100`, agents[2] as http.Agent),
        answeredAt(`${url}/health`, agents[3] as http.Agent),
      ])
      await first
      for (const agent of agents) agent.destroy()
      // one job per turn of the loop would answer them at least 100 ms apart, /health after at most one job
      expect(Math.max(a, b, health) - Math.min(a, b, health)).toBeLessThan(50)
      expect(health - sent).toBeGreaterThan(190)
    })
  })
}

describe('the built-in event loop past limit_concurrency', () => {
  it('answers 503 with Connection: close and closes the connection, as Uvicorn 0.17.6 does', async () => {
    running = await startTopology('a', { server: { ...eventLoop.server, limit_concurrency: 1 } })
    const url = running.url
    const held = fetch(`${url}/work?io_ms=3000`)
    let shed = { head: '', closedByServer: false }
    const deadline = Date.now() + 5000
    while (!shed.head.startsWith('HTTP/1.1 503') && Date.now() < deadline) {
      shed = await raw(url, 'GET /work HTTP/1.1\r\nHost: x\r\n\r\n')
    }
    expect(shed.head).toMatch(/^HTTP\/1\.1 503 /)
    expect(shed.head.toLowerCase()).toContain('connection: close')
    expect(shed.closedByServer).toBe(true)
    expect((await held).status).toBe(200)
  })
})

describe('the built-in event loop and request bodies', () => {
  it('reads a chunked POST /work body whole before it answers, like an ASGI app reading http.request messages', async () => {
    running = await startTopology('a', eventLoop)
    const { port } = new URL(running.url)
    let lastSentAt = 0
    const reply = await new Promise<{ status: number; bytes: number; at: number }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/work?bytes=7', agent: false }, (res) => {
        let bytes = 0
        res.on('data', (c: Buffer) => (bytes += c.length))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, at: performance.now() }))
      })
      req.on('error', reject)
      void (async () => {
        for (let i = 0; i < 5; i++) {
          req.write(Buffer.alloc(1000, 'y')) // no Content-Length: node sends it chunked
          lastSentAt = performance.now()
          await new Promise((r) => setTimeout(r, 100))
        }
        req.end()
      })()
    })
    expect(reply.status).toBe(200)
    expect(reply.bytes).toBe(7)
    expect(reply.at).toBeGreaterThan(lastSentAt)
  })
})
