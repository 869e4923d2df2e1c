/**
 * The report page's DOM: header, verdicts, the "Predict, then look" section,
 * chart panels with captions and table toggles, warnings, environment, notes.
 * Builds elements from the view-model (`report/build.ts`) with the panels the
 * live page uses too (`panels/`).
 */
import { h, tableElement, tableToggle, type Child } from './panels/dom.js'
import { Figures } from './panels/figures.js'
import { verdictList, warningList } from './panels/lists.js'
import { chartFontSize, presenterButton } from './panels/present.js'
import { exerciseChecksSection } from './panels/exercise-checks.js'
import { predictSection } from './predict-view.js'
import { buildReport } from './report/build.js'
import type { ReportPayload, Section } from './report/types.js'
import { currentLang, t, type Lang } from '../../lab/core/i18n.js'
import { langSwitch } from './panels/lang-switch.js'

function section(s: Section, figures: Figures, ...extra: Child[]): HTMLElement {
  return h(
    'section',
    { id: s.id, class: `panel layout-${s.layout}` },
    h('h2', {}, s.title),
    h('p', { class: 'section-caption' }, s.caption),
    s.charts.length > 0 && h('div', { class: 'charts' }, ...s.charts.map((c) => figures.figure(c))),
    ...(s.tables ?? []).map((t) =>
      h('div', { class: 'side-table', id: t.id }, h('h3', {}, t.title), h('p', { class: 'section-caption' }, t.caption), h('div', { class: 'table-wrap' }, tableElement(`${t.title}, per run`, t.table))),
    ),
    ...extra,
  )
}

/**
 * Renders the whole report into `root` and draws its charts, in the current
 * language (lab/core/i18n.ts).
 * @param present - start in presenter mode (large type)
 * @param onLang - called when the reader picks another language in the header's switch
 */
export function mountReport(root: HTMLElement, payload: ReportPayload, present: boolean, onLang?: (lang: Lang) => void): void {
  const model = buildReport(payload.documents)
  const figures = new Figures(chartFontSize)
  document.title = t('report.pageTitle', { title: model.title })

  const checks: Child[] = [
    h('h3', {}, t('report.warnings')),
    model.warnings.length ? warningList(model.warnings) : h('p', {}, t('report.noWarnings')),
    h('h3', {}, t('report.errors')),
    h(
      'p',
      {},
      model.errorsTotal === 0
        ? t('report.noErrors')
        : t('report.someErrors', { count: model.errorsTotal }),
    ),
    ...tableToggle('lab-errors', t('report.errorsPerRun'), model.errors),
  ]
  const sections = model.sections.map((s) => section(s, figures, ...(s.id === 'lab-checks' ? checks : [])))
  const notes = h('aside', { class: 'notes', 'aria-label': t('report.notes') })
  notes.innerHTML = payload.notesHtml // rendered by `lab report` from the scenario's markdown, raw HTML escaped

  root.replaceChildren(
    h(
      'header',
      { class: 'top' },
      h('div', {}, h('h1', {}, model.title), h('p', { class: 'subtitle' }, model.subtitle)),
      presenterButton(present, () => figures.redraw()),
      langSwitch(currentLang(), (lang) => onLang?.(lang)),
    ),
    ...model.notices.map((n) => h('p', { class: 'notice', role: 'note' }, n)),
    ...(payload.exerciseChecks ? [exerciseChecksSection(payload.exerciseChecks)] : []),
    h(
      'section',
      { class: 'verdicts', 'aria-label': t('report.verdict') },
      verdictList(model.verdicts),
      model.warnings.length > 0 &&
        h('p', { class: 'verdict-warning' }, t('report.warningCount', { count: model.warnings.length }), h('a', { href: '#lab-checks' }, t('report.checks')), '.'),
    ),
    h(
      'div',
      { class: 'layout' },
      h(
        'main',
        {},
        predictSection(payload.documents),
        ...sections,
        h(
          'section',
          { id: 'lab-environment', class: 'panel' },
          h('h2', {}, t('report.environment')),
          tableElement(t('report.whereAndHow'), model.environment),
          h('h3', {}, t('report.reproduce')),
          ...model.commands.map((c) => h('pre', {}, h('code', {}, c))),
        ),
      ),
      payload.notesHtml.trim() !== '' && notes,
    ),
  )
  figures.draw()
}
