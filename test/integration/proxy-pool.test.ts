/**
 * The built-in proxy's upstream connections (lab/servers/proxy-pool.ts),
 * over real loopback sockets to a node:http server started here that counts
 * the connections it accepts and sees closed: nginx's `keepalive N` (at most
 * N idle connections, the least recently used closed first), trimmed once per
 * turn of the event loop.
 */
import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { afterEach, expect, it } from 'vitest'
import { UpstreamAgent } from '../../lab/servers/proxy-pool.js'
import { waitFor } from './helpers.js'

interface Counting {
  port: number
  opened: number
  closed: number
  /** Answers the requests held so far, in arrival order, one per 20 ms. */
  release(): void
  held: number
  close(): Promise<void>
}

/** A server that holds every request until `release()` (or answers at once when `hold` is false). */
async function countingServer(hold: boolean): Promise<Counting> {
  const waiting: http.ServerResponse[] = []
  const c = { opened: 0, closed: 0 } as Counting
  const server = http.createServer((_req, res) => {
    if (hold) waiting.push(res)
    else res.end('ok')
  })
  server.on('connection', (s: Socket) => {
    c.opened++
    s.on('close', () => c.closed++)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  c.port = (server.address() as AddressInfo).port
  Object.defineProperty(c, 'held', { get: () => waiting.length })
  c.release = () => waiting.splice(0).forEach((res, i) => setTimeout(() => res.end('ok'), 20 * i))
  c.close = () => {
    server.closeAllConnections()
    return new Promise((r) => server.close(() => r()))
  }
  return c
}

/** GET / through `agent`; resolves with the local port of the connection used, once the answer is read. */
function get(agent: http.Agent, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
      const local = (res.socket as Socket).localPort as number
      res.resume()
      res.on('end', () => resolve(local))
    })
    req.on('error', reject)
  })
}

const cleanup: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f()
})

it('keeps at most `keepalive` idle upstream connections and closes the least recently used ones', async () => {
  const server = await countingServer(true)
  const agent = new UpstreamAgent(2)
  cleanup.push(() => server.close(), () => agent.destroy())
  const answers = Array.from({ length: 6 }, () => get(agent, server.port))
  expect(await waitFor(() => server.held === 6)).toBe(true)
  server.release() // answered in arrival order, 20 ms apart
  const ports = await Promise.all(answers)
  expect(server.opened).toBe(6)
  expect(await waitFor(() => server.closed === 4 && agent.idleCount() === 2)).toBe(true)
  const kept = Object.values(agent.freeSockets).flatMap((list) => (list ?? []).filter((s) => !s.destroyed).map((s) => (s as Socket).localPort))
  expect(kept.sort()).toEqual(ports.slice(4).sort()) // the last two released
})

it('lets a request reuse a connection released in the same turn, where closing it at once would open another', async () => {
  const server = await countingServer(false)
  const agent = new UpstreamAgent(1)
  cleanup.push(() => server.close(), () => agent.destroy())
  await Promise.all([get(agent, server.port), get(agent, server.port)])
  // the second connection was released in this turn: with maxFreeSockets 1 it would be closed already
  const again = Promise.all([get(agent, server.port), get(agent, server.port)])
  await again
  expect(server.opened).toBe(2)
  expect(await waitFor(() => server.closed === 1 && agent.idleCount() === 1)).toBe(true)
})
