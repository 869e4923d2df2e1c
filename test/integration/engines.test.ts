/**
 * The real-engine adapters beyond the workload contract: a failed start
 * reports the engine's own output and leaves nothing running, and Gunicorn's
 * respawned workers show up in `processes()` and `events()`.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, expect, it } from 'vitest'
import type { TopologyDef } from '../../lab/core/scenario.js'
import { freePort } from '../../lab/contract/ports.js'
import { startGunicorn } from '../../lab/engines/gunicorn.js'
import { startNginx } from '../../lab/engines/nginx.js'
import { liveGroupCount } from '../../lab/topology/group.js'
import { isAlive } from '../../lab/topology/proc.js'
import { startTopology, type RunningTopology } from '../../lab/topology/topology.js'
import { engine, needs } from '../support/tools.js'
import { waitFor } from './helpers.js'

const [gunicorn, nginx] = await Promise.all([engine('gunicorn'), engine('nginx')])
const runDir = mkdtempSync(path.join(os.tmpdir(), 'lab-engines-'))
afterAll(() => rmSync(runDir, { recursive: true, force: true }))

let running: RunningTopology | undefined
afterEach(async () => {
  await running?.stop()
  running = undefined
  expect(liveGroupCount()).toBe(0)
})

needs(gunicorn).describe('gunicorn', () => {
  it("fails to start with the app's own traceback in the error, and leaves no process behind", async () => {
    const apps = path.join(runDir, 'broken-apps')
    mkdirSync(apps, { recursive: true })
    writeFileSync(path.join(apps, 'wsgi_app.py'), 'raise RuntimeError("this app cannot be imported")\n')
    const err = await failureOf(startGunicorn(
      { port: await freePort(), app: 'wsgi_app:application', appsDir: apps, workers: 2, timeoutS: 30, backlog: 64 },
      { executable: gunicorn.path as string, runDir, logName: 'broken.gunicorn.log', readyTimeoutMs: 10_000 },
    ))
    expect(err).toBeInstanceOf(Error)
    expect(err.message).toMatch(/gunicorn did not start/)
    expect(err.message).toContain('this app cannot be imported')
    expect(err.message).toContain(path.join(runDir, 'broken.gunicorn.log'))
    expect(liveGroupCount()).toBe(0)
    expect(processesMentioning(apps)).toEqual([])
  })

  it('shows a worker killed with SIGKILL being replaced, in processes() and events()', async () => {
    const def = { server: { model: 'prefork', workers: 2, timeout_s: 30, backlog: 2048 } } as TopologyDef
    running = await startTopology('respawn', def, { stack: 'python', runDir })
    const victim = running.processes().find((p) => p.role === 'worker')?.pid as number
    process.kill(victim, 'SIGKILL')
    const t = running
    expect(await waitFor(() => t.processes().filter((p) => p.role === 'worker' && p.pid !== victim).length === 2, 10_000)).toBe(true)
    expect(await waitFor(() => t.events().some((e) => e.kind === 'worker-spawn'), 5000)).toBe(true)
    expect(t.events().find((e) => e.kind === 'worker-exit')).toMatchObject({ pid: victim })
    expect(isAlive(victim)).toBe(false)
  })
})

needs(nginx).describe('nginx', () => {
  it('fails to start within its time limit when its upstream never answers, removing its temp folder', async () => {
    const dead = await freePort() // nothing listens there: nginx answers 502
    const err = await failureOf(startNginx(
      { port: await freePort(), upstreams: [dead] },
      { executable: nginx.path as string, runDir, logName: 'dead.nginx.log', readyTimeoutMs: 1500 },
    ))
    expect(err.message).toMatch(/nginx did not start: not ready within 1500 ms \(last: HTTP 502\)/)
    expect(err.message).toMatch(/connect\(\) failed \(111: Connection refused\)/) // from its error.log
    const dir = /-p (\S+)/.exec(err.message)?.[1] as string
    expect(dir).toMatch(/lab-nginx-/)
    expect(existsSync(dir)).toBe(false)
    expect(liveGroupCount()).toBe(0)
  })
})

/** The error a start rejects with (an unexpected success is stopped and reported as an error). */
async function failureOf(start: Promise<{ stop(): Promise<void> }>): Promise<Error> {
  try {
    const started = await start
    await started.stop()
    return new Error('it started')
  } catch (err) {
    return err as Error
  }
}

/** Live processes whose command line mentions `text` (a path unique to one test). */
function processesMentioning(text: string): number[] {
  return readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes(text) && isAlive(pid)
      } catch {
        return false
      }
    })
}
