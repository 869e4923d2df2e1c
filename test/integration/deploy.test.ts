import http from 'node:http'
import net from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { validateScenario, type TopologyDef } from '../../lab/core/scenario.js'
import { startTopology, type RunningTopology } from '../../lab/topology/topology.js'
import { alive, stopAndCheck, waitFor } from './helpers.js'

function prefork(server: Record<string, unknown>): TopologyDef {
  const v = validateScenario({ name: 't', title: 't', summary: 't', topologies: { p: { server: { model: 'prefork', ...server } } }, workloads: { w: {} }, load: { connections: [1] } })
  if (!v.ok) throw new Error(v.problems.join('\n'))
  return v.value.topologies.p as TopologyDef
}

/** GETs `path` until `until()` holds, from `clients` loops; counts answers by status and failures. */
async function loop(url: string, clients: number, until: () => boolean) {
  const tally = { ok: 0, failed: 0, workers: new Set<string>() }
  const one = () =>
    new Promise<void>((resolve) => {
      http
        .get(url, { agent: false, timeout: 2000 }, (res) => {
          res.resume()
          res.on('end', () => {
            if (res.statusCode === 200) tally.ok++
            else tally.failed++
            tally.workers.add(String(res.headers['x-worker']))
            resolve()
          })
        })
        .on('timeout', function (this: http.ClientRequest) {
          this.destroy(new Error('no answer within 2 s'))
        })
        .on('error', () => {
          tally.failed++
          setTimeout(resolve, 20) // a refused client waits a little before it tries again
        })
    })
  await Promise.all(Array.from({ length: clients }, async () => {
    while (!until()) await one()
  }))
  return tally
}

let running: RunningTopology | undefined
afterEach(async () => {
  await stopAndCheck(running)
  running = undefined
})

describe('deploying a new version of the built-in pre-fork server', () => {
  it('reloads on SIGHUP without failing a request: new workers serve, the old ones exit', async () => {
    running = await startTopology('p', prefork({ workers: 2 }))
    const old = running.processes().filter((p) => p.role === 'worker').map((p) => p.pid)
    let done = false
    const load = loop(`${running.url}/work?io_ms=30`, 4, () => done)
    await new Promise((r) => setTimeout(r, 300))
    await running.deploy?.('hup')
    const oldGone = await waitFor(() => old.every((pid) => !alive(pid)), 8000)
    await new Promise((r) => setTimeout(r, 300))
    done = true
    const tally = await load
    expect(oldGone).toBe(true)
    expect(tally.failed).toBe(0)
    expect(tally.ok).toBeGreaterThan(10)
    expect([...tally.workers].some((w) => !old.includes(Number(w)))).toBe(true)
    expect(running.events().map((e) => e.kind)).toContain('deploy')
  }, 30_000)

  it('restarts on the same port, refusing connections in the gap', async () => {
    running = await startTopology('p', prefork({ workers: 2 }))
    const url = running.url
    let done = false
    const load = loop(`${url}/work?io_ms=30`, 4, () => done)
    await new Promise((r) => setTimeout(r, 300))
    await running.deploy?.('restart')
    await new Promise((r) => setTimeout(r, 300))
    done = true
    const tally = await load
    expect(tally.failed).toBeGreaterThan(0)
    expect(running.url).toBe(url)
    expect(await loop(`${url}/health`, 1, (() => { let n = 0; return () => n++ >= 3 })())).toMatchObject({ ok: 3, failed: 0 })
  }, 30_000)

  it('ends every request sent across a restart, answered or refused, though the client sets no timeout', async () => {
    running = await startTopology('p', prefork({ workers: 2 }))
    const port = Number(new URL(running.url).port)
    // raw connections with no client timeout: clients connect as soon as the new port listens,
    // so a socket keeper that accepted one would leave it waiting forever
    const open = new Set<number>()
    let done = false
    let sent = 0
    const one = () =>
      new Promise<void>((resolve) => {
        const id = sent++
        open.add(id)
        const end = () => (open.delete(id), resolve())
        const s = net.connect(port, '127.0.0.1', () => s.write('GET /work?io_ms=5 HTTP/1.1\r\nHost: lab\r\nConnection: close\r\n\r\n'))
        s.on('data', () => {}).on('close', end).on('error', end)
      })
    const load = Promise.all(Array.from({ length: 8 }, async () => {
      while (!done) await one()
    }))
    await new Promise((r) => setTimeout(r, 300))
    await running.deploy?.('restart')
    await new Promise((r) => setTimeout(r, 500))
    done = true
    expect(await waitFor(() => open.size === 0, 5000)).toBe(true)
    await load
    expect(sent).toBeGreaterThan(50)
  }, 30_000)

  it('recycles a worker after max_requests and keeps the pool full', async () => {
    running = await startTopology('p', prefork({ workers: 2, max_requests: 5 }))
    const first = running.processes().filter((p) => p.role === 'worker').map((p) => p.pid)
    let n = 0
    const tally = await loop(`${running.url}/work?leak_kb=64`, 1, () => n++ >= 30)
    expect(tally.failed).toBe(0)
    expect(await waitFor(() => running!.events().filter((e) => e.kind === 'worker-exit').length >= 4, 8000)).toBe(true)
    expect(first.every((pid) => !alive(pid))).toBe(true)
  }, 30_000)
})
