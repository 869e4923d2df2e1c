/**
 * Apache httpd and Caddy as reverse proxies, started through the registry in
 * front of Gunicorn: they answer through every upstream, serve /static/
 * themselves, and leave no process or temp folder behind.
 */
import { readdirSync } from 'node:fs'
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
