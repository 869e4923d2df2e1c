/**
 * `limit_req` and `limit_conn` keyed by the `client` query argument, over
 * real loopback sockets: the same checks for the built-in proxy
 * (lab/servers/rate-limit.ts) and for nginx (found as the lab finds it;
 * missing, skipped outside CI and failing under CI, test/support/tools.ts),
 * in front of an instrumented upstream (test/integration/proxy-upstreams.ts)
 * that records which requests reached it and when.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, expect, it } from 'vitest'
import { proxySchema } from '../../lab/core/scenario.js'
import type { RunningPart } from '../../lab/engines/engine.js'
import { liveGroupCount } from '../../lab/topology/group.js'
import { startProxy } from '../../lab/topology/topology.js'
import { engine, needs } from '../support/tools.js'
import { waitFor } from './helpers.js'
import { request, upstream, type Reply, type Upstream } from './proxy-upstreams.js'

const nginx = await engine('nginx')
const builtin = await engine('node-reverse-proxy')
const ENGINES = [
  { engine: 'node-reverse-proxy' as const, needing: needs(builtin) },
  { engine: 'nginx' as const, needing: needs(nginx) },
]

const runDir = mkdtempSync(path.join(os.tmpdir(), 'lab-limit-test-'))
afterAll(() => rmSync(runDir, { recursive: true, force: true }))

const upstreams: Upstream[] = []
const proxies: RunningPart[] = []
afterEach(async () => {
  for (const p of proxies.splice(0)) await p.stop()
  for (const u of upstreams.splice(0)) await u.close()
  expect(liveGroupCount()).toBe(0)
})

/** Requests of one key the upstream saw. */
const seenOf = (u: Upstream, key: string) => u.seen.filter((s) => s.path.includes(`client=${key}`))

for (const { engine: name, needing } of ENGINES) {
  const start = async (settings: Record<string, unknown>): Promise<{ url: string; up: Upstream }> => {
    const up = await upstream('a')
    upstreams.push(up)
    const p = await startProxy(name, proxySchema.parse(settings), [up.port], {
      id: `l${proxies.length}`,
      runDir,
      baseDir: runDir,
      ...(name === 'nginx' && nginx.path ? { executable: nginx.path } : {}),
    })
    proxies.push(p)
    return { url: `http://127.0.0.1:${p.port}`, up }
  }

  needing.describe(`${name}: limit_req`, () => {
    it("answers 429 to one client's excess, never passing it upstream, while another key and no key are untouched", async () => {
      const { url, up } = await start({ limit_req: { rate_per_s: 1, burst: 2, nodelay: true, status: 429 } })
      // the abuser, one request after another until the first 429 (1 r/s refills one request a second: it comes within the burst + a few)
      const abuser: Reply[] = []
      const limited = await waitFor(async () => {
        abuser.push(await request(`${url}/work?io_ms=0&client=abuser`))
        return abuser.at(-1)?.status === 429
      }, 10_000)
      expect(limited).toBe(true)
      const served = abuser.filter((r) => r.status === 200).length
      // the first request and the burst of 2 pass at once, as nginx's docs say of nodelay
      expect(served).toBeGreaterThanOrEqual(3)
      expect(abuser.every((r) => r.status === 200 || r.status === 429)).toBe(true)
      expect(seenOf(up, 'abuser')).toHaveLength(served)
      // another client has its own bucket: its first request and burst pass
      const other = await Promise.all([0, 1, 2].map(() => request(`${url}/work?io_ms=0&client=normal`)))
      expect(other.map((r) => r.status)).toEqual([200, 200, 200])
      // a request without the key is not accounted: any number passes
      const unkeyed = await Promise.all(Array.from({ length: 10 }, () => request(`${url}/work?io_ms=0`)))
      expect(unkeyed.map((r) => r.status)).toEqual(Array(10).fill(200))
    })

    it('without nodelay holds the second of two simultaneous requests until its turn, 1/rate s after the first', async () => {
      const { url, up } = await start({ limit_req: { rate_per_s: 2, burst: 1, status: 429 } })
      const replies = await Promise.all([request(`${url}/work?io_ms=0&client=k`), request(`${url}/work?io_ms=0&client=k`)])
      expect(replies.map((r) => r.status)).toEqual([200, 200])
      // 1/rate = 500 ms from the moment the proxy read it, so at least that from the client's send
      // (a few ms of slack: both proxies' timers run on whole-millisecond clocks)
      expect(Math.max(...replies.map((r) => r.ms))).toBeGreaterThanOrEqual(495)
      // held before the upstream, not after: the upstream saw it most of 500 ms after the first
      // (the two reached the upstream over different connections, whose set-up times differ)
      const at = seenOf(up, 'k').map((s) => s.headersAt).sort((a, b) => a - b)
      expect(at).toHaveLength(2)
      expect((at[1] as number) - (at[0] as number)).toBeGreaterThanOrEqual(400)
    })
  })

  needing.describe(`${name}: limit_conn`, () => {
    it("rejects a client's second request while its first is in progress, and admits it again once the first is answered", async () => {
      const { url, up } = await start({ limit_conn: { connections: 1, status: 429 } })
      const slow = request(`${url}/work?io_ms=1500&client=k`)
      expect(await waitFor(() => seenOf(up, 'k').length === 1, 5000)).toBe(true)
      expect((await request(`${url}/work?io_ms=0&client=k`)).status).toBe(429)
      expect((await request(`${url}/work?io_ms=0&client=other`)).status).toBe(200)
      expect((await slow).status).toBe(200)
      expect((await request(`${url}/work?io_ms=0&client=k`)).status).toBe(200)
    })

    it('frees the place of a request whose client left before its answer', async () => {
      const { url, up } = await start({ limit_conn: { connections: 1, status: 429 } })
      const gone = http.get(`${url}/work?io_ms=5000&client=k`)
      gone.on('error', () => {})
      expect(await waitFor(() => seenOf(up, 'k').length === 1, 5000)).toBe(true)
      gone.destroy()
      // well before the abandoned request's 5 s are over, the key may send again
      const startedAt = performance.now()
      let last = 0
      const freed = await waitFor(async () => (last = (await request(`${url}/work?io_ms=0&client=k`)).status) === 200, 4000)
      expect([freed, last]).toEqual([true, 200])
      expect(performance.now() - startedAt).toBeLessThan(4500)
    })
  })
}
