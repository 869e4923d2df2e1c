import { afterEach, describe, expect, it } from 'vitest'
import { validateScenario, type TopologyDef } from '../../lab/core/scenario.js'
import { AutocannonDriver } from '../../lab/load/autocannon.js'
import { startTopology, type RunningTopology } from '../../lab/topology/topology.js'
import { stopAndCheck, waitFor } from './helpers.js'

function prefork(server: Record<string, unknown>): TopologyDef {
  const v = validateScenario({
    name: 't', title: 't', summary: 't',
    topologies: { p: { server: { model: 'prefork', ...server } } },
    workloads: { w: {} },
    load: { connections: [1] },
  })
  if (!v.ok) throw new Error(v.problems.join('\n'))
  return v.value.topologies.p as TopologyDef
}

let running: RunningTopology | undefined
afterEach(async () => {
  await stopAndCheck(running)
  running = undefined
})

describe('the built-in prefork server', () => {
  it("serves W/S = 40 req/s with 2 workers waiting 50 ms, and its latency obeys Little's law", async () => {
    running = await startTopology('p', prefork({ workers: 2 }))
    const m = await new AutocannonDriver().runLevel({
      url: `${running.url}/work?io_ms=50&cpu_ms=0&bytes=1024`,
      connections: 16,
      warmupS: 1,
      durationS: 3,
      timeoutS: 10,
    })
    expect(m.requests.perSecond.mean).toBeGreaterThan(36)
    expect(m.requests.perSecond.mean).toBeLessThan(44)
    const expectedMs = (16 * 1000) / m.requests.perSecond.mean
    expect(m.latencyMs.mean / expectedMs).toBeGreaterThan(0.9)
    expect(m.latencyMs.mean / expectedMs).toBeLessThan(1.1)
    expect(m.errors.total).toBe(0)
    // both workers take from the one accept queue, so they share the load evenly
    const counts = Object.values(m.perWorker)
    expect(counts).toHaveLength(2)
    expect(Math.min(...counts) / Math.max(...counts)).toBeGreaterThan(0.8)
  })

  it('closes the connection after every response, like Gunicorn sync', async () => {
    running = await startTopology('p', prefork({ workers: 1 }))
    const res = await fetch(`${running.url}/work?bytes=10`)
    expect(res.headers.get('connection')).toBe('close')
    expect(res.headers.get('x-worker')).toMatch(/^\d+$/)
    expect((await res.arrayBuffer()).byteLength).toBe(10)
  })

  it('replaces a worker killed with SIGKILL and reports it', async () => {
    running = await startTopology('p', prefork({ workers: 2 }))
    const victim = running.processes().find((p) => p.role === 'worker')?.pid as number
    process.kill(victim, 'SIGKILL')
    const replaced = await waitFor(() => {
      const workers = running?.processes().filter((p) => p.role === 'worker') ?? []
      return workers.length === 2 && !workers.some((w) => w.pid === victim)
    })
    expect(replaced).toBe(true)
    expect(running.events().map((e) => e.kind)).toEqual(['worker-exit', 'worker-spawn'])
    expect((await fetch(`${running.url}/health`)).status).toBe(200)
  })

  it('kills and replaces a worker busy longer than timeout_s', async () => {
    running = await startTopology('p', prefork({ workers: 1, timeout_s: 1 }))
    const started = Date.now()
    await expect(fetch(`${running.url}/work?io_ms=5000`)).rejects.toThrow()
    const elapsed = Date.now() - started
    expect(elapsed).toBeGreaterThan(900)
    expect(elapsed).toBeLessThan(3000)
    expect(await waitFor(() => running?.events().some((e) => e.kind === 'worker-spawn') === true)).toBe(true)
    expect(running.events()[0]?.kind).toBe('worker-timeout')
    expect((await fetch(`${running.url}/health`)).status).toBe(200)
  })

  it('answers 400 for a bad parameter and 404 for an unknown path', async () => {
    running = await startTopology('p', prefork({ workers: 1 }))
    expect((await fetch(`${running.url}/work?io_ms=abc`)).status).toBe(400)
    expect((await fetch(`${running.url}/nope`)).status).toBe(404)
  })
})
