/**
 * The workers' memory over time (issue 19, worker-recycling): the series built
 * from /proc readings (lab/core/results-memory.ts), the sampler's readings of
 * a fake /proc, the results schema, and the report's panel
 * (web/src/report/worker-memory.ts).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { setLang } from '../../lab/core/i18n.js'
import { MAX_MEMORY_POINTS, workerMemory, type RssReading } from '../../lab/core/results-memory.js'
import { parseResults, type ResultsDocument, type RunResult } from '../../lab/core/results.js'
import { Sampler } from '../../lab/topology/sampler.js'
import { buildReport } from '../../web/src/report/build.js'
import { workerMemorySection } from '../../web/src/report/worker-memory.js'
import { makeRun } from './fixtures.js'

const MiB = 1024 * 1024

/**
 * Two workers read every 250 ms from t = 1 s: worker 11 leaks 10 MiB a
 * reading from 20 MiB, and after 1.5 s (its 6th reading) is replaced by
 * pid 13, which starts at 20 MiB again; worker 12 stays at 20 MiB.
 */
function recycled(loadStartedAt: number): RssReading[] {
  const out: RssReading[] = []
  for (let i = 0; i < 10; i++) {
    const at = loadStartedAt + 1000 + 250 * i
    out.push({ pid: 12, at, rssBytes: 20 * MiB })
    out.push(i < 6 ? { pid: 11, at, rssBytes: (20 + 10 * i) * MiB } : { pid: 13, at, rssBytes: (20 + 10 * (i - 6)) * MiB })
  }
  return out
}

describe('the workers’ memory series', () => {
  it('climbs while a worker leaks and drops when a new pid replaces it, summed and largest at each reading', () => {
    const m = workerMemory(recycled(5000), 5000)
    expect(m?.readingsPerPoint).toBe(1)
    expect(m?.pids).toBe(3)
    expect(m?.points.map((p) => p.t)).toEqual([1, 1.25, 1.5, 1.75, 2, 2.25, 2.5, 2.75, 3, 3.25])
    expect(m?.points.map((p) => p.maxRssBytes / MiB)).toEqual([20, 30, 40, 50, 60, 70, 20, 30, 40, 50])
    expect(m?.points.map((p) => p.sumRssBytes / MiB)).toEqual([40, 50, 60, 70, 80, 90, 40, 50, 60, 70])
    expect(m?.points.every((p) => p.workers === 2)).toBe(true)
  })

  it('counts a worker missing from a reading (exited, its replacement not read yet) out of that reading’s sum', () => {
    const rs = recycled(0).filter((r) => !(r.pid === 13 && r.at === 2500))
    const p = workerMemory(rs, 0)?.points.find((x) => x.t === 2.5)
    expect(p).toEqual({ t: 2.5, sumRssBytes: 20 * MiB, maxRssBytes: 20 * MiB, workers: 1 })
  })

  it('reads an instant with no worker running (all exited, none booted yet) as 0 bytes and 0 workers', () => {
    const rs = recycled(0).filter((r) => r.at !== 2500)
    const instants = [...new Set(recycled(0).map((r) => r.at))]
    expect(workerMemory(rs, 0, { instants })?.points.find((x) => x.t === 2.5)).toEqual({ t: 2.5, sumRssBytes: 0, maxRssBytes: 0, workers: 0 })
    expect(workerMemory(rs, 0)?.points.map((x) => x.t)).not.toContain(2.5)
  })

  it('merges consecutive readings past the bound: never more points than asked, the largest kept, the sums averaged', () => {
    const rs: RssReading[] = Array.from({ length: 1000 }, (_, i) => ({ pid: 1 + Math.floor(i / 100), at: 10 * i, rssBytes: (i % 100) * MiB }))
    const m = workerMemory(rs, 0)
    expect(m?.readingsPerPoint).toBe(5)
    expect(m?.points).toHaveLength(MAX_MEMORY_POINTS)
    expect(m?.pids).toBe(10)
    // readings 0..4: 0..4 MiB, one worker each
    expect(m?.points[0]).toEqual({ t: 0.04, sumRssBytes: 2 * MiB, maxRssBytes: 4 * MiB, workers: 1 })
    // readings 95..99 of pid 1 and none of pid 2: the group ends before the drop
    expect(m?.points[19]?.maxRssBytes).toBe(99 * MiB)
    expect(m?.points[20]?.maxRssBytes).toBe(4 * MiB)
    expect(workerMemory(rs, 0, { maxPoints: 7 })?.points).toHaveLength(7)
  })

  it('is absent without a reading, and refuses a bound below one point', () => {
    expect(workerMemory([], 0)).toBeUndefined()
    expect(() => workerMemory(recycled(0), 0, { maxPoints: 0 })).toThrow(RangeError)
  })
})

