import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { calibrateCommand } from '../../lab/commands/calibrate.js'
import type { ResultsDocument } from '../../lab/core/results.js'
import type { RunEvents } from '../../lab/run/events.js'
import type { RunOutcome, RunRequest } from '../../lab/run/types.js'

function capture() {
  const s = new PassThrough()
  let text = ''
  s.on('data', (c: Buffer) => (text += c.toString()))
  return { stream: s, text: () => text }
}

/** A calibration record as the engine leaves it in the outcome's document. */
const record = (engine: string) => ({
  engine,
  version: '0.1.0',
  settings: 'model=prefork workers=4 io_ms=1',
  serverMsPerRequest: 0.278,
  clientMsPerRequest: 0.347,
  level: { path: '/work?io_ms=1&cpu_ms=0&bytes=1024', connections: 16, seconds: 1, perSecond: 2518, serverCpuPercent: 70, clientCpuPercent: 87 },
  measuredAt: '2026-12-03T07:00:00.000Z',
  source: 'measured' as const,
})

/** A fake engine: each scenario's outcome by name, the requests it was given kept in `asked`. */
function fakeEngine(outcomes: Record<string, Partial<RunOutcome>>) {
  const asked: RunRequest[] = []
  const run = async (req: RunRequest, events?: RunEvents): Promise<RunOutcome> => {
    asked.push(req)
    events?.emit({ type: 'calibrate', at: 0, engine: 'node-prefork', settings: 'model=prefork workers=4 io_ms=1' })
    const o = outcomes[req.target] ?? {}
    const doc = { env: {}, calibration: o.code ? [] : [record('node-prefork')], runs: [] } as unknown as ResultsDocument
    return { status: 'done', code: 0, problems: [], skipped: [], saved: false, doc, ...o }
  }
  return { run, asked }
}

describe('lab calibrate', () => {
  it('calibrates each named scenario through the run engine without measuring a level, and prints its calibrations', async () => {
    const stdout = capture()
    const stderr = capture()
    const engine = fakeEngine({})
    const code = await calibrateCommand({ scenarios: ['prefork-vs-async', 'scale'], quick: true, stack: 'node', run: engine.run, stdout: stdout.stream, stderr: stderr.stream })
    expect(code).toBe(0)
    expect(engine.asked.map((r) => [r.target, r.calibrateOnly, r.quick, r.stack])).toEqual([
      ['prefork-vs-async', true, true, 'node'],
      ['scale', true, true, 'node'],
    ])
    expect(stderr.text()).toContain('[2/2] scale')
    expect(stderr.text()).toContain('calibrating node-prefork (model=prefork workers=4 io_ms=1)')
    expect(stdout.text()).toMatch(/^prefork-vs-async:\n {2}node-prefork 0\.1\.0 +server 0\.278 ms, load generator 0\.347 ms/)
    expect(stdout.text()).toContain('measured now')
  })

  it('calibrates every built-in scenario when none is named', async () => {
    const engine = fakeEngine({})
    await calibrateCommand({ scenarios: [], run: engine.run, stdout: capture().stream, stderr: capture().stream })
    expect(engine.asked.map((r) => r.target)).toContain('prefork-vs-async')
    expect(engine.asked.length).toBeGreaterThan(20)
  })

  it('goes on past a scenario whose engine is missing and exits with the worst code, bad input over a missing engine', async () => {
    const stderr = capture()
    const missing = fakeEngine({ 'app-servers': { status: 'engine-missing', code: 3, problems: ['uwsgi is not installed: apt-get install uwsgi'] } })
    expect(await calibrateCommand({ scenarios: ['app-servers', 'scale'], run: missing.run, stdout: capture().stream, stderr: stderr.stream })).toBe(3)
    expect(missing.asked).toHaveLength(2)
    expect(stderr.text()).toContain('lab calibrate: app-servers: uwsgi is not installed')
    const bad = fakeEngine({ nope: { status: 'bad-input', code: 2, problems: ['no scenario named nope'] }, 'app-servers': { status: 'engine-missing', code: 3 } })
    expect(await calibrateCommand({ scenarios: ['nope', 'app-servers'], run: bad.run, stdout: capture().stream, stderr: capture().stream })).toBe(2)
  })

  it('stops at an interrupt with its exit code, calibrating nothing after it', async () => {
    const engine = fakeEngine({ 'prefork-vs-async': { status: 'interrupted', code: 130 } })
    expect(await calibrateCommand({ scenarios: ['prefork-vs-async', 'scale'], run: engine.run, stdout: capture().stream, stderr: capture().stream })).toBe(130)
    expect(engine.asked).toHaveLength(1)
  })
})
