import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseResults, type ResultsDocument } from '../../lab/core/results.js'
import { buildReport } from '../../web/src/report/build.js'
import { gateReport, gateTable, isTheory } from '../../web/src/report/gate.js'
import type { LineChartModel } from '../../web/src/report/types.js'

function fixture(): ResultsDocument {
  const parsed = parseResults(JSON.parse(readFileSync(new URL('../fixtures/results-catalogue.json', import.meta.url), 'utf8')))
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'))
  return parsed.value
}

const chart = (model: ReturnType<typeof buildReport>, id: string): LineChartModel => model.sections.flatMap((s) => s.charts).find((c) => c.id === id) as LineChartModel

describe('the report before the predictions are revealed', () => {
  const full = buildReport([fixture()])
  const gated = gateReport(full)

  it('has no verdict', () => {
    expect(full.verdicts.length).toBeGreaterThan(0)
    expect(gated.verdicts).toEqual([])
  })

  it('draws the measured lines but not the queueing model’s, and says nothing of dashed lines', () => {
    const before = chart(full, 'lab-throughput-cpu-20ms')
    const after = chart(gated, 'lab-throughput-cpu-20ms')
    expect(before.series.map((s) => s.style)).toContain('theory')
    expect(after.series.map((s) => s.label)).toEqual(['prefork', 'async'])
    expect(before.caption).toContain('Dashed')
    expect(after.caption).not.toMatch(/Dashed|Dotted|theory/)
  })

  it('leaves the model’s columns out of every table, keeping the measured ones with their rows', () => {
    const before = chart(full, 'lab-throughput-cpu-20ms').table
    const after = chart(gated, 'lab-throughput-cpu-20ms').table
    expect(before.columns.some(isTheory)).toBe(true)
    expect(after.columns).toEqual(['connections', 'prefork answered', 'async answered'])
    expect(after.rows).toHaveLength(before.rows.length)
    for (const c of gated.sections.flatMap((s) => s.charts)) expect(c.table.columns.filter(isTheory), c.id).toEqual([])
  })

  it('keeps a table’s first column whatever its title', () => {
    expect(gateTable({ columns: ['theory', 'measured', 'x theory'], rows: [['1', '2', '3']] })).toEqual({ columns: ['theory', 'measured'], rows: [['1', '2']] })
  })
})