describe('the sampler’s readings', () => {
  let root = ''
  afterEach(() => {
    vi.unstubAllEnvs()
    if (root) rmSync(root, { recursive: true, force: true })
  })
  const proc = (pid: number, rssKb: number) => {
    mkdirSync(path.join(root, String(pid)), { recursive: true })
    writeFileSync(path.join(root, String(pid), 'stat'), `${pid} (node) S 1 1 1 0 -1 0 0 0 0 0 5 5 0 0`)
    writeFileSync(path.join(root, String(pid), 'status'), `Name:\tnode\nVmRSS:\t${rssKb} kB\n`)
  }

  it('gives every reading of the asked pids inside the window, a replaced worker’s and its replacement’s', () => {
    root = mkdtempSync(path.join(tmpdir(), 'lab-fakeproc-'))
    vi.stubEnv('LAB_PROC_ROOT', root)
    const sampler = new Sampler(1000)
    proc(21, 1000)
    proc(22, 5000)
    sampler.watch([21, 22])
    sampler.tick()
    const from = performance.now()
    proc(22, 9000)
    sampler.tick()
    rmSync(path.join(root, '22'), { recursive: true })
    proc(23, 1000)
    sampler.watch([21, 23])
    sampler.tick()
    // a zombie: exited, not reaped, no VmRSS line
    writeFileSync(path.join(root, '21', 'status'), 'Name:\tnode\nState:\tZ (zombie)\n')
    sampler.tick()
    expect(sampler.readings([21], from, performance.now()).map((r) => r.rssBytes / 1024)).toEqual([1000, 1000])
    expect(sampler.instants(from, performance.now())).toHaveLength(3)
    const readings = sampler.readings([22, 23], from, performance.now())
    expect(readings.map((r) => [r.pid, r.rssBytes / 1024])).toEqual([
      [22, 9000],
      [23, 1000],
      [23, 1000],
    ])
    const m = workerMemory(readings, from)
    expect(m?.points.map((p) => p.maxRssBytes / 1024)).toEqual([9000, 1000, 1000])
  })
})

const base = JSON.parse(readFileSync(new URL('../fixtures/results-prefork-vs-async.json', import.meta.url), 'utf8')) as ResultsDocument

/** A results document with the fixture's header and `runs`. */
function doc(runs: RunResult[]): ResultsDocument {
  return { ...base, scenario: { ...base.scenario, name: 'worker-recycling' }, runs, warnings: [] }
}

/** The max-requests level: the series above, with the exit and boot of the recycled worker at 2.4 s and one exit during the warm-up. */
function recyclingRun(): RunResult {
  return makeRun({
    topology: 'max-requests',
    workload: 'leak-512k',
    connections: 16,
    window: { warmupS: 1, measuredS: 2.25, definition: '' },
    workerMemory: workerMemory(recycled(0), 0),
    events: [
      { t: 0.5, kind: 'worker-exit', pid: 9, message: 'worker 9 exited (warm-up)' },
      { t: 2.4, kind: 'worker-exit', pid: 11, message: 'worker 11 exited' },
      { t: 2.45, kind: 'worker-spawn', pid: 13, message: 'worker 13 booted' },
    ],
  })
}

