/**
 * The WebSocket load client (lab/load/websockets.ts) against an in-process
 * `ws` broadcast room and against a plain HTTP server that cannot upgrade.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocketServer, type WebSocket } from 'ws'
import { startWebSockets } from '../../lab/load/websockets.js'

const servers: http.Server[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => { s.closeAllConnections(); s.close(r) })))
})

async function listen(server: http.Server): Promise<string> {
  servers.push(server)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

async function until(check: () => boolean, ms: number): Promise<void> {
  const deadline = performance.now() + ms
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`condition not met within ${ms} ms`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('the WebSocket load client', () => {
  it('delivers every message to every socket of its room and times each delivery', async () => {
    const server = http.createServer()
    const wss = new WebSocketServer({ server, path: '/ws' })
    const rooms = new Map<string, Set<WebSocket>>()
    let open = 0
    wss.on('connection', (ws, req) => {
      open++
      const room = new URL(req.url ?? '/', 'http://x').searchParams.get('room') ?? '0'
      const members = rooms.get(room) ?? new Set<WebSocket>()
      rooms.set(room, members)
      members.add(ws)
      ws.on('message', (data) => { for (const m of members) m.send(data) })
    })
    const url = await listen(server)
    const load = startWebSockets(url, 6, 3, 100)
    await until(() => open === 6 && load.handshakes() === 6, 5000)
    const from = performance.now()
    await new Promise((r) => setTimeout(r, 1000))
    const r = load.stop(from, performance.now())
    wss.close()
    expect(r.opened).toBe(6)
    expect(r.held).toBe(6)
    // 6 clients × 10 messages/s for 1 s ≈ 60 messages, each to 3 receivers
    expect(r.sent).toBeGreaterThan(30)
    expect(r.sent).toBeLessThan(80)
    expect(r.delivered).toBeGreaterThan(r.sent * 2)
    expect(r.delivered).toBeLessThanOrEqual(r.sent * 3)
    expect(r.deliveryMs.p99).toBeGreaterThan(0)
    expect(r.deliveryMs.p99).toBeLessThan(1000)
  })

  it('counts the status a server that cannot upgrade answers instead of 101', async () => {
    const url = await listen(http.createServer((_req, res) => res.writeHead(404).end('no route /ws\n')))
    const load = startWebSockets(url, 4, 2, 1000)
    await until(() => load.handshakes() === 4, 5000)
    const r = load.stop(0, performance.now())
    expect(r.refused).toEqual({ '404': 4 })
    expect(r.opened).toBe(0)
    expect(r.failed).toBe(0)
  })
})
