/**
 * Every app of the registry (lab/engines/registry.ts, `APPS`) under every
 * Debian server engine that serves one of its interfaces, started the way a
 * scenario starts it (`server: { engine, app }` through startTopology):
 * it answers /work with the body asked for, from one of its own processes,
 * serves /static/ from the part's `static_dir`, and leaves nothing running.
 * The full contract per app is test/integration/framework-apps.test.ts; this
 * checks the registry's wiring. A pairing whose engine or framework is
 * missing skips outside CI, naming what to install, and fails under CI
 * (test/support/tools.ts).
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, expect, it } from 'vitest'
import type { TopologyDef } from '../../lab/core/scenario.js'
import type { ServerEngine } from '../../lab/engines/engine.js'
import { APPS, engines } from '../../lab/engines/registry.js'
import { liveGroupCount } from '../../lab/topology/group.js'
import { startTopology } from '../../lab/topology/topology.js'
import { app as appTool, engine as engineTool, needs } from '../support/tools.js'

const runDir = mkdtempSync(path.join(os.tmpdir(), 'lab-apps-'))
// readable by the app processes that Apache runs as www-data when the lab is root (mod_wsgi)
chmodSync(runDir, 0o755)
mkdirSync(path.join(runDir, 'static'))
writeFileSync(path.join(runDir, 'static', 'hello.txt'), 'hello\n')
afterAll(() => rmSync(runDir, { recursive: true, force: true }))

const servers = engines().filter((e): e is ServerEngine => e.role === 'server' && e.source.kind === 'debian')
// my-app serves the student's app from $LAB_APP_DIR: test/integration/my-app.test.ts runs it
const pairings = Object.values(APPS).filter((app) => app.name !== 'my-app').flatMap((app) => servers.filter((e) => e.serves.some((i) => app.entries[i] !== undefined)).map((engine) => ({ app, engine })))

for (const { app, engine } of pairings) {
  needs(await engineTool(engine.name), await appTool(app.name, engine.name)).describe(`${app.name} under ${engine.name}`, () => {
    it('answers /work with the body asked for from one of its processes, serves static_dir, and leaves nothing running', async () => {
      const def = { server: { model: engine.models[0], engine: engine.name, app: app.name, workers: 1, timeout_s: 30, backlog: 64, static_dir: 'static' } } as TopologyDef
      const t = await startTopology(`${app.name}-${engine.name}`, def, { stack: 'python', runDir, baseDir: runDir, readyTimeoutMs: 30_000 })
      try {
        const work = await fetch(`${t.url}/work?bytes=10`)
        expect(work.status).toBe(200)
        expect((await work.arrayBuffer()).byteLength).toBe(10)
        expect(t.processes().map((p) => String(p.pid))).toContain(work.headers.get('x-worker'))
        const file = await fetch(`${t.url}/static/hello.txt`)
        expect(file.status).toBe(200)
        expect(await file.text()).toBe('hello\n')
      } finally {
        await t.stop()
      }
      expect(liveGroupCount()).toBe(0)
    })
  })
}
