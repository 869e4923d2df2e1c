/**
 * `lab run` with the proxy scenarios, on a fake driver and fake topologies:
 * the mixes reach the driver with their weights, predictions stay sensible,
 * and topologies pinning a missing nginx are left out on the node stack.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { runCommand } from '../../lab/commands/run.js'
import { withoutMissingPinned } from '../../lab/run/prepare.js'
import { validateScenario, type Scenario } from '../../lab/core/scenario.js'
import { clearDetectCache } from '../../lab/engines/common.js'
import { FakeDriver } from '../../lab/load/fake.js'
import type { RunningTopology } from '../../lab/topology/topology.js'

const dirs: string[] = []
const savedPath = process.env.LAB_ENGINE_PATH
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
  if (savedPath === undefined) delete process.env.LAB_ENGINE_PATH
  else process.env.LAB_ENGINE_PATH = savedPath
  clearDetectCache()
})

const fakeTopology = async (id: string): Promise<RunningTopology> => ({
  id,
  url: 'http://127.0.0.1:1',
  engines: { server: 'node-prefork', proxy: id.startsWith('nginx') ? 'nginx' : 'node-reverse-proxy' },
  processes: () => [{ pid: process.pid, role: 'worker' }],
  events: () => [],
  stop: async () => {},
})

async function run(target: string, topology?: string[], workload?: string[]) {
  const out = mkdtempSync(path.join(os.tmpdir(), 'lab-test-'))
  dirs.push(out)
  const sink = new PassThrough().resume()
  const driver = new FakeDriver(() => 100)
  const outcome = await runCommand({ target, out, quick: true, ...(topology ? { topology } : {}), ...(workload ? { workload } : {}), driver, start: fakeTopology, stdout: sink, stderr: sink })
  return { outcome, driver }
}

describe('lab run with the proxy scenarios', () => {
  it('hands the driver the load-balancing mix: 9 fast requests to 1 slow one, each connection cycling through both', async () => {
    const { outcome, driver } = await run('load-balancing')
    expect(outcome.code).toBe(0)
    const req = driver.requests[0]
    expect(req?.requests).toEqual([
      { path: '/work?io_ms=10&cpu_ms=0&bytes=1024', weight: 9, label: 'fast' },
      { path: '/work?io_ms=500&cpu_ms=0&bytes=1024', weight: 1, label: 'slow' },
    ])
    expect(req?.split).toBe('requests')
    // 3 upstreams × 2 workers / 59 ms is a 101.7 req/s ceiling; round-robin at 12 connections keeps about 0.73 of it (lab/core/balance-sim.ts)
    const p = outcome.doc?.runs[0]?.prediction?.perSecond as number
    expect(outcome.doc?.runs[0]?.topology).toBe('round-robin')
    expect(p).toBeGreaterThan(0.65 * (6000 / 59))
    expect(p).toBeLessThan(0.8 * (6000 / 59))
  })

  it('splits the static-offload mix by connection and makes no prediction it cannot back', async () => {
    const { outcome, driver } = await run('static-offload')
    expect(outcome.code).toBe(0)
    expect(driver.requests[0]?.split).toBe('connections')
    expect(driver.requests[0]?.requests?.map((r) => r.path)).toEqual(['/work?io_ms=50&cpu_ms=0&bytes=1024', '/static/bundle-200k.css'])
    expect(outcome.doc?.runs.every((r) => r.prediction === undefined)).toBe(true)
  })

  it('predicts 0 req/s for the bare prefork under slow clients and W/S behind a buffering proxy', async () => {
    // the quick run's own choice leaves unbuffered and slow readers out; name every topology and workload asserted on
    const { outcome } = await run('proxy-buffering', ['bare', 'proxied', 'unbuffered', 'nginx'], ['slow-headers', 'slow-uploads', 'slow-readers'])
    const at = (topology: string, workload: string) => outcome.doc?.runs.find((r) => r.topology === topology && r.workload === workload)?.prediction?.perSecond
    expect(at('bare', 'slow-headers')).toBe(0)
    expect(at('proxied', 'slow-headers')).toBeCloseTo(300, 0)
    expect(at('unbuffered', 'slow-headers')).toBeCloseTo(300, 0)
    expect(at('unbuffered', 'slow-readers')).toBe(0)
    expect(at('proxied', 'slow-uploads')).toBeCloseTo(300, 0)
    // the topologies named run, in the scenario's order
    expect([...new Set(outcome.doc?.runs.map((r) => r.topology))]).toEqual(['bare', 'proxied', 'nginx', 'unbuffered'])
  })
})

describe('topologies that pin an engine', () => {
  const scenario = (topologies: Record<string, unknown>): Scenario => {
    const v = validateScenario({ name: 't', title: 't', summary: 't', topologies, workloads: { w: {} }, load: { connections: [1] } })
    if (!v.ok) throw new Error(v.problems.join('\n'))
    return v.value
  }
  const server = { model: 'prefork', workers: 2 }

  it('are left out, with the reason, when their engine is missing and others can run', async () => {
    process.env.LAB_ENGINE_PATH = mkdtempSync(path.join(os.tmpdir(), 'lab-no-engines-'))
    dirs.push(process.env.LAB_ENGINE_PATH)
    const r = await withoutMissingPinned(scenario({ bare: { server }, proxied: { server, proxy: {} }, nginx: { server, proxy: { engine: 'nginx' } } }))
    expect(r.keep).toEqual(['bare', 'proxied'])
    expect(r.skipped).toEqual([expect.stringMatching(/^nginx: nginx is not installed; install it with: apt-get install -y .*nginx/)])
  })

  it('all stay when every one needs the missing engine (the run then exits 3 naming it)', async () => {
    process.env.LAB_ENGINE_PATH = mkdtempSync(path.join(os.tmpdir(), 'lab-no-engines-'))
    dirs.push(process.env.LAB_ENGINE_PATH)
    const r = await withoutMissingPinned(scenario({ nginx: { server, proxy: { engine: 'nginx' } } }))
    expect(r).toEqual({ keep: undefined, skipped: [] })
  })
})
