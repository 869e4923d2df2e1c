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
 * Renders the whole report into `root` and draws its charts.
 * @param present - start in presenter mode (large type)
 */
export function mountReport(root: HTMLElement, payload: ReportPayload, present: boolean): void {
  const model = buildReport(payload.documents)
  const figures = new Figures(chartFontSize)
  document.title = `${model.title} · app-server-lab report`

  const checks: Child[] = [
    h('h3', {}, 'Warnings'),
    model.warnings.length ? warningList(model.warnings) : h('p', {}, 'The lab raised no warning about these measurements.'),
    h('h3', {}, 'Errors'),
    h(
      'p',
      {},
      model.errorsTotal === 0
        ? 'No request failed in any run.'
        : `${model.errorsTotal} request(s) failed; the table lists them by run and status code.`,
    ),
    ...tableToggle('lab-errors', 'Errors per run', model.errors),
  ]
  const sections = model.sections.map((s) => section(s, figures, ...(s.id === 'lab-checks' ? checks : [])))
  const notes = h('aside', { class: 'notes', 'aria-label': 'Scenario notes' })
  notes.innerHTML = payload.notesHtml // rendered by `lab report` from the scenario's markdown, raw HTML escaped

  root.replaceChildren(
    h(
      'header',
      { class: 'top' },
      h('div', {}, h('h1', {}, model.title), h('p', { class: 'subtitle' }, model.subtitle)),
      presenterButton(present, () => figures.redraw()),
    ),
    ...model.notices.map((n) => h('p', { class: 'notice', role: 'note' }, n)),
    ...(payload.exerciseChecks ? [exerciseChecksSection(payload.exerciseChecks)] : []),
    h(
      'section',
      { class: 'verdicts', 'aria-label': 'Verdict' },
      verdictList(model.verdicts, model.lessons),
      model.warnings.length > 0 &&
        h('p', { class: 'verdict-warning' }, `${model.warnings.length} warning(s) about these measurements: see `, h('a', { href: '#lab-checks' }, 'Checks'), '.'),
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
          h('h2', {}, 'Environment'),
          tableElement('Where and how this was measured', model.environment),
          h('h3', {}, 'Reproduce'),
          ...model.commands.map((c) => h('pre', {}, h('code', {}, c))),
        ),
      ),
      payload.notesHtml.trim() !== '' && notes,
    ),
  )
  figures.draw()
}
