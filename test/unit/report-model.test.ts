import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { extras } from '../../lab/core/format-notes.js'
import { parseResults, type ResultsDocument } from '../../lab/core/results.js'
import { buildReport } from '../../web/src/report/build.js'
import { latencyChart } from '../../web/src/report/latency.js'
import { littlesLawChart } from '../../web/src/report/littles.js'
import { cpuChart, memoryChart } from '../../web/src/report/resources.js'
import { percentileLabel, spectrumChart, spectrumTicks, spectrumX } from '../../web/src/report/spectrum.js'
import { connectionsChart as throughputChart } from '../../web/src/report/throughput.js'
import { steadiness, timelineChart } from '../../web/src/report/timeline.js'
import { verdicts } from '../../web/src/report/verdicts.js'

function fixture(): ResultsDocument {
  const parsed = parseResults(JSON.parse(readFileSync(new URL('../fixtures/results-prefork-vs-async.json', import.meta.url), 'utf8')))
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'))
  return parsed.value
}

/** A second document of the same scenario, from another machine, 30 % faster. */
function teacher(): ResultsDocument {
  const doc = structuredClone(fixture())
  doc.stack = 'python'
  doc.env.hostname = 'teacher-pc'
  doc.startedAt = '2026-11-23T09:30:00.000Z'
  for (const run of doc.runs) {
    const ps = run.requests.perSecond
    run.requests.perSecond = { ...ps, mean: ps.mean * 1.3, stddev: ps.stddev * 1.3, min: ps.min * 1.3, max: ps.max * 1.3, stdError: (ps.stdError ?? 0) * 1.3, ci95: ps.ci95 ? [ps.ci95[0] * 1.3, ps.ci95[1] * 1.3] : null }
  }
  return doc
}

describe('the fixture', () => {
  it('is a valid results document whose runs obey Little’s law within 1 %', () => {
    const doc = fixture()
    expect(doc.runs).toHaveLength(12)
    for (const run of doc.runs) {
      const expected = (run.connections / run.requests.perSecond.mean) * 1000
      expect(run.littlesLaw.expectedMeanMs).toBeCloseTo(expected, 1)
      expect(Math.abs(run.latencyMs.mean / expected - 1)).toBeLessThan(0.01)
    }
  })
})

describe('verdicts', () => {
  it('compare the best topology with the others at the highest connection count of each workload', () => {
    const v = verdicts([fixture()])
    expect(v.map((x) => x.text)).toEqual([
      'io-bound @128: async served 30.4× (95 % CI 29.5–31.3×) the answered req/s of prefork',
      'cpu-bound @128: prefork served 2.0× (95 % CI 1.9–2.1×) the answered req/s of async',
    ])
    expect(v[0]?.ratio).toBeCloseTo(2400.67 / 79, 10)
    expect(v[1]?.ratio).toBeCloseTo(191 / 97.33, 10)
  })

  it('name each document, and compare the same topology across documents, when two runs are overlaid', () => {
    const texts = verdicts([fixture(), teacher()]).map((v) => v.text)
    expect(texts).toContain('io-bound @128 on node · lab-vm-01 · 2026-11-22 10:00 UTC: async served 30.4× (95 % CI 29.5–31.3×) the answered req/s of prefork')
    expect(texts).toContain(
      'io-bound @128, prefork: python · teacher-pc · 2026-11-23 09:30 UTC served 1.3× (95 % CI 1.3–1.3×) the answered req/s of node · lab-vm-01 · 2026-11-22 10:00 UTC',
    )
  })
})

