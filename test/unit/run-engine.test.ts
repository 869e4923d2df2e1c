/**
 * The run engine (lab/run/engine.ts) on a fake driver and fake topologies:
 * its events reach listeners with no stream anywhere, and its outcome says
 * how the run ended without anything printed.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { LabEvent } from '../../lab/core/events.js'
import { EngineMissingError } from '../../lab/engines/types.js'
import type { LevelMeasurement, LevelRequest, LoadDriver } from '../../lab/load/driver.js'
import { FakeDriver } from '../../lab/load/fake.js'
import { runScenario } from '../../lab/run/engine.js'
import { RunEvents, type RunProgress } from '../../lab/run/events.js'
import { exitCode, type RunRequest } from '../../lab/run/types.js'
import type { RunningTopology } from '../../lab/topology/topology.js'

const dirs: string[] = []
let writes: ReturnType<typeof vi.spyOn>[] = []
beforeEach(() => {
  writes = [vi.spyOn(process.stdout, 'write'), vi.spyOn(process.stderr, 'write')]
})
afterEach(() => {
  for (const w of writes) w.mockRestore()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

/** Fake topologies that count their status questions and stops. */
function topologies() {
  const asked = { status: 0, stopped: 0 }
  const start = async (id: string): Promise<RunningTopology> => ({
    id,
    url: id === 'prefork' ? 'http://127.0.0.1:1' : 'http://127.0.0.1:2',
    engines: { server: id === 'prefork' ? 'node-prefork' : 'node-event-loop', proxy: null },
    processes: () => [{ pid: process.pid, role: id === 'prefork' ? 'master' : 'server' }],
    events: () => [],
    stop: async () => {
      asked.stopped++
    },
    status: async () => {
      asked.status++
      return [{ pid: 11, busy: true, requests: 1 }]
    },
  })
  return { start, asked }
}

function request(over: Partial<RunRequest> = {}): RunRequest {
  const out = mkdtempSync(path.join(os.tmpdir(), 'lab-engine-'))
  dirs.push(out)
  // two connection counts, so each topology has two levels
  return { target: 'prefork-vs-async', quick: true, set: ['quick.connections=[8,64]'], workload: ['io-bound'], out, driver: new FakeDriver(() => 80, { secondMs: 5 }), start: topologies().start, ...over }
}

/** Every event, in order. */
function record(events = new RunEvents()): { events: RunEvents; seen: LabEvent[] } {
  const seen: LabEvent[] = []
  events.onEvent((e) => seen.push(e))
  return { events, seen }
}

