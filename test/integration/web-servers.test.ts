/**
 * Apache httpd and Caddy as reverse proxies, started through the registry in
 * front of Gunicorn: they answer through every upstream, serve /static/
 * themselves, and leave no process or temp folder behind.
 */
import { readdirSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterEach, expect, it } from 'vitest'
import { topologySchema } from '../../lab/core/scenario.js'
import type { ProxyEngineName } from '../../lab/core/vocabulary.js'
import { liveGroupCount } from '../../lab/topology/group.js'
import { startTopology, type RunningTopology } from '../../lab/topology/topology.js'
import { engine, needs } from '../support/tools.js'

const [gunicorn, apache, caddy] = await Promise.all([engine('gunicorn'), engine('apache'), engine('caddy')])
const STATIC = path.resolve('scenarios/static-offload/static')

let running: RunningTopology | undefined
afterEach(async () => {
  await running?.stop()
  running = undefined
  expect(liveGroupCount()).toBe(0)
})

const tempFolders = (prefix: string) => readdirSync(os.tmpdir()).filter((f) => f.startsWith(prefix))

for (const [name, tool] of [['apache', apache], ['caddy', caddy]] as const) {
  needs(gunicorn, tool).describe(name, () => {
    it('passes requests to both upstreams, serves /static/ itself, and removes its folder after the stop', async () => {
      const before = tempFolders(`lab-${name}-`)
      const def = topologySchema.parse({
        server: { model: 'prefork', workers: 1 },
        upstreams: 2,
        proxy: { engine: name as ProxyEngineName, static_dir: STATIC },
      })
      running = await startTopology(`ws-${name}`, def, { stack: 'python' })
      expect(running.engines).toMatchObject({ proxy: name })
      const base = running.url.replace(/\/$/, '')
      const seen = new Set<string>()
      for (let i = 0; i < 6; i++) {
        const r = await fetch(`${base}/work?io_ms=1`)
        await r.arrayBuffer()
        expect(r.status).toBe(200)
        seen.add(r.headers.get('x-upstream') ?? 'none')
      }
      expect([...seen].sort()).toHaveLength(2)
      for (const u of seen) expect(u).toMatch(/^127\.0\.0\.1:\d+$/)
      const file = await fetch(`${base}/static/bundle-200k.css`)
      expect(file.status).toBe(200)
      expect((await file.arrayBuffer()).byteLength).toBe(204_800)
      expect(file.headers.get('x-upstream')).toBeNull()
      expect(running.processes().filter((p) => p.role === 'proxy').length).toBeGreaterThan(0)
      await running.stop()
      running = undefined
      expect(tempFolders(`lab-${name}-`)).toEqual(before)
    }, 60_000)
  })
}

/**
 * A `POST /work` announcing 1 MB whose first 64 KiB arrive at once and the
 * rest never: more than Apache's 16 KiB prefetch, so only a proxy that buffers
 * the whole body keeps it from the upstream's single sync worker.
 */
function stalledUpload(base: string): net.Socket {
  const { port } = new URL(base)
  const s = net.connect(Number(port), '127.0.0.1')
  s.on('error', () => {})
  s.write('POST /work HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\nContent-Length: 1000000\r\n\r\n')
  s.write(Buffer.alloc(65_536, 97))
  return s
}

/** A fast request through the proxy: its status, or `timeout` when nothing came back within `ms`. */
async function fastRequest(base: string, ms: number): Promise<number | 'timeout'> {
  try {
    const r = await fetch(`${base}/work?io_ms=1`, { signal: AbortSignal.timeout(ms) })
    await r.arrayBuffer()
    return r.status
  } catch {
    return 'timeout'
  }
}

for (const [name, tool] of [['apache', apache], ['caddy', caddy]] as const) {
  for (const buffered of [false, true]) {
    needs(gunicorn, tool).describe(`${name} with engine_buffering ${buffered ? 'on' : 'off (its default)'}`, () => {
      it(buffered
        ? 'keeps a stalled upload from the only worker, so a fast request is answered'
        : 'streams a stalled upload to the only worker, so a fast request waits', async () => {
        const def = topologySchema.parse({
          server: { model: 'prefork', workers: 1 },
          proxy: { engine: name as ProxyEngineName, ...(buffered ? { engine_buffering: true } : {}) },
        })
        running = await startTopology(`wsb-${name}`, def, { stack: 'python' })
        const base = running.url.replace(/\/$/, '')
        expect(await fastRequest(base, 5_000)).toBe(200)
        const upload = stalledUpload(base)
        try {
          if (buffered) {
            // poll: the first try may race the upload's arrival, none may time out for good
            const deadline = Date.now() + 10_000
            let got: number | 'timeout' = 'timeout'
            while (got !== 200 && Date.now() < deadline) got = await fastRequest(base, 2_000)
            expect(got).toBe(200)
          } else {
            // give the upload time to reach the worker, then a fast request must not get through
            await new Promise((r) => setTimeout(r, 500))
            expect(await fastRequest(base, 3_000)).toBe('timeout')
          }
        } finally {
          upload.destroy()
        }
      }, 60_000)
    })
  }
}
