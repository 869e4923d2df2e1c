import { describe, expect, it } from 'vitest'
import { formatSummary, verdictLines } from '../../lab/core/format.js'
import type { ResultsDocument, RunResult } from '../../lab/core/results.js'
import { makeRun } from './fixtures.js'

const runs = [
  makeRun({ topology: 'prefork', connections: 8, perSecond: 80 }),
  makeRun({ topology: 'prefork', connections: 128, perSecond: 80, prediction: { perSecond: 80, meanMs: 1600 } }),
  makeRun({ topology: 'async', connections: 8, perSecond: 155 }),
  makeRun({ topology: 'async', connections: 128, perSecond: 1944 }),
]

describe('verdictLines', () => {
  it('compares the topologies’ answered req/s at the highest connection count, with the ratio’s interval', () => {
    expect(verdictLines('io-bound', runs)).toEqual(['io-bound @128: async served 24.3× (95 % CI 23.9–24.7×) the answered req/s of prefork'])
  })

  it('has nothing to say with one topology', () => {
    expect(verdictLines('io-bound', runs.filter((r) => r.topology === 'async'))).toEqual([])
  })

  it('gives every other topology its own line, best first', () => {
    const three = [...runs, makeRun({ topology: 'threaded', connections: 128, perSecond: 320 })]
    expect(verdictLines('io-bound', three).map((l) => l.slice(0, l.indexOf('('))))
      .toEqual(['io-bound @128: async served 6.1× ', 'io-bound @128: async served 24.3× '])
  })

  it('finds no measurable difference where the two intervals overlap', () => {
    const close = [makeRun({ topology: 'prefork', connections: 64, perSecond: 190 }), makeRun({ topology: 'async', connections: 64, perSecond: 190.5 })]
    expect(verdictLines('io-bound', close)).toEqual(['io-bound @64: no measurable difference at this level between async and prefork (their 95 % intervals overlap)'])
  })

  it('says where one answered none', () => {
    const none = runs.map((r) => (r.topology === 'prefork' && r.connections === 128 ? makeRun({ topology: 'prefork', connections: 128, perSecond: 0 }) : r))
    none[1]!.requests.perSecond = { mean: 0, stddev: 0, min: 0, max: 0, n: 3, ci95: [0, 0], method: 'student-t', stdError: 0, df: 2 }
    const async128 = runs.find((r) => r.topology === 'async' && r.connections === 128)?.requests.perSecond.mean as number
    expect(verdictLines('io-bound', none)).toEqual([`io-bound @128: async answered ${async128.toFixed(async128 >= 100 ? 0 : 1)} req/s where prefork answered none`])
  })

  it('compares what was answered, not the 503s', () => {
    const shed = makeRun({ topology: 'async-limited', connections: 128, perSecond: 37_161 })
    shed.requests = { ...shed.requests, total: 74_322, ok: 1280, answeredPerSecond: { mean: 640, stddev: 5, min: 636, max: 644, n: 2, ci95: [595.1, 684.9], method: 'student-t', stdError: 3.54, df: 1 } }
    const [line] = verdictLines('io-bound', [runs[1]!, shed])
    expect(line).toMatch(/^io-bound @128: async-limited served 8\.0× \(95 % CI [\d.]+–[\d.]+×\) the answered req\/s of prefork$/)
  })
})

