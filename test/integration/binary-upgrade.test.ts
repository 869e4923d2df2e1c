/**
 * Deploys without a dropped request on the real engines: Gunicorn's binary
 * upgrade (USR2, then TERM to the old master; lab/engines/upgrade.ts) and
 * nginx's reload (SIGHUP, `nginx -s reload`), each under a small load; and
 * the upgrade's new master (a child of the old one, re-parented when the old
 * one exits) stopped with the rest of its process group at teardown.
 */
import http from 'node:http'
import { afterEach, expect } from 'vitest'
import { validateScenario, type TopologyDef } from '../../lab/core/scenario.js'
import { groupMembers, procStat } from '../../lab/topology/proc.js'
import { startTopology, type RunningTopology } from '../../lab/topology/topology.js'
import { engine as tool, needs } from '../support/tools.js'
import { alive, waitFor } from './helpers.js'

const [gunicorn, nginx] = await Promise.all([tool('gunicorn'), tool('nginx')])

function topology(t: Record<string, unknown>): TopologyDef {
  const v = validateScenario({ name: 't', title: 't', summary: 't', topologies: { t }, workloads: { w: {} }, load: { connections: [1] } })
  if (!v.ok) throw new Error(v.problems.join('\n'))
  return v.value.topologies.t as TopologyDef
}

/** `clients` loops of GET `url` until `until()` holds; counts 200s and everything else (other statuses, resets, refusals, timeouts). */
async function loop(url: string, clients: number, until: () => boolean) {
  const tally = { ok: 0, failed: 0 }
  const one = () =>
    new Promise<void>((resolve) => {
      http
        .get(url, { agent: false, timeout: 5000 }, (res) => {
          res.resume()
          res.on('end', () => {
            if (res.statusCode === 200) tally.ok++
            else tally.failed++
            resolve()
          })
        })
        .on('timeout', function (this: http.ClientRequest) {
          this.destroy(new Error('no answer within 5 s'))
        })
        .on('error', () => {
          tally.failed++
          setTimeout(resolve, 20)
        })
    })
  await Promise.all(Array.from({ length: clients }, async () => {
    while (!until()) await one()
  }))
  return tally
}

let running: RunningTopology | undefined
afterEach(async () => {
  await running?.stop()
  running = undefined
})

needs(gunicorn).describe("Gunicorn's binary upgrade (USR2, then TERM to the old master)", () => {
  needs(gunicorn).it('serves every request across the upgrade, hands over to the new master, and leaves no process of either after teardown', async () => {
    running = await startTopology('t', topology({ server: { model: 'prefork', engine: 'gunicorn', workers: 2 } }), { stack: 'python' })
    const oldMaster = running.processes().find((p) => p.role === 'master')!.pid
    const oldWorkers = running.processes().filter((p) => p.role === 'worker').map((p) => p.pid)
    const pgid = procStat(oldMaster)!.pgrp
    let done = false
    const load = loop(`${running.url}/work?io_ms=30`, 4, () => done)
    await new Promise((r) => setTimeout(r, 300))
    await running.deploy!('usr2')
    await new Promise((r) => setTimeout(r, 300))
    done = true
    const tally = await load
    expect(tally.failed).toBe(0)
    expect(tally.ok).toBeGreaterThan(10)
    expect(alive(oldMaster)).toBe(false)
    expect(oldWorkers.some(alive)).toBe(false)
    const now = running.processes()
    const newMaster = now.find((p) => p.role === 'master')!.pid
    expect(newMaster).not.toBe(oldMaster)
    expect(now.filter((p) => p.role === 'worker')).toHaveLength(2)
    // the new master outlived its parent and kept the lab's process group
    expect(procStat(newMaster)?.pgrp).toBe(pgid)
    expect(running.events().filter((e) => e.kind === 'deploy').map((e) => e.message)).toEqual([
      expect.stringMatching(/^deploy: SIGUSR2/),
      expect.stringMatching(/^deploy: new master \d+ serving/),
      expect.stringMatching(/^deploy: old master \d+ gone/),
    ])
    // a master gone by its own upgrade is not reported as a crash nothing restarts
    expect(running.events().some((e) => /nothing restarts it/.test(e.message))).toBe(false)
    const pids = now.map((p) => p.pid)
    await running.stop()
    running = undefined
    expect(await waitFor(() => groupMembers(pgid).length === 0 && !pids.some(alive), 5000)).toBe(true)
  })
})

needs(nginx).describe("nginx's reload in front (SIGHUP to its master, nginx -s reload)", () => {
  needs(nginx).it('serves every request across the reload while new nginx workers replace the old ones', async () => {
    running = await startTopology('t', topology({ server: { model: 'prefork', workers: 2 }, proxy: { model: 'reverse-proxy', engine: 'nginx' } }))
    const before = running.processes().map((p) => p.pid)
    let done = false
    const load = loop(`${running.url}/work?io_ms=30`, 4, () => done)
    await new Promise((r) => setTimeout(r, 300))
    await running.deploy!('proxy-reload')
    // the old nginx workers go once their connections are done; new ones take their place
    const replaced = await waitFor(() => running!.processes().some((p) => p.role === 'proxy' && !before.includes(p.pid)), 8000)
    await new Promise((r) => setTimeout(r, 300))
    done = true
    const tally = await load
    expect(replaced).toBe(true)
    expect(tally.failed).toBe(0)
    expect(tally.ok).toBeGreaterThan(10)
    expect(running.events().map((e) => e.message)).toContainEqual(expect.stringMatching(/^deploy: SIGHUP to the nginx master/))
  })
})
