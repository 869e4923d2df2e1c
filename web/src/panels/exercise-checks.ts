/**
 * The "Checks" panel of an exercise's report (`lab exercise check`,
 * docs/exercises.md): one row per check with its threshold, the measured
 * figure, pass or fail, and the explanation of a failure. Drawn first.
 */
import type { CheckVerdict } from '../../../lab/core/exercise.js'
import { t } from '../../../lab/core/i18n.js'
import { h, tableElement } from './dom.js'

/** The checks panel: a one-line verdict and the table of checks. */
export function exerciseChecksSection(checks: readonly CheckVerdict[]): HTMLElement {
  const failed = checks.filter((c) => !c.passed).length
  return h(
    'section',
    { id: 'exercise-checks', class: 'panel', 'aria-label': t('charts.panel.checks') },
    h('h2', {}, t('charts.panel.checks')),
    h('p', { class: 'section-caption' }, failed === 0 ? t('charts.panel.allPassed', { total: checks.length }) : t('charts.panel.someFailed', { failed, total: checks.length })),
    tableElement(t('charts.panel.checksTable'), {
      columns: [t('charts.panel.check'), t('charts.panel.measured'), t('charts.panel.result'), t('charts.panel.explanation')],
      rows: checks.map((c) => [c.name, c.measured === null ? t('charts.panel.notMeasured') : String(c.measured), t(c.passed ? 'charts.panel.pass' : 'charts.panel.fail'), c.explanation]),
    }),
  )
}
