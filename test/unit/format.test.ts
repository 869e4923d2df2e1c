import { describe, expect, it } from 'vitest'
import { formatSummary, verdict } from '../../lab/core/format.js'
import type { ResultsDocument } from '../../lab/core/results.js'
import { makeRun } from './fixtures.js'

const runs = [
  makeRun({ topology: 'prefork', connections: 8, perSecond: 80 }),
  makeRun({ topology: 'prefork', connections: 128, perSecond: 80, prediction: { perSecond: 80, meanMs: 1600 } }),
  makeRun({ topology: 'async', connections: 8, perSecond: 155 }),
  makeRun({ topology: 'async', connections: 128, perSecond: 1944 }),
]

describe('verdict', () => {
  it('compares the topologies at the highest connection count', () => {
    expect(verdict('io-bound', runs)).toBe('io-bound @128: async served 24.3× the req/s of prefork')
  })

  it('has nothing to say with one topology', () => {
    expect(verdict('io-bound', runs.filter((r) => r.topology === 'async'))).toBeNull()
  })

  it('puts every other topology on the one line, best first', () => {
    const three = [...runs, makeRun({ topology: 'threaded', connections: 128, perSecond: 320 })]
    expect(verdict('io-bound', three)).toBe('io-bound @128: async served 6.1× the req/s of threaded, 24.3× the req/s of prefork')
  })

  it('rounds a ratio of 100 or more to a whole number, as the report does', () => {
    const slow = runs.map((r) => (r.topology === 'prefork' ? makeRun({ topology: 'prefork', connections: r.connections, perSecond: 12.8 }) : r))
    expect(verdict('io-bound', slow)).toBe('io-bound @128: async served 152× the req/s of prefork')
  })

  it('says how much the best served when another served none', () => {
    const none = runs.map((r) => (r.topology === 'prefork' && r.connections === 128 ? makeRun({ topology: 'prefork', connections: 128, perSecond: 0 }) : r))
    expect(verdict('io-bound', none)).toBe('io-bound @128: async served 1944.0 req/s where prefork served none')
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

  it('prints a row per level with req/s mean ± σ, percentiles and the Little ratio', () => {
    const text = formatSummary(doc)
    expect(text).toContain('io-bound (io_ms=50 cpu_ms=0 bytes=1024)')
    expect(text).toMatch(/prefork\s+128\s+80\.0 ± 0\.5\s+1600\.0\s+1602\.0\s+0\s+2\s+1\.00\s+80\.0\s+1\.00/)
    expect(text).toMatch(/prefork\s+8\s+80\.0 ± 0\.5.*1\.00\s+-\s+-\n/)
    expect(text).toContain('io-bound @128: async served 24.3× the req/s of prefork')
    expect(text).toContain('[errors-seen] prefork io-bound @8: 3 timeouts.')
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
    expect(text).toMatch(/async\s+64\s+99\.0 ± 0\.5.*\s~100\.0\s+0\.99\n/)
    expect(text).toMatch(/prefork\s+64\s+190\.0 ± 0\.5.*\s200\.0\s+0\.95\n/)
    expect(text.split(why).length - 1).toBe(1)
    expect(text).toContain('~ theory is approximate here:')
  })
})
