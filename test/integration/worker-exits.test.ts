/**
 * Worker exits seen in the process table (lab/topology/watch.ts) for real
 * engines: a Gunicorn worker that ends with `os._exit(70)` (which Gunicorn
 * 20.1 does not log) and one killed with SIGKILL (which it does) each give one
 * `worker-exit` and one `worker-spawn`; a mod_wsgi daemon that crashes, whose
 * restart Apache logs nowhere the lab reads, likewise; Uvicorn's only process
 * ending is an exit nothing answers.
 */
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { mkdtempSync, rmSync } from 'node:fs'
import { afterAll, afterEach, expect, it } from 'vitest'
import { topologySchema } from '../../lab/core/scenario.js'
import { liveGroupCount } from '../../lab/topology/group.js'
import { startTopology, type RunningTopology } from '../../lab/topology/topology.js'
import { engine, needs } from '../support/tools.js'
import { waitFor } from './helpers.js'

const [gunicorn, modWsgi, uvicorn] = await Promise.all([engine('gunicorn'), engine('mod-wsgi'), engine('uvicorn')])
const runDir = mkdtempSync(path.join(os.tmpdir(), 'lab-exits-'))
afterAll(() => rmSync(runDir, { recursive: true, force: true }))

let running: RunningTopology | undefined
afterEach(async () => {
  await running?.stop()
  running = undefined
  expect(liveGroupCount()).toBe(0)
})

/** One request that makes the worker serving it exit (`crash_pct=100`: `os._exit(70)`); resolves when the connection ends, however it ends. */
function crashOne(url: string): Promise<void> {
  return new Promise((resolve) => {
    const req = http.get(`${url}/work?io_ms=0&crash_pct=100`, { agent: false, timeout: 5000 }, (res) => {
      res.resume()
      res.on('end', () => resolve())
      res.on('error', () => resolve())
    })
    req.on('timeout', () => req.destroy())
    req.on('error', () => resolve())
  })
}

const workers = (t: RunningTopology) => t.processes().filter((p) => p.role === 'worker').map((p) => p.pid)
const kinds = (t: RunningTopology, pid: number) => t.events().filter((e) => e.pid === pid).map((e) => e.kind)

needs(gunicorn).describe('gunicorn', () => {
  it('reports a worker that ended with os._exit (no log line) as one exit, and its replacement as one spawn', async () => {
    running = await startTopology('exits', topologySchema.parse({ server: { model: 'prefork', engine: 'gunicorn', workers: 1 } }), { stack: 'python', runDir })
    const t = running
    const [victim] = workers(t)
    await crashOne(t.url)
    expect(await waitFor(() => t.events().some((e) => e.kind === 'worker-spawn'), 10_000)).toBe(true)
    expect(kinds(t, victim as number)).toEqual(['worker-exit'])
    const exit = t.events().find((e) => e.kind === 'worker-exit')
    expect(exit?.message).toContain('gone from the process table')
    const spawn = t.events().find((e) => e.kind === 'worker-spawn')
    expect(workers(t)).toEqual([spawn?.pid])
    expect(spawn!.at).toBeGreaterThanOrEqual(exit!.at)
  })

  it('reports a worker killed with SIGKILL once, with the signal from the log line', async () => {
    running = await startTopology('exits', topologySchema.parse({ server: { model: 'prefork', engine: 'gunicorn', workers: 2 } }), { stack: 'python', runDir })
    const t = running
    const victim = workers(t)[0] as number
    process.kill(victim, 'SIGKILL')
    expect(await waitFor(() => t.events().some((e) => e.kind === 'worker-spawn') && /signal 9/.test(t.events().find((e) => e.pid === victim)?.message ?? ''), 10_000)).toBe(true)
    expect(kinds(t, victim)).toEqual(['worker-exit'])
    expect(t.events().filter((e) => e.kind === 'worker-exit')).toHaveLength(1)
    expect(t.events().filter((e) => e.kind === 'worker-spawn')).toHaveLength(1)
  })
})

needs(modWsgi).describe('mod_wsgi (daemon mode)', () => {
  it("reports a daemon process that crashed and the one Apache's mod_wsgi starts in its place", async () => {
    running = await startTopology('exits', topologySchema.parse({ server: { model: 'prefork', engine: 'mod-wsgi', workers: 1 } }), { stack: 'python', runDir })
    const t = running
    const [victim] = workers(t)
    await crashOne(t.url)
    expect(await waitFor(() => workers(t).length === 1 && !workers(t).includes(victim as number), 15_000)).toBe(true)
    expect(await waitFor(() => t.events().some((e) => e.kind === 'worker-spawn' && e.pid === workers(t)[0]), 2000)).toBe(true)
    expect(kinds(t, victim as number)).toEqual(['worker-exit'])
  }, 60_000)
})

needs(uvicorn).describe('uvicorn', () => {
  it('reports its only process ending as an exit that nothing restarts', async () => {
    running = await startTopology('exits', topologySchema.parse({ server: { model: 'event-loop', engine: 'uvicorn' } }), { stack: 'python', runDir })
    const t = running
    const [pid] = t.processes().map((p) => p.pid)
    await crashOne(t.url)
    expect(await waitFor(() => t.events().some((e) => e.kind === 'worker-exit'), 10_000)).toBe(true)
    expect(t.events()).toHaveLength(1)
    expect(t.events()[0]).toMatchObject({ kind: 'worker-exit', pid, message: expect.stringMatching(/code 70.*nothing restarts it/) })
  })
})
