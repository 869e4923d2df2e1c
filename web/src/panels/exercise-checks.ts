/**
 * The "Checks" panel of an exercise's report (`lab exercise check`,
 * docs/exercises.md): one row per check with its threshold, the measured
 * figure, pass or fail, and the explanation of a failure. Drawn first.
 */
import type { CheckVerdict } from '../../../lab/core/exercise.js'
import { h, tableElement } from './dom.js'

/** The checks panel: a one-line verdict and the table of checks. */
export function exerciseChecksSection(checks: readonly CheckVerdict[]): HTMLElement {
  const failed = checks.filter((c) => !c.passed).length
  return h(
    'section',
    { id: 'exercise-checks', class: 'panel', 'aria-label': 'Exercise checks' },
    h('h2', {}, 'Exercise checks'),
    h('p', { class: 'section-caption' }, failed === 0 ? `All ${checks.length} checks passed.` : `${failed} of ${checks.length} checks failed.`),
    tableElement('Each check: the threshold, what was measured, and what a failure means', {
      columns: ['Check', 'Measured', 'Result', 'Explanation'],
      rows: checks.map((c) => [c.name, c.measured === null ? 'not measured' : String(c.measured), c.passed ? 'pass' : 'FAIL', c.explanation]),
    }),
  )
}