describe('throughputChart', () => {
  it('draws mean req/s against connections, one line per topology, and tabulates the same numbers', () => {
    const chart = throughputChart([fixture()], 'io-bound')
    expect(chart.series.map((s) => [s.label, s.style, s.points])).toEqual([
      ['prefork', 'line', [{ x: 1, y: 19.67 }, { x: 16, y: 80 }, { x: 128, y: 79 }]],
      ['async', 'line', [{ x: 1, y: 19 }, { x: 16, y: 312.67 }, { x: 128, y: 2400.67 }]],
    ])
    expect(chart.x).toEqual({ title: 'connections', type: 'logarithmic', ticks: [1, 16, 128] })
    expect(chart.table).toEqual({
      columns: ['connections', 'prefork answered', 'async answered'],
      rows: [
        ['1', '19.7', '19.0'],
        ['16', '80.0', '312.7'],
        ['128', '79.0', '2400.7'],
      ],
    })
  })

  it('adds a dashed theory line only for runs that carry a prediction', () => {
    expect(throughputChart([fixture()], 'io-bound').series.some((s) => s.style === 'theory')).toBe(false)
    const doc = fixture()
    for (const run of doc.runs) if (run.topology === 'prefork') run.prediction = { perSecond: 80, meanMs: 400 }
    const theory = throughputChart([doc], 'io-bound').series.filter((s) => s.style === 'theory')
    expect(theory.map((s) => [s.label, s.points.map((p) => p.y)])).toEqual([['prefork theory (queueing model)', [80, 80, 80]]])
    const latency = latencyChart([doc], 'io-bound').series.filter((s) => s.style === 'theory')
    expect(latency.map((s) => s.label)).toEqual(['prefork theory (queueing model), mean'])
  })

  it('labels every series with topology, stack, hostname and date when two documents are overlaid', () => {
    const labels = throughputChart([fixture(), teacher()], 'io-bound').series.map((s) => s.label)
    expect(labels).toEqual([
      'prefork · node · lab-vm-01 · 2026-11-22 10:00 UTC',
      'async · node · lab-vm-01 · 2026-11-22 10:00 UTC',
      'prefork · python · teacher-pc · 2026-11-23 09:30 UTC',
      'async · python · teacher-pc · 2026-11-23 09:30 UTC',
    ])
  })

  it('calls a document without a hostname "host"', () => {
    const doc = teacher()
    delete doc.env.hostname
    expect(throughputChart([fixture(), doc], 'io-bound').series[2]?.label).toBe('prefork · python · host · 2026-11-23 09:30 UTC')
  })
})

describe('latencyChart', () => {
  it('draws p50 and p99 per topology on a log axis', () => {
    const chart = latencyChart([fixture()], 'cpu-bound')
    expect(chart.y.type).toBe('logarithmic')
    expect(chart.table).toEqual({
      columns: ['connections', 'prefork p50', 'prefork p99', 'async p50', 'async p99'],
      rows: [
        ['1', '10.51', '10.85', '10.45', '10.78'],
        ['16', '82.80', '110.40', '162.83', '168.05'],
        ['128', '659.48', '879.30', '1305.91', '1347.79'],
      ],
    })
  })
})

describe('the spectrum transform', () => {
  it('maps a percentile p to 1/(1−p): 0 → 1, 50 → 2, 90 → 10, 99 → 100, 99.9 → 1000', () => {
    expect(spectrumX(0)).toBe(1)
    expect(spectrumX(50)).toBe(2)
    expect(spectrumX(90)).toBe(10)
    expect(spectrumX(99)).toBe(100)
    expect(spectrumX(99.9)).toBeCloseTo(1000, 6)
  })

  it('leaves out the 100th percentile, which would be infinitely far right', () => {
    expect(spectrumX(100)).toBeNull()
  })

  it('labels ticks back as percentiles', () => {
    expect(spectrumTicks(1000).map(percentileLabel)).toEqual(['0%', '50%', '90%', '99%', '99.9%'])
    expect(percentileLabel(10_000)).toBe('99.99%')
  })
})

describe('spectrumChart', () => {
  it('plots each topology’s histogram at the highest connection count and keeps the maximum in the table', () => {
    const chart = spectrumChart([fixture()], 'io-bound')
    expect(chart.title).toBe('Latency spectrum, io-bound @128')
    const prefork = chart.series[0]
    expect(prefork?.label).toBe('prefork')
    expect(prefork?.points.map((p) => p.y)).toEqual([1584.78, 1601.51, 1605.69, 1611.48, 1618.56, 1632.08, 1657.18, 1721.53])
    expect(prefork?.points.slice(0, 7).map((p) => p.x)).toEqual([1, 4 / 3, 2, 4, 10, 20, 100])
    expect(chart.x.ticks).toEqual([1, 2, 10, 100, 1000])
    expect(chart.table.rows.at(-1)).toEqual(['100% (max)', '1753.71', '73.52'])
  })
})

