import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseResults, type ResultsDocument } from '../../lab/core/results.js'
import { environmentTable } from '../../web/src/report/environment.js'
import { documentLabels } from '../../web/src/report/format.js'
import { littlesLawChart } from '../../web/src/report/littles.js'
import { throughputChart } from '../../web/src/report/throughput.js'

function load(name: string): ResultsDocument {
  const parsed = parseResults(JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')))
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'))
  return parsed.value
}

describe('the report’s readability', () => {
  it('labels compared documents by what differs between them only', () => {
    const a = load('results-prefork-vs-async.json')
    const later = { ...structuredClone(a), startedAt: '2026-11-22T11:00:00.000Z' }
    expect(documentLabels([a, later])).toEqual(['2026-11-22 10:00 UTC', '2026-11-22 11:00 UTC'])
    const python = { ...structuredClone(a), stack: 'python' }
    expect(documentLabels([a, python])).toEqual(['node', 'python'])
    expect(documentLabels([a, structuredClone(a)])).toEqual(['#1', '#2'])
    const series = throughputChart([a, python], 'io-bound').series.map((s) => s.label)
    expect(series).toEqual(['prefork · node', 'async · node', 'prefork · python', 'async · python'])
  })

  it('names the engine that served each topology in the environment table', () => {
    const row = environmentTable([load('results-prefork-vs-async.json')]).rows.find((r) => r[0] === 'engines')
    expect(row).toEqual(['engines', 'prefork = node-prefork, async = node-event-loop'])
  })

  it('gives the good range beside the Little’s-law ratio and the measured ÷ theory columns', () => {
    expect(littlesLawChart([load('results-prefork-vs-async.json')]).table.columns.at(-1)).toBe('ratio (good 0.90–1.10)')
    const columns = throughputChart([load('results-catalogue.json')], 'cpu-20ms').table.columns
    expect(columns).toContain('prefork measured ÷ theory (good ≈ 1.00)')
  })
})