describe('formatSummary', () => {
  const doc: ResultsDocument = {
    schemaVersion: 1,
    complete: true,
    scenario: { name: 'prefork-vs-async', title: 'Sync pre-fork workers vs one async event loop', definition: { workloads: { 'io-bound': { io_ms: 50, cpu_ms: 0, bytes: 1024 } } } },
    stack: 'node',
    startedAt: '2026-11-22T10:00:00.000Z',
    finishedAt: '2026-11-22T10:00:48.000Z',
    env: { os: 'Debian', kernel: '6', cpuModel: 'x', cores: 2, memoryBytes: 1, node: 'v20', lab: '0.1.0', engines: {} },
    runs,
    warnings: [{ code: 'errors-seen', run: 0, message: 'prefork io-bound @8: 3 timeouts.' }],
  }

  it('prints a row per level with answered req/s as mean ± σ (n), percentiles, the Little ratio and both predictions', () => {
    const text = formatSummary(doc)
    expect(text).toContain('io-bound (50 ms wait + 0 ms CPU per request, 1024 B responses)')
    // an older prediction without textbook and this-machine figures counts as the textbook one
    expect(text).toMatch(/prefork\s+128\s+80\.0 ± 0\.5 \(n=3\)\s+1600\.0\s+1602\.0\s+0\s+2\s+1\.00\s+80\.0\s+—\s+1\.00\n/)
    expect(text).toMatch(/prefork\s+8\s+80\.0 ± 0\.5 \(n=3\).*1\.00\s+—\s+—\s+—\n/)
    expect(text).toContain('io-bound @128: async served 24.3× (95 % CI 23.9–24.7×) the answered req/s of prefork')
    expect(text).toContain('[errors-seen] prefork io-bound @8: 3 timeouts.')
  })

  it('takes a level’s repeats together as mean ± σ across them, n = repeats', () => {
    const repeated = [77, 78, 77].map((m, repeat) => makeRun({ topology: 'prefork', connections: 8, perSecond: m, repeat }))
    const text = formatSummary({ ...doc, runs: repeated, warnings: [] })
    expect(text).toMatch(/prefork\s+8\s+77\.3 ± 0\.6 \(n=3\)/)
    expect(text.match(/^  prefork /gm)).toHaveLength(1)
  })

  it('prints no ± for a level with one whole second', () => {
    const one = makeRun({ topology: 'async', connections: 8, perSecond: 155 })
    one.requests.perSecond = { mean: 155, stddev: 0, min: 155, max: 155, n: 1, ci95: null, method: 'none', stdError: null, df: null }
    expect(formatSummary({ ...doc, runs: [one], warnings: [] })).toMatch(/async\s+8\s+155\.0 \(n=1\)\s/)
  })

  it('shows all responses and the non-2xx beside the answered ones when a level shed load', () => {
    const shed = makeRun({ topology: 'async-limited', connections: 256, perSecond: 37_161 })
    shed.requests = { ...shed.requests, total: 74_322, ok: 1280, answeredPerSecond: { mean: 640, stddev: 5, min: 636, max: 644, n: 2, ci95: [595.1, 684.9], method: 'student-t', stdError: 3.54, df: 1 } }
    const text = formatSummary({ ...doc, runs: [shed], warnings: [] })
    expect(text).toContain('all req/s')
    expect(text).toMatch(/async-limited\s+256\s+640\.0 ± 5\.0 \(n=2\)\s+37161\.0\s+36521\.0/)
  })

  it('says which windows the rules extended, and the calibration and CPU placement', () => {
    const long = makeRun({ topology: 'prefork', connections: 64 })
    long.window = { warmupS: 0.5, measuredS: 5, definition: 'x', askedS: 2, verdict: 'extended', rule: 'latency', message: 'measured 5 s instead of 2 s: 5 × the predicted mean latency of 800 ms is 4.0 s' }
    const text = formatSummary({
      ...doc,
      runs: [long],
      warnings: [],
      env: { ...doc.env, placement: { mode: 'shared', client: [0, 1], servers: [0, 1], note: '2 cores: shared' } },
      calibration: [{ engine: 'node-prefork', version: '0.1.0', settings: 'model=prefork workers=4', serverMsPerRequest: 0.314, clientMsPerRequest: 0.309, level: { path: '/work', connections: 16, seconds: 2, perSecond: 1711, serverCpuPercent: 53.7, clientCpuPercent: 52.9 }, measuredAt: '2026-12-02T05:00:00.000Z', source: 'cache' }],
    })
    expect(text).toContain('prefork io-bound @64: measured 5 s instead of 2 s: 5 × the predicted mean latency of 800 ms is 4.0 s')
    expect(text).toMatch(/node-prefork 0\.1\.0\s+server 0\.314 ms, load generator 0\.309 ms \(1711 req\/s on 16 connections; model=prefork workers=4; cached 2026-12-02/)
    expect(text).toContain('CPU placement: 2 cores: shared.')
  })

  it('marks an incomplete document', () => {
    expect(formatSummary({ ...doc, complete: false }).split('\n')[0]).toContain('incomplete')
  })
})

describe('formatSummary with approximate theory', () => {
  it('marks an approximate theory figure with ~ and says why once under the table', () => {
    const why = 'Event loop: CPU work is fixed-length and served first come, first served.'
    const approx = [
      makeRun({ topology: 'async', workload: 'cpu-bound', connections: 8, perSecond: 99, prediction: { perSecond: 100, meanMs: 80, approximate: why } }),
      makeRun({ topology: 'async', workload: 'cpu-bound', connections: 64, perSecond: 99, prediction: { perSecond: 100, meanMs: 640, approximate: why } }),
      makeRun({ topology: 'prefork', workload: 'cpu-bound', connections: 64, perSecond: 190, prediction: { perSecond: 200, meanMs: 320 } }),
    ]
    const text = formatSummary({
      schemaVersion: 1,
      complete: true,
      scenario: { name: 'x', title: 'x', definition: {} },
      stack: 'node',
      startedAt: '2026-11-22T10:00:00.000Z',
      finishedAt: null,
      env: { os: 'Debian', kernel: '6', cpuModel: 'x', cores: 2, memoryBytes: 1, node: 'v20', lab: '0.1.0', engines: {} },
      runs: approx,
      warnings: [],
    })
    expect(text).toMatch(/async\s+64\s+99\.0 ± 0\.5.*\s~100\.0\s+—\s+0\.99\n/)
    expect(text).toMatch(/prefork\s+64\s+190\.0 ± 0\.5.*\s200\.0\s+—\s+0\.95\n/)
    expect(text.split(why).length - 1).toBe(1)
    expect(text).toContain('~ theory is approximate here:')
  })
})

describe('readability of the summary', () => {
  const base = (runs: RunResult[], definition: unknown = {}): ResultsDocument => ({
    schemaVersion: 1,
    complete: true,
    scenario: { name: 's', title: 'T', definition },
    stack: 'node',
    startedAt: '2026-11-22T10:00:00.000Z',
    finishedAt: '2026-11-22T10:00:48.000Z',
    env: { os: 'Debian', kernel: '6', cpuModel: 'x', cores: 2, memoryBytes: 1, node: 'v20', lab: '0.1.0', engines: {} },
    runs,
    warnings: [],
  })

  it('prints — instead of 0.0 ms where nothing was answered, in the table and for WebSocket deliveries', () => {
    const none = makeRun({ topology: 'prefork', connections: 8, perSecond: 0 })
    none.requests = { ...none.requests, total: 0, ok: 0 }
    none.latencyMs = { ...none.latencyMs, p50: 0, p99: 0 }
    none.websockets = { clients: 10, roomSize: 10, intervalMs: 1000, opened: 0, held: 0, failed: 10, closedByServer: 0, refused: {}, sent: 0, sentPerSecond: 0, delivered: 0, deliveredPerSecond: 0, deliveryMs: none.latencyMs }
    const text = formatSummary(base([none]))
    expect(text).toMatch(/prefork\s+8\s+.*\s—\s+—\s+\d+\s+\d+\s/)
    expect(text).toContain('delivery p50 —, p99 —')
    expect(text).not.toContain('0.0 ms')
  })

  it('says which engine served each topology, CPU % as % of one core, and the good ranges of the ratio columns', () => {
    const proxied = makeRun({ topology: 'proxied', connections: 8, perSecond: 80 })
    proxied.engines = { server: 'gunicorn', proxy: 'nginx' }
    const text = formatSummary(base([makeRun({ topology: 'bare', connections: 8, perSecond: 80 }), proxied]))
    expect(text.split('\n')[1]).toMatch(/^engines: bare = \S+, proxied = nginx → gunicorn$/)
    expect(text).toContain('CPU %: server processes, % of one core (100 = one core busy, 200 = two)')
    expect(text).toContain("good ranges: Little's 0.90–1.10")
    expect(text).toContain('meas/pred near 1.00')
  })

  it('describes a workload in words, not JSON', () => {
    const def = { workloads: { w: { io_ms: 0, cpu_ms: 5, bytes: 64, streams: { count: 4 }, slow_clients: { count: 3, mode: 'slow-headers' } } } }
    const text = formatSummary(base([makeRun({ topology: 'a', connections: 8, perSecond: 80, workload: 'w' })], def))
    expect(text).toContain('w (0 ms wait + 5 ms CPU per request, 64 B responses, 4 streams held open, 3 slow clients (slow-headers))')
    expect(text).not.toContain('{')
  })
})
