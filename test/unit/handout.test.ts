import { describe, expect, it } from 'vitest'
import { PREDICTIONS_MARKER, engineText, fillHandout, predictionRows, predictionTable } from '../../lab/core/handout.js'
import { makePlan } from '../../lab/core/plan.js'
import { validateScenario, type Scenario } from '../../lab/core/scenario.js'
import input from '../../scenarios/prefork-vs-async/scenario.js'

const scenario = (): Scenario => {
  const v = validateScenario(input)
  if (!v.ok) throw new Error(v.problems.join('\n'))
  return v.value
}

/** The table's body rows as cell lists. */
const body = (table: string): string[][] =>
  table
    .split('\n')
    .slice(2)
    .map((line) => line.split('|').slice(1, -1).map((c) => c.trim()))

describe('the handout prediction table', () => {
  it('lists exactly the levels a quick run runs, with each topology’s engine and an empty guess', () => {
    const plan = makePlan(scenario(), { quick: true })
    if (!plan.ok) throw new Error(plan.problems.join())
    const table = predictionTable(predictionRows(plan.value.levels, { prefork: 'node-prefork', async: 'node-event-loop' }))
    expect(table.split('\n')[0]).toBe('| topology | engine | workload | connections | your guess |')
    expect(body(table)).toEqual([
      ['prefork', 'node-prefork', 'io-bound', '24', ''],
      ['prefork', 'node-prefork', 'cpu-bound', '24', ''],
      ['async', 'node-event-loop', 'io-bound', '24', ''],
      ['async', 'node-event-loop', 'cpu-bound', '24', ''],
    ])
  })

  it('lists the full ladder without --quick, so no level of one mode leaks into the other', () => {
    const plan = makePlan(scenario())
    if (!plan.ok) throw new Error(plan.problems.join())
    const loads = new Set(body(predictionTable(predictionRows(plan.value.levels))).map((r) => r[3]))
    expect([...loads]).toEqual(['1', '16', '128'])
  })

  it('folds repeats of a level into one row', () => {
    const level = { topology: 'a', workload: 'w', connections: 8 }
    expect(predictionRows([level, { ...level }, { ...level, connections: 16 }])).toHaveLength(2)
  })

  it('titles the load column by what the levels vary: offered req/s for open-loop levels, load for both kinds', () => {
    const open = { topology: 'a', workload: 'w', connections: 64, openLoop: { ratePerSecond: 40 } }
    expect(predictionTable(predictionRows([open]))).toContain('| offered req/s | your guess |')
    expect(predictionTable(predictionRows([open]))).toContain('| w | 40 |')
    const both = predictionTable(predictionRows([open, { topology: 'a', workload: 'w', connections: 8 }]))
    expect(both).toContain('| load | your guess |')
    expect(body(both).map((r) => r[3])).toEqual(['40 req/s', '8 connections'])
  })

  it('writes proxy → server for a proxied topology', () => {
    expect(engineText({ server: 'gunicorn', proxy: 'nginx' })).toBe('nginx → gunicorn')
    expect(engineText({ server: 'node-prefork', proxy: null })).toBe('node-prefork')
  })

  it('replaces the marker line and nothing else', () => {
    const md = `# T\n\n## Predict\n\nGuess.\n\n  ${PREDICTIONS_MARKER}\n\n## Run\n`
    expect(fillHandout(md, 'TABLE')).toBe('# T\n\n## Predict\n\nGuess.\n\nTABLE\n\n## Run\n')
    expect(fillHandout('# no marker', 'TABLE')).toBe('# no marker')
  })
})
