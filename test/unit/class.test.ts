import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { classHtml } from '../../lab/commands/class.js'
import { checkResultSchema } from '../../lab/core/check-result.js'
import { spread, summarizeClass } from '../../lab/core/class.js'
import { deriveParams, type CheckResult } from '../../lab/core/exercise.js'
import { loadExercise } from '../../lab/store/exercises.js'

const dir = path.join(import.meta.dirname, '..', 'fixtures', 'class')
const results = readdirSync(dir)
  .filter((f) => f.endsWith('.check.json'))
  .sort()
  .map((f) => ({ ...(JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as CheckResult), file: f }))

describe('the class report', async () => {
  const ex = await loadExercise('size-gunicorn-pool')
  const summary = summarizeClass(results, (r) => deriveParams(ex.name, ex.params, r.student ?? undefined))
  it('lists who passed which check', () => {
    expect(summary.rows.map((r) => [r.student, r.checks['answered_rps >= 100']])).toEqual([
      ['alice', true],
      ['bob', true],
      ['carol', false],
      ['dave', true],
    ])
  })
  it('flags parameters that do not match the id, identical digests, and one machine for two students', () => {
    expect(summary.flags.some((f) => f.startsWith('dave') && f.includes('do not match'))).toBe(true)
    expect(summary.flags.some((f) => f.includes('identical results') && f.includes('alice, bob'))).toBe(true)
    expect(summary.flags.some((f) => f.includes('one machine') && f.includes('alice, carol'))).toBe(true)
    expect(summary.flags).toHaveLength(3)
  })
  it('spreads each figure over results and across machines (per-machine medians)', () => {
    const f = summary.figures[0]!
    expect(f.all).toEqual({ n: 4, min: 90, median: 140, max: 150 })
    expect(f.machines).toBe(3)
    expect(f.acrossMachines).toEqual({ n: 3, min: 120, median: 130, max: 150 })
  })
  it('renders the flags and the table as HTML, escaping names', () => {
    const html = classHtml(summary)
    expect(html).toContain('<h2>Flags</h2>')
    expect(html).toContain('<td>carol</td>')
  })
  it('draws no spread from nothing', () => {
    expect(spread([])).toBeNull()
  })
})

describe('the class fixtures', () => {
  it('are check results of the documented shape (lab/core/check-result.ts)', () => {
    for (const { file: _f, ...r } of results) expect(checkResultSchema.safeParse(r).error?.issues ?? [], _f).toEqual([])
  })
})
