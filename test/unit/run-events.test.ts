import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { afterEach, assert, describe, expect, it } from 'vitest'
import { runCommand, type RunOptions } from '../../lab/commands/run.js'
import type { LabEvent, SampleEvent } from '../../lab/core/events.js'
import { FakeDriver } from '../../lab/load/fake.js'
import { ROOT } from '../../lab/topology/paths.js'
import type { RunningTopology } from '../../lab/topology/topology.js'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

/** A prefork that answers the status question with two workers, one busy; an event loop without one. */
const fakeTopology = async (id: string): Promise<RunningTopology> => ({
  id,
  url: id === 'prefork' ? 'http://127.0.0.1:1' : 'http://127.0.0.1:2',
  engines: { server: id === 'prefork' ? 'node-prefork' : 'node-event-loop', proxy: null },
  processes: () => [{ pid: process.pid, role: id === 'prefork' ? 'master' : 'server' }],
  events: () => [],
  stop: async () => {},
  ...(id === 'prefork'
    ? {
        status: async () => [
          { pid: 11, busy: true, requests: 7 },
          { pid: 12, busy: false, requests: 6 },
        ],
      }
    : {}),
})

async function run(over: Partial<RunOptions>) {
  const out = mkdtempSync(path.join(os.tmpdir(), 'lab-events-'))
  dirs.push(out)
  const events: LabEvent[] = []
  const quiet = new PassThrough()
  quiet.resume()
  const outcome = await runCommand({
    target: 'prefork-vs-async',
    quick: true,
    // two connection counts, so each topology has two levels
    set: ['quick.connections=[8,64]', 'quick.warmup_s=0.5'],
    workload: ['io-bound'],
    out,
    driver: new FakeDriver(() => 80, { secondMs: 5 }),
    start: fakeTopology,
    stdout: quiet,
    stderr: quiet,
    onEvent: (e) => events.push(e),
    ...over,
  })
  return { outcome, events }
}

describe('the events of lab run', () => {
  it('tells the plan, each level’s start, seconds and result, and the end, in order', async () => {
    const { outcome, events } = await run({})
    expect(outcome.code).toBe(0)
    const types = events.map((e) => e.type)
    expect(types[0]).toBe('plan')
    expect(types.at(-1)).toBe('done')
    // quick: 0.5 s warm-up + 1.5 s measured = 2 seconds per level, 4 levels
    expect(types.filter((t) => t === 'level-start')).toHaveLength(4)
    // a sample per second of load: 0.5 s warm-up + the window, 2 s (5 s for prefork @64: 5 latencies of 800 ms with headroom)
    expect(types.filter((t) => t === 'sample')).toHaveLength(3 + 6 + 3 + 3)
    expect(types.filter((t) => t === 'level-done')).toHaveLength(4)
    expect(types.slice(1, 6)).toEqual(['level-start', 'sample', 'sample', 'sample', 'level-done'])
    const at = events.map((e) => e.at)
    expect([...at].sort((a, b) => a - b)).toEqual(at)
  })

  it('puts the plan’s levels, topologies and results file in the plan event', async () => {
    const { events, outcome } = await run({})
    const plan = events[0]
    expect(plan?.type).toBe('plan')
    if (plan?.type !== 'plan') return
    expect(plan.levels.map((l) => `${l.topology}@${l.connections}`)).toEqual(['prefork@8', 'prefork@64', 'async@8', 'async@64'])
    expect(plan.topologies).toEqual([
      { id: 'prefork', model: 'prefork', workers: 4 },
      { id: 'async', model: 'event-loop' },
    ])
    expect(plan.file).toBe(outcome.file)
    expect(plan.load).toEqual({ connections: [8, 64], warmup_s: 0.5, duration_s: 2, repeat: 1 })
  })

  it('samples each second with its figures, CPU per process and the pre-fork workers', async () => {
    const { events } = await run({})
    const samples = events.filter((e): e is SampleEvent => e.type === 'sample')
    expect(samples[0]).toMatchObject({ level: 0, topology: 'prefork', t: 1, warmup: true, perSecond: 80, p50Ms: 100, p99Ms: 100, errors: 0 })
    expect(samples[1]).toMatchObject({ t: 2, warmup: false })
    expect(samples[0]?.processes.map((p) => p.role)).toEqual(['master'])
    expect(typeof samples[0]?.processes[0]?.cpuPercent).toBe('number')
    // the status is asked on each progress call and lands a moment later: by the second sample it is in
    expect(samples[1]?.workers).toEqual([
      { pid: 11, busy: true, busyFraction: 1, requests: 7 },
      { pid: 12, busy: false, busyFraction: 0, requests: 6 },
    ])
    expect(samples.find((s) => s.topology === 'async')?.workers).toBeUndefined()
  })

  it('ends with done naming the results and report files', async () => {
    const { events, outcome } = await run({})
    const done = events.at(-1)
    expect(done).toMatchObject({ type: 'done', code: 0, complete: true, file: outcome.file })
    assert(done?.type === 'done')
    // the HTML report is written when the page is built, and done names it exactly when it is
    expect(outcome.report !== undefined).toBe(existsSync(path.join(ROOT, 'web', 'dist', 'index.html')))
    expect(done.report).toBe(outcome.report)
  })

  it('sends the level’s warnings after its result', async () => {
    const { events } = await run({})
    const i = events.findIndex((e) => e.type === 'warning')
    expect(i).toBeGreaterThan(0)
    expect(events[i - 1]?.type === 'level-done' || events[i - 1]?.type === 'warning').toBe(true)
  })

  it('ends with done code 130 when stopped, keeping what was measured', async () => {
    const controller = new AbortController()
    const events: LabEvent[] = []
    const { outcome } = await run({
      signal: controller.signal,
      onEvent: (e) => {
        events.push(e)
        if (e.type === 'level-done') controller.abort('stop')
      },
    })
    expect(outcome.code).toBe(130)
    expect(events.at(-1)).toMatchObject({ type: 'done', code: 130, complete: false })
    expect(events.filter((e) => e.type === 'level-done')).toHaveLength(1)
  })

  it('ends with done code 2 and the problems for bad input', async () => {
    const { events } = await run({ set: ['topologies.prefork.server.workers=0'] })
    expect(events).toEqual([
      { type: 'done', at: expect.any(Number), code: 2, complete: false, error: 'topologies.prefork.server.workers: 0 is not allowed; expected an integer 1..64' },
    ])
  })

  it('keeps running when the listener throws', async () => {
    const { outcome } = await run({
      onEvent: () => {
        throw new Error('listener bug')
      },
    })
    expect(outcome.code).toBe(0)
  })
})
