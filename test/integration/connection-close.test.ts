import http from 'node:http'
import type { AddressInfo } from 'node:net'
import autocannon from 'autocannon'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// Regression for docs/measurement.md, "autocannon and connection-close servers":
// unpatched, a 50 ms Connection: close server at 10 connections reads as a mean
// of 772 ms over 3 s and 2,009 ms over 8 s. patches/autocannon+9.0.0.patch
// fixes it; these tests fail without the patch.
type Result = { latency: { mean: number }; requests: { total: number; sent: number }; errors: number }
const run = autocannon as unknown as (opts: Record<string, unknown>) => Promise<Result>

let server: http.Server
let url: string
beforeAll(async () => {
  server = http.createServer((_req, res) => {
    setTimeout(() => res.writeHead(200, { Connection: 'close', 'Content-Length': 2 }).end('ok'), 50)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((r) => server.close(r))
})

describe('autocannon against a server that closes the connection after each response', () => {
  it('times every response from its own request, whatever the run length', async () => {
    const short = await run({ url, connections: 10, duration: 2 })
    const long = await run({ url, connections: 10, duration: 4 })
    for (const r of [short, long]) {
      expect(r.latency.mean).toBeGreaterThanOrEqual(49)
      expect(r.latency.mean).toBeLessThan(60)
      expect(r.errors).toBe(0)
    }
    expect(Math.abs(long.latency.mean - short.latency.mean)).toBeLessThan(5)
  })

  it('sends the next request on a new connection, not onto the closing one', async () => {
    const r = await run({ url, connections: 10, duration: 2 })
    // unpatched it counts twice the completed requests as sent
    expect(r.requests.sent).toBeLessThanOrEqual(r.requests.total + 2 * 10)
  })
})
