/**
 * The probe beside the load (lab/load/side.ts) against a node:http server on
 * 127.0.0.1 that answers at once: its pauses vary, as a health checker's do
 * with jitter.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { startProbe } from '../../lab/load/side.js'

describe('the probe', () => {
  it('sends the next probe after a varying pause, not a fixed one, and records every answer', async () => {
    const arrivals: number[] = []
    const server = http.createServer((_req, res) => {
      arrivals.push(performance.now())
      res.end('ok')
    })
    await new Promise<void>((r) => server.listen({ port: 0, host: '127.0.0.1' }, r))
    try {
      const probe = startProbe(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, '/health', 5, 40)
      const from = performance.now()
      const deadline = Date.now() + 10_000
      while (arrivals.length < 25 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
      const result = await probe.stop(from, performance.now())
      expect(result.requests).toBeGreaterThanOrEqual(24)
      const gaps = arrivals.slice(1).map((t, i) => t - (arrivals[i] as number))
      // each gap is a 20–60 ms pause plus an answer; a fixed 40 ms pause would give gaps within a few ms of each other
      expect(Math.max(...gaps) - Math.min(...gaps)).toBeGreaterThan(15)
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(19)
    } finally {
      await new Promise<void>((r) => server.close(() => r()))
    }
  })})
