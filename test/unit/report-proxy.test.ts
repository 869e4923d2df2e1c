/** The report's proxy charts (web/src/report/proxy.ts): responses per upstream and latency per request kind. */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { ResultsDocument } from '../../lab/core/results.js'
import { buildReport } from '../../web/src/report/build.js'
import { kindChart, proxySection, upstreamChart } from '../../web/src/report/proxy.js'
import { makeRun } from './fixtures.js'

const base = JSON.parse(readFileSync(new URL('../fixtures/results-prefork-vs-async.json', import.meta.url), 'utf8')) as ResultsDocument

function doc(): ResultsDocument {
  const kinds = (fastP99: number) => ({
    fast: { path: '/work?io_ms=10', responses: 270, latencyMs: { mean: 30, p50: 25, p90: 40, p99: fastP99, max: fastP99 + 10 } },
    slow: { path: '/work?io_ms=500', responses: 30, latencyMs: { mean: 520, p50: 510, p90: 600, p99: 900, max: 950 } },
  })
  return {
    ...base,
    scenario: { ...base.scenario, name: 'load-balancing' },
    runs: [
      makeRun({ topology: 'round-robin', workload: 'mix', connections: 12, durationS: 3, perUpstream: { '127.0.0.1:4002': 75, '127.0.0.1:4001': 75, '127.0.0.1:4003': 75 }, perKind: kinds(500) }),
      makeRun({ topology: 'least-conn', workload: 'mix', connections: 12, durationS: 3, perUpstream: { '127.0.0.1:5001': 120, '127.0.0.1:5002': 90, '127.0.0.1:5003': 90 }, perKind: kinds(40) }),
    ],
    warnings: [],
  }
}

describe('the proxy charts', () => {
  it('draw one bar per upstream in each run, in req/s, upstreams numbered by address', () => {
    const c = upstreamChart([doc()], 'mix')
    expect(c.categories).toEqual([['round-robin', '@12'], ['least-conn', '@12']])
    expect(c.series.map((s) => s.label)).toEqual(['upstream 1', 'upstream 2', 'upstream 3'])
    expect(c.series.map((s) => s.values)).toEqual([[25, 40], [25, 30], [25, 30]])
    expect(c.table.rows[3]).toEqual(['least-conn mix @12', 'upstream 1', '127.0.0.1:5001', '120', '40.0', '40.0'])
  })

  it('show p50 and p99 of each request kind, so the fast requests stuck behind slow ones stand out', () => {
    const c = kindChart([doc()], 'mix')
    expect(c.series.map((s) => s.label)).toEqual(['fast p50', 'fast p99', 'slow p50', 'slow p99'])
    expect(c.series[1]?.values).toEqual([500, 40])
    expect(c.table.rows[0]).toEqual(['round-robin mix @12', 'fast', '/work?io_ms=10', '270', '90.0', '30.0', '25.0', '40.0', '500.0', '510.0'])
  })

  it('add a section to the report only when some run went through a proxy or had a mix', () => {
    expect(buildReport([doc()]).sections.map((s) => s.id)).toContain('lab-proxy')
    expect(proxySection([base])).toBeUndefined()
    expect(buildReport([base]).sections.map((s) => s.id)).not.toContain('lab-proxy')
  })
})