describe('timelineChart', () => {
  it('draws req/s and p99 second by second and shades the warm-up seconds', () => {
    const chart = timelineChart([fixture()], 'io-bound', 'prefork', 128)
    expect(chart.series.map((s) => [s.label, s.axis, s.style])).toEqual([
      ['req/s', 'y', 'line'],
      ['p99 ms', 'y2', 'dots'],
      ['errors/s', 'y', 'line'],
    ])
    expect(chart.series[0]?.points.map((p) => p.y)).toEqual([73, 81, 77, 77, 78, 79, 80])
    expect(chart.bands).toEqual([{ axis: 'x', from: 0, to: 4, label: 'warm-up' }])
    expect(chart.caption).toBe('steady after 4.0 s warm-up: 79.0 ± 0.8 req/s (n=3), p99 1657.2 ms')
    expect(chart.table.rows[3]).toEqual(['4', '77.0', '1698.0', '0.0', 'yes'])
    expect(chart.table.rows[4]).toEqual(['5', '78.0', '1676.5', '1.0', ''])
  })

  it('adds errors per second beside req/s only for a run that had errors (a deploy’s spike), with its marks', () => {
    const doc = fixture()
    const run = doc.runs.find((r) => r.workload === 'io-bound' && r.topology === 'prefork' && r.connections === 16)!
    run.timeline = run.timeline.map((p, i) => ({ ...p, errors: i === 2 ? 12 : 0 }))
    run.events = [{ t: 2.2, kind: 'deploy', message: 'deploy: stopping the server to start the new version' }]
    const chart = timelineChart([doc], 'io-bound', 'prefork', 16)
    expect(chart.series.map((s) => [s.label, s.axis])).toEqual([['req/s', 'y'], ['p99 ms', 'y2'], ['errors/s', 'y']])
    expect(chart.series[2]?.points.map((p) => p.y)).toEqual([0, 0, 12, 0])
    expect(chart.marks?.map((m) => m.kind)).toEqual(['deploy'])
    expect(timelineChart([fixture()], 'io-bound', 'prefork', 16).series.map((s) => s.label)).toEqual(['req/s', 'p99 ms'])
  })

  it('calls a run unsteady when its req/s varied by more than 20 %', () => {
    const run = structuredClone(fixture().runs[0])
    if (!run) throw new Error('no run')
    run.requests.perSecond.stddev = run.requests.perSecond.mean * 0.3
    expect(steadiness(run)).toMatch(/^unsteady after 1\.0 s warm-up: 19\.7 ± 5\.9 req\/s \(n=3\)/)
  })
})

describe('cpuChart and memoryChart', () => {
  it('stack server CPU by role beside the load generator, one bar group per run', () => {
    const chart = cpuChart([fixture()], 'io-bound')
    expect(chart.categories).toEqual([
      ['prefork', '@1'],
      ['prefork', '@16'],
      ['prefork', '@128'],
      ['async', '@1'],
      ['async', '@16'],
      ['async', '@128'],
    ])
    expect(chart.series.map((s) => [s.label, s.stack])).toEqual([
      ['master', 'server'],
      ['workers (sum)', 'server'],
      ['server', 'server'],
      ['load generator', 'client'],
    ])
    expect(chart.series.find((s) => s.label === 'server')?.values).toEqual([0, 0, 0, 0.6, 5.1, 36.8])
    expect(chart.series.find((s) => s.label === 'load generator')?.values).toEqual([1.1, 1.8, 1.8, 1.1, 4.4, 27.8])
  })

  it('tabulate every process with its CPU, memory and requests', () => {
    const rows = memoryChart([fixture()], 'io-bound').table.rows
    expect(rows[0]).toEqual(['prefork io-bound @1', 'master', '41200', '0.3', '1.0', '44.6', '44.9', '', '0'])
    expect(rows[5]).toEqual(['prefork io-bound @1', 'load generator', '', '1.1', '1.4', '', '', '', ''])
  })

  it('show PSS (shared pages divided among their sharers) beside RSS when the sampler read it', () => {
    const doc = fixture()
    const first = doc.runs[0]!.processes[0]!
    doc.runs[0]!.processes[0] = { ...first, pssBytes: { mean: 12 * 1048576, max: 13 * 1048576 } }
    expect(memoryChart([doc], 'io-bound').table.rows[0]?.slice(5, 8)).toEqual(['44.6', '44.9', '12.0'])
  })

  it('sum RSS and PSS over a level\'s processes in the text summary, and say nothing of memory without PSS', () => {
    const doc = fixture()
    const run = doc.runs[0]!
    expect(extras([run]).join('\n')).not.toContain('PSS')
    const mib = (n: number) => ({ mean: n * 1048576, max: n * 1048576 })
    const shared = { ...run, processes: run.processes.map((p) => ({ ...p, rssBytes: mib(40), pssBytes: mib(10) })) }
    const n = shared.processes.length
    expect(extras([shared]).join('\n')).toMatch(new RegExp(`prefork @1 +${n} processes: RSS ${(40 * n).toFixed(1)} MiB summed, PSS ${(10 * n).toFixed(1)} MiB summed`))
  })
})

