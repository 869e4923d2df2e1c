/**
 * uWSGI's `--max-requests` (scenarios/worker-recycling, topology
 * `uwsgi-max-requests`): each worker is replaced after its quota, with no
 * request failing; the lab passes `--min-worker-lifetime 1`, without which
 * uWSGI 2.0 keeps every worker its first 60 s.
 */
import http from 'node:http'
import { afterEach, expect } from 'vitest'
import { validateScenario, type TopologyDef } from '../../lab/core/scenario.js'
import { startTopology, type RunningTopology } from '../../lab/topology/topology.js'
import { engine as tool, needs } from '../support/tools.js'
import { alive, stopAndCheck, waitFor } from './helpers.js'

const uwsgi = await tool('uwsgi')

let running: RunningTopology | undefined
afterEach(async () => {
  await stopAndCheck(running)
  running = undefined
})

function get(url: string): Promise<number> {
  return new Promise((resolve) => {
    http
      .get(url, { agent: false, timeout: 5000 }, (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
      })
      .on('timeout', function (this: http.ClientRequest) {
        this.destroy(new Error('no answer within 5 s'))
      })
      .on('error', () => resolve(0))
  })
}

needs(uwsgi).describe("uWSGI's --max-requests", () => {
  needs(uwsgi).it('replaces both workers after 5 requests each, answering every request', async () => {
    const v = validateScenario({ name: 't', title: 't', summary: 't', topologies: { t: { server: { model: 'prefork', engine: 'uwsgi', workers: 2, max_requests: 5 } } }, workloads: { w: {} }, load: { connections: [1] } })
    if (!v.ok) throw new Error(v.problems.join('\n'))
    running = await startTopology('t', v.value.topologies.t as TopologyDef, { stack: 'python' })
    const first = running.processes().filter((p) => p.role === 'worker').map((p) => p.pid)
    expect(first).toHaveLength(2)
    // past --min-worker-lifetime 1 before the quota is reached
    await new Promise((r) => setTimeout(r, 1100))
    const statuses: number[] = []
    for (let i = 0; i < 30; i++) statuses.push(await get(`${running.url}/work?io_ms=5`))
    expect(statuses.filter((s) => s !== 200)).toEqual([])
    expect(await waitFor(() => first.every((pid) => !alive(pid)), 10_000)).toBe(true)
    expect(await waitFor(() => running!.processes().filter((p) => p.role === 'worker').length === 2, 10_000)).toBe(true)
  })
})