describe('the results schema', () => {
  it('keeps a level’s worker memory through JSON, and still reads a level without one', () => {
    const d = doc([recyclingRun(), makeRun()])
    const parsed = parseResults(JSON.parse(JSON.stringify(d)))
    if (!parsed.ok) throw new Error(parsed.problems.join('\n'))
    expect(parsed.value.runs[0]?.workerMemory).toEqual(recyclingRun().workerMemory)
    expect(parsed.value.runs[1]?.workerMemory).toBeUndefined()
  })

  it('refuses a series longer than the bound', () => {
    const long = { readingsPerPoint: 1, pids: 1, points: Array.from({ length: MAX_MEMORY_POINTS + 1 }, (_, i) => ({ t: i, sumRssBytes: 1, maxRssBytes: 1, workers: 1 })) }
    const parsed = parseResults(JSON.parse(JSON.stringify(doc([makeRun({ workerMemory: long })]))))
    expect(parsed.ok).toBe(false)
  })
})

describe('the worker memory panel', () => {
  afterEach(() => setLang('en'))

  it('is left out of a report whose runs have no series', () => {
    expect(workerMemorySection([doc([makeRun()])])).toBeUndefined()
    expect(buildReport([doc([makeRun()])]).sections.map((s) => s.id)).not.toContain('lab-worker-memory')
  })

  it('draws the largest worker and the sum in MiB against seconds, the window’s exits and boots marked, after the timeline', () => {
    const report = buildReport([doc([recyclingRun(), makeRun({ workload: 'leak-512k' })])])
    const ids = report.sections.map((s) => s.id)
    expect(ids.indexOf('lab-worker-memory')).toBe(ids.indexOf('lab-timeline') + 1)
    const section = report.sections.find((s) => s.id === 'lab-worker-memory')
    expect(section?.charts).toHaveLength(1)
    const chart = section?.charts[0]
    if (chart?.kind !== 'line') throw new Error('expected a line chart')
    expect(chart.title).toBe('max-requests · leak-512k @16')
    expect(chart.series.map((s) => [s.label, s.axis])).toEqual([
      ['largest worker (MiB)', 'y'],
      ['all workers (MiB)', 'y2'],
    ])
    expect(chart.series[0]?.points.slice(4, 8)).toEqual([
      { x: 2, y: 60 },
      { x: 2.25, y: 70 },
      { x: 2.5, y: 20 },
      { x: 2.75, y: 30 },
    ])
    expect(chart.marks?.map((m) => [m.t, m.kind])).toEqual([
      [2.4, 'worker-exit'],
      [2.45, 'worker-spawn'],
    ])
    expect(chart.caption).toBe('3 worker pids in the window; largest worker 20.0 to 70.0 MiB, all workers 40.0 to 90.0 MiB; marked: 1 × worker died, 1 × worker booted')
    expect(chart.table.columns).toEqual(['second', 'largest worker (MiB)', 'all workers (MiB)', 'workers read', 'events'])
    expect(chart.table.rows[6]).toEqual(['2.50', '20.0', '40.0', '2', 'worker 11 exited · worker 13 booted'])
  })

  it('gives the ranges of the readings with workers running and counts the empty ones apart', () => {
    const instants = [...new Set(recycled(0).map((r) => r.at))]
    const run = { ...recyclingRun(), workerMemory: workerMemory(recycled(0).filter((r) => r.at !== 2500), 0, { instants }), events: [] }
    const chart = workerMemorySection([doc([run])])?.charts[0]
    expect(chart?.caption).toBe('3 worker pids in the window; largest worker 20.0 to 70.0 MiB, all workers 40.0 to 90.0 MiB; 1 point(s) with no worker running (all exited, none booted yet)')
  })

  it('speaks the reader’s language', () => {
    setLang('pt-BR')
    const section = workerMemorySection([doc([recyclingRun()])])
    expect(section?.title).toBe('Memória dos workers ao longo do tempo')
    expect(section?.charts[0]?.caption).toMatch(/^3 pids de workers na janela; maior worker de 20,0 a 70,0 MiB/)
  })
})