describe('littlesLawChart', () => {
  it('shows measured ÷ expected mean latency per run against the ±10 % band', () => {
    const chart = littlesLawChart([fixture()])
    expect(chart.bands).toEqual([{ axis: 'y', from: 0.9, to: 1.1, label: '±10 %' }])
    expect(chart.series[0]?.values[2]).toBe(0.993)
    expect(chart.table.rows[2]).toEqual(['prefork io-bound @128', '128', '79.0', '1620.25', '1608.91', '0.993'])
  })
})

describe('buildReport', () => {
  it('explains each warning in plain words, names its run, and counts the errors', () => {
    const report = buildReport([fixture()])
    expect(report.warnings).toEqual([
      expect.objectContaining({ code: 'errors-seen', title: 'Some requests failed', run: 'prefork io-bound @128' }),
    ])
    expect(report.errorsTotal).toBe(2)
    expect(report.errors.rows[2]).toEqual(['prefork io-bound @128', '237', '2', '0', '2', '0', '200: 237'])
  })

  it('describes the environment and the command that reproduces the run', () => {
    const report = buildReport([fixture()])
    expect(Object.fromEntries(report.environment.rows.map(([k, v]) => [k, v]))).toMatchObject({
      host: 'lab-vm-01',
      CPU: 'Intel(R) Xeon(R) CPU @ 2.20GHz',
      cores: '2',
      memory: '7.8 GiB',
      Node: 'v20.19.5',
      engines: 'built-in (pure Node)',
      started: '2026-11-22 10:00 UTC',
    })
    expect(report.commands).toEqual(['lab run prefork-vs-async'])
  })

  it('falls back to `lab run <scenario>` when the document has no command', () => {
    const doc = fixture()
    delete doc.command
    expect(buildReport([doc]).commands).toEqual(['lab run prefork-vs-async'])
  })

  it('says so at the top when the documents come from different scenarios', () => {
    const other = teacher()
    other.scenario = { ...other.scenario, name: 'proxy-buffering', title: 'nginx in front' }
    const report = buildReport([fixture(), other])
    expect(report.title).toBe('2 results from 2 scenarios')
    expect(report.notices[0]).toMatch(/^These documents come from different scenarios \(prefork-vs-async, proxy-buffering\)/)
  })

  it('says when a run was interrupted', () => {
    const doc = fixture()
    doc.complete = false
    doc.runs = doc.runs.slice(0, 5)
    expect(buildReport([doc]).notices).toEqual(['The run was interrupted; this shows the 5 level(s) measured before it stopped.'])
  })

  it('copes with a document that has no runs yet', () => {
    const doc = fixture()
    doc.complete = false
    doc.runs = []
    doc.warnings = []
    const report = buildReport([doc])
    expect(report.verdicts).toEqual([])
    expect(report.sections.flatMap((s) => s.charts).map((c) => c.id)).toEqual(['lab-littles-law'])
  })

  it('gives every chart a caption and a table', () => {
    for (const section of buildReport([fixture()]).sections) {
      for (const chart of section.charts) {
        expect(chart.caption, chart.id).not.toBe('')
        expect(chart.table.rows.length, chart.id).toBeGreaterThan(0)
      }
    }
  })
})