describe('the run engine', () => {
  it('tells plan, level-start, samples, level-done, warnings and done in order, and prints nothing', async () => {
    const { events, seen } = record()
    const outcome = await runScenario(request(), events)
    expect(outcome).toMatchObject({ status: 'done', code: 0, saved: true, problems: [] })
    const types = seen.map((e) => e.type)
    expect(types[0]).toBe('plan')
    // prefork @8: 0.25 s of warm-up and a 2 s window, three seconds of load
    expect(types.slice(1, 6)).toEqual(['level-start', 'sample', 'sample', 'sample', 'level-done'])
    expect(types.filter((t) => t === 'level-done')).toHaveLength(4)
    // async io-bound @64 at the fake's 80 req/s is far below the model's 1280: a model-mismatch warning, right after its level
    const warning = types.indexOf('warning')
    expect(warning).toBeGreaterThan(0)
    expect(['level-done', 'warning']).toContain(types[warning - 1])
    expect(types.at(-1)).toBe('done')
    expect(seen.at(-1)).toMatchObject({ type: 'done', code: 0, complete: true, file: outcome.file, report: outcome.report })
    for (const w of writes) expect(w).not.toHaveBeenCalled()
  })

  it('returns the document it saved, with every level measured', async () => {
    const outcome = await runScenario(request())
    expect(outcome.doc?.complete).toBe(true)
    expect(outcome.doc?.runs.map((r) => `${r.topology}@${r.connections}`)).toEqual(['prefork@8', 'prefork@64', 'async@8', 'async@64'])
    expect(JSON.parse(readFileSync(outcome.file as string, 'utf8'))).toEqual(outcome.doc)
  })

  it('asks the servers for live figures only when someone listens to samples', async () => {
    const quiet = topologies()
    const events = new RunEvents()
    let done = 0
    events.on('level-done', () => done++)
    await runScenario(request({ start: quiet.start, topology: ['prefork'] }), events)
    expect(done).toBe(2)
    expect(quiet.asked.status).toBe(0)

    const live = topologies()
    const listening = new RunEvents()
    let samples = 0
    listening.on('sample', () => samples++)
    const driver = new FakeDriver(() => 80, { secondMs: 5 })
    await runScenario(request({ start: live.start, topology: ['prefork'], driver }), listening)
    // one sample per second of load: warm-up and window of each level
    expect(samples).toBe(driver.requests.reduce((n, r) => n + Math.ceil(r.warmupS + r.durationS), 0))
    expect(samples).toBeGreaterThanOrEqual(4)
    expect(live.asked.status).toBeGreaterThan(0)
  })

  it('ticks progress with the level and the part of it done', async () => {
    const events = new RunEvents()
    const ticks: RunProgress[] = []
    events.onProgress((p) => ticks.push(p))
    await runScenario(request({ topology: ['prefork'] }), events)
    // a tick per second of load, the part done rising to 1 in each level
    for (const level of [0, 1]) {
      const fractions = ticks.filter((p) => p.level.index === level).map((p) => p.fraction)
      expect(fractions.length).toBeGreaterThanOrEqual(3)
      expect(fractions).toEqual([...fractions].sort((a, b) => a - b))
      expect(fractions.at(-1)).toBe(1)
    }
    expect(ticks[0]).toMatchObject({ phase: 'warmup', perSecond: 80 })
  })

  it('keeps running when a listener throws, and still tells the others', async () => {
    const events = new RunEvents()
    events.on('level-done', () => {
      throw new Error('listener bug')
    })
    const { seen } = record(events)
    const outcome = await runScenario(request(), events)
    expect(outcome.code).toBe(0)
    expect(seen.filter((e) => e.type === 'level-done')).toHaveLength(4)
  })

  it('stops listening after unsubscribing', async () => {
    const events = new RunEvents()
    let plans = 0
    const off = events.on('plan', () => plans++)
    off()
    await runScenario(request(), events)
    expect(plans).toBe(0)
  })

  it('refuses bad input with one problem per line, done code 2, and nothing saved', async () => {
    const { events, seen } = record()
    const outcome = await runScenario(request({ set: ['topologies.prefork.server.workers=-1', 'load.duration_s=long'] }), events)
    expect(outcome).toMatchObject({ status: 'bad-input', code: 2, saved: false })
    expect(outcome.problems).toEqual([
      'topologies.prefork.server.workers: -1 is not allowed; expected an integer 1..64',
      'load.duration_s: "long" is not allowed; expected a number 0.5..600 s',
    ])
    expect(outcome.file).toBeUndefined()
    expect(seen).toEqual([{ type: 'done', at: expect.any(Number), code: 2, complete: false, error: outcome.problems.join('\n') }])
  })

  it('ends interrupted with code 143 on SIGTERM, keeping what was measured', async () => {
    const controller = new AbortController()
    const events = new RunEvents()
    events.on('level-done', () => controller.abort('SIGTERM'))
    const fake = topologies()
    const outcome = await runScenario(request({ signal: controller.signal, start: fake.start }), events)
    expect(outcome).toMatchObject({ status: 'interrupted', code: 143, saved: true })
    expect(outcome.doc?.runs).toHaveLength(1)
    expect(JSON.parse(readFileSync(outcome.file as string, 'utf8')).complete).toBe(false)
    expect(fake.asked.stopped).toBe(1)
  })

  it('ends failed with the driver’s error, saving the levels measured before it and stopping the topology', async () => {
    const fake = new FakeDriver(() => 80)
    let levels = 0
    const failing: LoadDriver = {
      name: 'failing',
      runLevel: (req: LevelRequest): Promise<LevelMeasurement> => (++levels === 2 ? Promise.reject(new Error('autocannon broke')) : fake.runLevel(req)),
    }
    const topo = topologies()
    const { events, seen } = record()
    const outcome = await runScenario(request({ driver: failing, start: topo.start }), events)
    expect(outcome).toMatchObject({ status: 'failed', code: 1, problems: ['autocannon broke'], saved: true })
    expect(outcome.doc?.runs).toHaveLength(1)
    expect(topo.asked.stopped).toBe(1)
    expect(seen.at(-1)).toMatchObject({ type: 'done', code: 1, complete: false, error: 'autocannon broke' })
  })

  it('ends engine-missing with code 3 when a topology cannot start for want of an engine, saving nothing', async () => {
    const { events, seen } = record()
    const outcome = await runScenario(
      request({
        start: () => Promise.reject(new EngineMissingError('gunicorn', 'sudo apt-get install gunicorn')),
      }),
      events,
    )
    expect(outcome).toMatchObject({ status: 'engine-missing', code: 3, saved: false })
    expect(outcome.problems).toEqual(['gunicorn is not installed; install it with: sudo apt-get install gunicorn'])
    expect(seen.map((e) => e.type)).toEqual(['plan', 'done'])
    const plan = seen[0] as Extract<LabEvent, { type: 'plan' }>
    expect(existsSync(plan.file)).toBe(false)
  })
})

describe('exitCode', () => {
  it('maps each way a run ends to lab run’s exit code', () => {
    expect(exitCode('done')).toBe(0)
    expect(exitCode('failed')).toBe(1)
    expect(exitCode('bad-input')).toBe(2)
    expect(exitCode('engine-missing')).toBe(3)
    expect(exitCode('interrupted', 'SIGINT')).toBe(130)
    expect(exitCode('interrupted', 'stop')).toBe(130)
    expect(exitCode('interrupted', 'SIGTERM')).toBe(143)
    expect(exitCode('interrupted', 'SIGHUP')).toBe(129)
  })
})
