/**
 * A WebSocket load beside a level (built on the `ws` library): `clients`
 * sockets open to `GET /ws?room=<r>`, shared into rooms of `roomSize`; each
 * sends one message every `intervalMs` (the first after a random part of an
 * interval, so they do not send together), and the server relays every
 * message to every socket of the room, the sender's included. Each message
 * carries the sender's `performance.now()`; every receiver records send →
 * receive into an HDR histogram of µs (lab/load/latency.ts). All clients live
 * in this process, so the clock is one clock.
 *
 * A server that cannot upgrade answers the handshake with an ordinary HTTP
 * response: its status is counted in `refused` (e.g. `{ "404": 10 }`).
 * Bounded in count (the scenario schema caps `clients`) and time (the caller
 * stops it at the end of the level); 127.0.0.1 only.
 */
import WebSocket from 'ws'
import type { RunResult } from '../core/results.js'
import { LatencyRecorder } from './latency.js'

/** What the WebSocket clients saw (the results' `runs[].websockets`, docs/results-schema.md). */
export type WebSocketsResult = NonNullable<RunResult['websockets']>

/** Running WebSocket clients; `stop` closes them and summarizes the deliveries between `from` and `to` (performance.now() ms). */
export interface WebSocketLoad {
  /** Handshakes finished so far, either way (opened, refused or failed). */
  handshakes(): number
  stop(from: number, to: number): WebSocketsResult
}

/**
 * Opens the clients.
 * @param baseUrl - e.g. `http://127.0.0.1:40123`
 * @param clients - sockets to open (1..5000)
 * @param roomSize - sockets per room (the last room may be smaller)
 * @param intervalMs - ms between two messages of one client
 */
export function startWebSockets(baseUrl: string, clients: number, roomSize: number, intervalMs: number): WebSocketLoad {
  const url = baseUrl.replace(/^http/, 'ws')
  const sends: number[] = []
  const deliveries: Array<{ at: number; ms: number }> = []
  const refused: Record<string, number> = {}
  const sockets: WebSocket[] = []
  const timers: NodeJS.Timeout[] = []
  let opened = 0
  let failed = 0
  let closedByServer = 0
  let stopped = false
  for (let i = 0; i < clients; i++) {
    const ws = new WebSocket(`${url}/ws?room=${Math.floor(i / roomSize)}`, { perMessageDeflate: false, handshakeTimeout: 10_000 })
    ws.on('open', () => {
      opened++
      const send = () => {
        if (ws.readyState !== WebSocket.OPEN) return
        const at = performance.now()
        ws.send(String(at))
        sends.push(at)
      }
      const first = setTimeout(() => {
        send()
        timers.push(setInterval(send, intervalMs))
      }, Math.random() * intervalMs)
      timers.push(first)
    })
    ws.on('message', (data) => {
      const now = performance.now()
      const at = Number(data.toString())
      if (Number.isFinite(at)) deliveries.push({ at, ms: now - at })
    })
    let wasRefused = false
    ws.on('unexpected-response', (_req, res) => {
      wasRefused = true
      refused[String(res.statusCode)] = (refused[String(res.statusCode)] ?? 0) + 1
      res.resume()
      ws.terminate()
    })
    ws.on('error', () => {
      if (!stopped && !wasRefused) failed++
    })
    ws.on('close', () => {
      if (!stopped && ws.readyState === WebSocket.CLOSED && opened > 0) closedByServer++
    })
    sockets.push(ws)
  }
  return {
    handshakes: () => opened + failed + Object.values(refused).reduce((a, b) => a + b, 0),
    stop(windowFrom: number, windowTo: number) {
      stopped = true
      const held = sockets.filter((s) => s.readyState === WebSocket.OPEN).length
      for (const t of timers) clearInterval(t)
      for (const s of sockets) s.terminate()
      const windowS = Math.max(0, (windowTo - windowFrom) / 1000)
      // a message counts when it was sent inside the window and reached its receiver inside it
      const delivery = new LatencyRecorder(10)
      let delivered = 0
      for (const d of deliveries) {
        if (d.at < windowFrom || d.at + d.ms > windowTo) continue
        delivered++
        delivery.record(d.ms)
      }
      const sent = sends.filter((at) => at >= windowFrom && at <= windowTo).length
      const out: WebSocketsResult = {
        clients,
        roomSize,
        intervalMs,
        opened,
        held,
        failed,
        closedByServer,
        refused,
        sent,
        delivered,
        sentPerSecond: windowS > 0 ? sent / windowS : 0,
        deliveredPerSecond: windowS > 0 ? delivered / windowS : 0,
        deliveryMs: delivery.summary(),
      }
      delivery.destroy()
      return out
    },
  }
}
