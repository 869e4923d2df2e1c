import { afterEach, describe, expect, it } from 'vitest'
import { AutocannonDriver } from '../../lab/load/autocannon.js'
import { startTopology, type RunningTopology } from '../../lab/topology/topology.js'
import { stopAndCheck } from './helpers.js'

const eventLoop = { server: { model: 'event-loop' as const, workers: 1, timeout_s: 30, backlog: 2048 } }
let running: RunningTopology | undefined
afterEach(async () => {
  await stopAndCheck(running)
  running = undefined
})

describe('the built-in event-loop server', () => {
  it("overlaps 50 ms waits: more than 500 req/s at 32 connections, obeying Little's law", async () => {
    running = await startTopology('a', eventLoop)
    const m = await new AutocannonDriver().runLevel({
      url: `${running.url}/work?io_ms=50&cpu_ms=0&bytes=1024`,
      connections: 32,
      warmupS: 1,
      durationS: 2,
      timeoutS: 10,
    })
    expect(m.requests.perSecond.mean).toBeGreaterThan(500)
    const ratio = m.latencyMs.mean / ((32 * 1000) / m.requests.perSecond.mean)
    expect(ratio).toBeGreaterThan(0.9)
    expect(ratio).toBeLessThan(1.1)
    expect(m.latencyMs.p50).toBeGreaterThan(49)
  })

  it('runs CPU work on one core: at most 1/S with 10 ms per request, served fairly to every connection', async () => {
    running = await startTopology('a', eventLoop)
    const m = await new AutocannonDriver().runLevel({
      url: `${running.url}/work?io_ms=0&cpu_ms=10&bytes=1024`,
      connections: 32,
      warmupS: 0.5,
      durationS: 2,
      timeoutS: 10,
    })
    expect(m.requests.perSecond.mean).toBeLessThan(105)
    expect(m.requests.perSecond.mean).toBeGreaterThan(60)
    const ratio = m.latencyMs.mean / ((32 * 1000) / m.requests.perSecond.mean)
    expect(ratio).toBeGreaterThan(0.9)
    expect(ratio).toBeLessThan(1.1)
  })

  it('keeps connections alive and names its pid', async () => {
    running = await startTopology('a', eventLoop)
    const res = await fetch(`${running.url}/work?bytes=5`)
    expect(res.headers.get('connection')).toBe('keep-alive')
    expect(res.headers.get('x-worker')).toBe(String(running.processes()[0]?.pid))
    expect(await res.text()).toHaveLength(5)
  })
})
