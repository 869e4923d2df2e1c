import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { runCommand, type RunOptions } from '../../lab/commands/run.js'
import { parseResults } from '../../lab/core/results.js'
import { FakeDriver } from '../../lab/load/fake.js'
import type { RunningTopology } from '../../lab/topology/topology.js'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function capture() {
  const s = new PassThrough()
  let text = ''
  s.on('data', (c: Buffer) => (text += c.toString()))
  return { stream: s, text: () => text }
}

const fakeTopology = async (id: string): Promise<RunningTopology> => ({
  id,
  url: id === 'prefork' ? 'http://127.0.0.1:1' : 'http://127.0.0.1:2',
  engines: { server: id === 'prefork' ? 'node-prefork' : 'node-event-loop', proxy: null },
  processes: () => [{ pid: process.pid, role: 'server' }],
  events: () => [],
  stop: async () => {},
})

async function run(over: Partial<RunOptions>) {
  const out = mkdtempSync(path.join(os.tmpdir(), 'lab-test-'))
  dirs.push(out)
  const stdout = capture()
  const stderr = capture()
  // prefork (port 1): 4 workers × 1/50 ms; async (port 2): every connection served in 50 ms
  const driver = new FakeDriver((req) => (req.url.includes(':1/') ? Math.min(req.connections, 4) * 20 : req.connections * 19.5))
  const outcome = await runCommand({ target: 'prefork-vs-async', out, driver, start: fakeTopology, stdout: stdout.stream, stderr: stderr.stream, ...over })
  return { outcome, out, driver, stdout: stdout.text(), stderr: stderr.text() }
}

describe('lab run with a fake driver', () => {
  it('writes a complete, valid results document and prints the summary', async () => {
    const { outcome, out, stdout } = await run({ quick: true, set: ['quick.connections=[8,64]'] })
    expect(outcome.code).toBe(0)
    const files = readdirSync(path.join(out, 'prefork-vs-async')).filter((f) => f.endsWith('.json'))
    expect(files).toHaveLength(1)
    const doc = parseResults(JSON.parse(readFileSync(path.join(out, 'prefork-vs-async', files[0] as string), 'utf8')))
    expect(doc.ok).toBe(true)
    if (!doc.ok) return
    expect(doc.value.complete).toBe(true)
    expect(doc.value.runs).toHaveLength(8)
    expect(doc.value.runs[1]).toMatchObject({ topology: 'prefork', workload: 'io-bound', connections: 64 })
    expect(doc.value.runs[1]?.littlesLaw.ratio).toBeCloseTo(1, 10)
    expect(doc.value.notes).toContain('#')
    expect(stdout).toContain('io-bound @64: async served')
  })

  it('passes the quick load to the driver', async () => {
    const { driver } = await run({ quick: true, set: ['quick.connections=[8,64]'], topology: ['prefork'], workload: ['io-bound'] })
    // the quick 2 s window, and at 64 connections the 5 s that 5 predicted latencies of 800 ms take with 25 % headroom
    expect(driver.requests.map((r) => [r.connections, r.warmupS, r.durationS])).toEqual([[8, 0.25, 2], [64, 0.25, 5]])
    expect(driver.requests[0]?.url).toBe('http://127.0.0.1:1/work?io_ms=50&cpu_ms=0&bytes=1024')
  })

  it('writes the results document to stdout with --json and the summary to stderr', async () => {
    const { stdout, stderr } = await run({ quick: true, json: true, topology: ['async'] })
    expect(JSON.parse(stdout).schemaVersion).toBe(1)
    expect(stderr).toContain('cpu-bound (0 ms wait + 10 ms CPU per request, 1024 B responses)')
  })

  it('exits 2 with one line per problem for bad --set values', async () => {
    const { outcome, stderr } = await run({ set: ['topologies.prefork.server.workers=-1', 'load.duration_s=long'] })
    expect(outcome.code).toBe(2)
    expect(stderr).toBe(
      'lab run: topologies.prefork.server.workers: -1 is not allowed; expected an integer 1..64\n' +
        'lab run: load.duration_s: "long" is not allowed; expected a number 0.5..600 s\n',
    )
  })

  it('exits 2 for an unknown scenario, naming the known ones', async () => {
    const { outcome, stderr } = await run({ target: 'no-such-scenario' })
    expect(outcome.code).toBe(2)
    expect(stderr).toMatch(/no-such-scenario: no such scenario; expected one of .*prefork-vs-async.*worker-sweep/)
  })

  it('exits 2 for an unknown stack', async () => {
    const { outcome, stderr } = await run({ stack: 'ruby' })
    expect(outcome.code).toBe(2)
    expect(stderr).toContain('--stack ruby: unknown; expected one of node, python')
  })

  it('keeps what was measured when interrupted, marked incomplete', async () => {
    const controller = new AbortController()
    let levels = 0
    const driver = new FakeDriver(() => {
      if (++levels === 3) controller.abort('SIGINT')
      return 80
    })
    const { outcome } = await run({ quick: true, set: ['quick.connections=[8,64]'], driver, signal: controller.signal })
    expect(outcome.code).toBe(130)
    expect(outcome.doc?.complete).toBe(false)
    expect(outcome.doc?.runs).toHaveLength(2)
    const saved = JSON.parse(readFileSync(outcome.file as string, 'utf8'))
    expect(saved.complete).toBe(false)
    expect(saved.runs).toHaveLength(2)
  })

  it('says nothing was measured yet and writes no file when interrupted before the first level finished', async () => {
    const controller = new AbortController()
    const driver = new FakeDriver(() => {
      controller.abort('SIGINT')
      return 80
    })
    const { outcome, out, stdout, stderr } = await run({ quick: true, json: true, driver, signal: controller.signal })
    expect(outcome.code).toBe(130)
    expect(outcome.saved).toBe(false)
    expect(stderr).toContain('Interrupted before the first level finished: nothing was measured yet, so no results were written.')
    expect(stderr).not.toContain('is saved')
    expect(stdout).toBe('') // no document on stdout for a run that wrote none
    expect(readdirSync(out, { recursive: true })).toEqual([])
  })
})
