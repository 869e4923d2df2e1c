import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseResults, type ResultsDocument } from '../../lab/core/results.js'
import { eventMarks, markKinds, marksSummary } from '../../web/src/report/annotations.js'
import { buildReport } from '../../web/src/report/build.js'
import { latencyChart } from '../../web/src/report/latency.js'
import { THEORY } from '../../web/src/report/theory.js'
import { connectionsChart as throughputChart } from '../../web/src/report/throughput.js'
import { timelineChart } from '../../web/src/report/timeline.js'
import { verdicts } from '../../web/src/report/verdicts.js'
import { WARNING_TEXT } from '../../lab/core/vocabulary.js'
import { markDatasets, markLines, markTooltip } from '../../web/src/panels/marks.js'
import {
  describeOff,
  describeTopology,
  describeWork,
  parseGuess,
  percentOff,
  predictGroups,
  revealRows,
  storageKey,
} from '../../web/src/report/predict.js'
import { decades, probeChart, sideSection, socketsTable, streamsTable } from '../../web/src/report/side.js'

function load(name: string): ResultsDocument {
  const parsed = parseResults(JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')))
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'))
  return parsed.value
}
const catalogue = (): ResultsDocument => load('results-catalogue.json')
const preforkVsAsync = (): ResultsDocument => load('results-prefork-vs-async.json')
const run = (doc: ResultsDocument, topology: string, workload: string, connections: number) => {
  const r = doc.runs.find((x) => x.topology === topology && x.workload === workload && x.connections === connections)
  if (!r) throw new Error(`no run ${topology} ${workload} @${connections}`)
  return r
}

describe('the catalogue fixture', () => {
  it('is a valid results document with a prediction, a probe and a TIME_WAIT count on every run', () => {
    const doc = catalogue()
    expect(doc.runs).toHaveLength(8)
    for (const r of doc.runs) {
      expect(r.prediction, `${r.topology} ${r.workload} @${r.connections}`).toBeDefined()
      expect(r.probe?.path).toBe('/health')
      expect(r.sockets?.timeWait).toBeGreaterThan(0)
    }
  })

  it('obeys Little’s law within 1 % where every request was answered', () => {
    for (const r of catalogue().runs.filter((x) => x.workload === 'cpu-20ms')) {
      const expected = (r.connections / r.requests.perSecond.mean) * 1000
      expect(r.errors.total).toBe(0)
      expect(r.littlesLaw.expectedMeanMs).toBeCloseTo(expected, 1)
      expect(Math.abs(r.latencyMs.mean / expected - 1)).toBeLessThan(0.01)
    }
  })

  it('obeys Little’s law over all requests in the hang runs, the hung ones included (5 %, reset after 1 s + half a 250 ms watchdog tick)', () => {
    const doc = catalogue()
    const hungMs = 1000 + 250 / 2
    for (const r of doc.runs.filter((x) => x.topology === 'prefork' && x.workload === 'hang-5pct')) {
      // all requests: answered ones at the answered rate ÷ 0.95; a hung one waits as long as an answered one queued, then hangs
      const allPerSecond = r.requests.perSecond.mean / 0.95
      const queuedMs = r.latencyMs.mean - 50
      const meanAllMs = 0.95 * r.latencyMs.mean + 0.05 * (queuedMs + hungMs)
      expect(Math.abs(meanAllMs / ((r.connections / allPerSecond) * 1000) - 1)).toBeLessThan(0.01)
      // each hung request ends with its worker killed: the resets in the window are the kills in the window
      const kills = (r.events ?? []).filter((e) => e.kind === 'worker-timeout' && e.t > (r.window?.warmupS ?? 0))
      expect(r.errors.resets).toBe(kills.length)
    }
  })

  it('answers nothing on the event loop once every connection holds a hung request', () => {
    const r = run(catalogue(), 'async', 'hang-5pct', 16)
    expect(r.requests.total).toBe(0)
    expect(r.histogram).toEqual([])
    expect(r.littlesLaw).toEqual({ expectedMeanMs: null, measuredMeanMs: null, ratio: null })
    expect(r.probe?.latencyMs.p50).toBe(0.07)
  })
})

describe('theory beside measurement', () => {
  it('draws a dashed theory line per topology and tabulates answered req/s, theory and measured ÷ theory (good ≈ 1.00)', () => {
    const chart = throughputChart([catalogue()], 'cpu-20ms')
    expect(chart.series.map((s) => [s.label, s.style, s.points.map((p) => p.y)])).toEqual([
      ['prefork', 'line', [94.25, 95.5]],
      ['prefork theory (queueing model)', 'theory', [96.95, 97.8]],
      ['async', 'line', [48.5, 48.75]],
      ['async theory (queueing model)', 'theory', [50, 50]],
    ])
    expect(chart.caption).toContain(THEORY())
    expect(chart.table).toEqual({
      columns: ['connections', 'prefork answered', 'prefork theory', 'prefork measured ÷ theory (good ≈ 1.00)', 'async answered', 'async theory', 'async measured ÷ theory (good ≈ 1.00)'],
      rows: [
        ['3', '94.3', '97.0', '0.97', '48.5', '50.0', '0.97'],
        ['16', '95.5', '97.8', '0.98', '48.8', '50.0', '0.97'],
      ],
    })
  })

  it('shows no ratio where nothing was answered (0 req/s against a theory of 60 and 320)', () => {
    const rows = throughputChart([catalogue()], 'hang-5pct').table.rows
    // 27.25 / 23.98 = 1.136; 31.5 / 31.91 = 0.987
    expect(rows).toEqual([
      ['3', '27.3', '24.0', '1.14', '0.0', '60.0', '–'],
      ['16', '31.5', '31.9', '0.99', '0.0', '320.0', '–'],
    ])
  })

  it('puts the model’s mean latency beside the measured mean, and draws no latency for a level with no response', () => {
    const chart = latencyChart([catalogue()], 'hang-5pct')
    expect(chart.series.map((s) => [s.label, s.points.length])).toEqual([
      ['prefork p50', 2],
      ['prefork p99', 2],
      ['prefork theory (queueing model), mean', 2],
      ['async p50', 0],
      ['async p99', 0],
      ['async theory (queueing model), mean', 2],
    ])
    expect(chart.table.columns.slice(1, 6)).toEqual(['prefork p50', 'prefork p99', 'prefork mean', 'prefork theory mean', 'prefork measured ÷ theory (good ≈ 1.00)'])
    // 428.79 / 476.35 = 0.900
    expect(chart.table.rows[1]).toEqual(['16', '398.46', '1031.17', '428.79', '476.35', '0.90', '–', '–', '–', '50.00', '–'])
  })

  it('says which topology answered nothing instead of dividing by zero', () => {
    const v = verdicts([catalogue()])
    expect(v.map((x) => x.text)).toEqual([
      'hang-5pct @16: prefork answered 31.5 req/s where async answered none',
      'cpu-20ms @16: prefork served 2.0× (95 % CI 1.9–2.0×) the answered req/s of async',
    ])
    expect(v[0]?.ratio).toBe(Infinity)
  })

  it('explains the model-mismatch and no-responses warnings in plain words', () => {
    expect(WARNING_TEXT['model-mismatch']?.title).toBe('Theory and measurement disagree')
    const report = buildReport([catalogue()])
    expect(report.warnings.map((w) => [w.code, w.title, w.run])).toEqual([
      ['errors-seen', 'Some requests failed', 'prefork hang-5pct @3'],
      ['errors-seen', 'Some requests failed', 'prefork hang-5pct @16'],
      ['no-responses', 'Nothing was answered', 'async hang-5pct @3'],
      ['no-responses', 'Nothing was answered', 'async hang-5pct @16'],
    ])
  })
})

describe('timeline annotations', () => {
  it('marks every worker killed, died and booted on the run’s timeline, in time order', () => {
    const chart = timelineChart([catalogue()], 'hang-5pct', 'prefork', 3)
    expect(chart.marks).toHaveLength(18)
    expect(chart.marks?.slice(0, 3).map((m) => [m.t, m.kind, m.label, m.message])).toEqual([
      [1.18, 'worker-timeout', 'worker killed (timeout)', 'worker 52101 busy over 1 s; killed'],
      [1.184, 'worker-exit', 'worker died', 'worker 52101 killed after timeout'],
      [1.47, 'worker-spawn', 'worker booted', 'worker 52105 booted'],
    ])
    expect(chart.caption).toBe(
      'wobbly after 1.0 s warm-up: 27.3 ± 2.1 req/s (n=4), p99 56.4 ms; marked: 6 × worker killed (timeout), 6 × worker died, 6 × worker booted',
    )
  })

  it('lists each second’s events in the chart’s table', () => {
    const table = timelineChart([catalogue()], 'hang-5pct', 'prefork', 3).table
    expect(table.columns).toEqual(['second', 'req/s', 'p99 ms', 'errors/s', 'warm-up', 'events'])
    expect(table.rows[0]).toEqual(['1', '24.0', '57.1', '0.0', 'yes', ''])
    expect(table.rows[3]).toEqual(['4', '25.0', '58.9', '1.0', '', 'worker 52102 busy over 1 s; killed · worker 52102 killed after timeout · worker 52108 booted'])
  })

  it('adds nothing to a run without events', () => {
    const chart = timelineChart([catalogue()], 'cpu-20ms', 'prefork', 3)
    expect(chart.marks).toBeUndefined()
    expect(chart.table.columns).not.toContain('events')
    expect(timelineChart([preforkVsAsync()], 'io-bound', 'prefork', 128).marks).toBeUndefined()
  })

  it('draws one legend entry per kind with the message as tooltip, and a line per worker lost', () => {
    const marks = eventMarks([
      { t: 2.5, kind: 'worker-spawn', pid: 7, message: 'worker 7 booted' },
      { t: 2.2, kind: 'worker-exit', pid: 6, message: 'worker 6 killed by SIGKILL' },
      { t: 3, kind: 'upstream-down', message: 'upstream 127.0.0.1:1 marked down' },
    ])
    expect(markKinds(marks)).toEqual(['worker-exit', 'worker-spawn', 'upstream-down'])
    expect(marksSummary(marks)).toBe('1 × worker died, 1 × worker booted, 1 × upstream-down')
    expect(markTooltip({ t: 2.2, message: 'worker 6 killed by SIGKILL' })).toBe('2.20 s: worker 6 killed by SIGKILL')
    const datasets = markDatasets(marks, 1)
    expect(datasets.map((d) => [d.label, d.yAxisID, d.data])).toEqual([
      ['worker died', 'events', [{ x: 2.2, y: 0.87, message: '2.20 s: worker 6 killed by SIGKILL' }]],
      ['worker booted', 'events', [{ x: 2.5, y: 0.8, message: '2.50 s: worker 7 booted' }]],
      ['upstream-down', 'events', [{ x: 3, y: 0.73, message: '3.00 s: upstream 127.0.0.1:1 marked down' }]],
    ])
    expect(Object.values(markLines(marks)).map((l) => (l as { xMin: number }).xMin)).toEqual([2.2, 3])
  })
})

describe('beside the load', () => {
  it('draws the probe’s p50 and p99 per topology against connections on a log axis labelled by decades', () => {
    const chart = probeChart([catalogue()], 'cpu-20ms')
    expect(chart?.title).toBe('Probe latency beside the load, cpu-20ms')
    expect(chart?.y).toEqual({ title: 'probe latency (ms)', type: 'logarithmic', ticks: [0.1, 1, 10, 100, 1000], min: 0.1, max: 1000 })
    expect(chart?.series.map((s) => [s.label, s.points.map((p) => p.y)])).toEqual([
      ['prefork probe p50', [0.41, 151.2]],
      ['prefork probe p99', [7.9, 247.9]],
      ['async probe p50', [20.3, 20.5]],
      ['async probe p99', [38.6, 25]],
    ])
    expect(chart?.table.rows[0]).toEqual(['3', '0.41', '7.90', '78', '0', '20.30', '38.60', '58', '0'])
    expect(probeChart([preforkVsAsync()], 'io-bound')).toBeNull()
  })

  it('labels decades from below the smallest value to above the largest', () => {
    expect(decades([0.06, 1030.4])).toEqual({ ticks: [0.01, 0.1, 1, 10, 100, 1000, 10000], min: 0.01, max: 10000 })
    expect(decades([20, 30])).toEqual({ ticks: [10, 100], min: 10, max: 100 })
    expect(decades([])).toEqual({})
  })

  it('tabulates TIME_WAIT per run, and streams only when a run held some', () => {
    expect(socketsTable([catalogue()])?.rows.slice(0, 2)).toEqual([
      ['prefork hang-5pct @3', '109', '78', '241'],
      ['prefork hang-5pct @16', '126', '8', '438'],
    ])
    expect(streamsTable([catalogue()])).toBeNull()
    const doc = catalogue()
    run(doc, 'async', 'cpu-20ms', 16).streams = { opened: 4, events: 16, failed: 0 }
    expect(streamsTable([doc])).toEqual({
      columns: ['run', 'streams opened', 'events received', 'streams failed', 'req/s beside them'],
      rows: [['async cpu-20ms @16', '4', '16', '0', '48.8']],
    })
    expect(sideSection([doc])?.tables?.map((t) => t.id)).toEqual(['lab-streams', 'lab-sockets'])
  })

  it('is a section only when some run carries a probe, streams or sockets', () => {
    const side = sideSection([catalogue()])
    expect(side?.charts.map((c) => c.id)).toEqual(['lab-probe-hang-5pct', 'lab-probe-cpu-20ms'])
    expect(side?.tables?.[0]?.caption).toMatch(/^The side that closes a connection first keeps its socket in TIME_WAIT for 60 s/)
    expect(sideSection([preforkVsAsync()])).toBeNull()
  })
})

describe('predict, then look', () => {
  it('asks about every topology of every workload at its highest connection count', () => {
    const groups = predictGroups([catalogue()])
    expect(groups.map((g) => [g.workload, g.connections, g.workloadText])).toEqual([
      ['hang-5pct', 16, '50 ms wait + 0 ms CPU per request, 5 % hang'],
      ['cpu-20ms', 16, '0 ms wait + 20 ms CPU per request'],
    ])
    expect(groups[0]?.items.map((i) => [i.key, i.topologyText, i.answers])).toEqual([
      ['app-server-lab:predict:catalogue:prefork:hang-5pct', '4 pre-forked workers', [{ doc: '', measured: 31.5, theory: 31.91 }]],
      ['app-server-lab:predict:catalogue:async:hang-5pct', 'one event loop', [{ doc: '', measured: 0, theory: 320 }]],
    ])
  })

  it('reveals measured and predicted req/s and how far each was off', () => {
    const [prefork, async] = predictGroups([catalogue()])[0]?.items ?? []
    // (31.91 − 31.5) / 31.5 = +1.3 %; (40 − 31.5) / 31.5 = +27.0 %
    expect(revealRows(prefork!.answers[0]!, 40)).toEqual([
      ['measured', '31.5', ''],
      ['queueing model', '31.9', '1.3 % too high'],
      ['your prediction', '40.0', '27.0 % too high'],
    ])
    expect(revealRows(prefork!.answers[0]!, null)[2]).toEqual(['your prediction', '–', 'none made'])
    expect(revealRows(async!.answers[0]!, 0)).toEqual([
      ['measured', '0.0', ''],
      ['queueing model', '320', 'no percentage: nothing was answered'],
      ['your prediction', '0.0', 'exact'],
    ])
  })

  it('gives one answer per document when runs of the same scenario are compared', () => {
    const other = preforkVsAsync()
    other.env.hostname = 'teacher-pc'
    for (const r of other.runs) r.requests.perSecond.mean *= 2
    const item = predictGroups([preforkVsAsync(), other])[0]?.items[0]
    expect(item?.key).toBe(storageKey('prefork-vs-async', 'prefork', 'io-bound'))
    expect(item?.answers.map((a) => [a.doc, a.measured, a.theory])).toEqual([
      ['node · lab-vm-01 · 2026-11-22 10:00 UTC', 79, null],
      ['node · teacher-pc · 2026-11-22 10:00 UTC', 158, null],
    ])
    expect(revealRows(item!.answers[0]!, 80)[1]).toEqual(['queueing model', '–', 'no prediction in these results'])
  })

  it('measures the error in percent of the measurement', () => {
    expect(percentOff(120, 100)).toBe(20)
    expect(percentOff(75, 100)).toBe(-25)
    expect(percentOff(0, 0)).toBe(0)
    expect(percentOff(5, 0)).toBeNull()
    expect(describeOff(-25)).toBe('25.0 % too low')
    expect(describeOff(0.04)).toBe('exact')
  })

  it('reads a guess as typed, with a decimal comma too', () => {
    expect(parseGuess(' 80 ')).toBe(80)
    expect(parseGuess('2,5')).toBe(2.5)
    expect(parseGuess('')).toBeNull()
    expect(parseGuess('-3')).toBeNull()
    expect(parseGuess('lots')).toBeNull()
  })

  it('describes topologies and workloads from the scenario definition', () => {
    expect(describeTopology({ server: { model: 'prefork', workers: 1 } })).toBe('1 pre-forked worker')
    expect(describeTopology({ server: { model: 'prefork', workers: 2, threads: 4 }, proxy: { model: 'nginx' }, upstreams: 2 })).toBe(
      '2 pre-forked workers × 4 threads, 2 copies behind a proxy',
    )
    expect(describeTopology(undefined)).toBe('')
    expect(describeWork({ io_ms: 50, cpu_ms: 0, streams: { count: 4 } })).toBe('50 ms wait + 0 ms CPU per request, 4 streams held open')
    expect(describeWork({ mix: [{}, {}] })).toBe('a mix of 2 kinds of request')
  })
})
