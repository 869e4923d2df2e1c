/**
 * The report page's DOM: header, the scenario's handout, verdicts, the
 * "Predict, then look" section, chart panels with captions and table
 * toggles, warnings, environment, the glossary, and the notes (the
 * instructor key). Builds elements from the view-model (`report/build.ts`)
 * with the panels the live page uses too (`panels/`). Until every prediction
 * is revealed (or "Show all" pressed, or `?reveal` given), the verdicts, the
 * model's lines and columns and the notes stay closed (`report/gate.ts`).
 */
import { h, tableElement, tableToggle, type Child } from './panels/dom.js'
import { Figures } from './panels/figures.js'
import { verdictList, warningList } from './panels/lists.js'
import { currentLang, t, type Lang } from '../../lab/core/i18n.js'
import { langSwitch } from './panels/lang-switch.js'
import { chartFontSize, presenterButton } from './panels/present.js'
import { exerciseChecksSection } from './panels/exercise-checks.js'
import { glossarySection, linkTerms } from './panels/glossary.js'
import { allRevealed, predictSection, revealInAddress } from './predict-view.js'
import { buildReport } from './report/build.js'
import { gateReport } from './report/gate.js'
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

/** What stands in for a closed part until the predictions are revealed. */
function closed(what: string): HTMLElement {
  return h('p', { class: 'gated-note' }, t('report.gatedBefore', { what }), h('a', { href: '#lab-predict' }, t('predict.heading')), t('report.gatedAfter'))
}

/** The handout (the student's page) as the report's first section, its glossary terms linked. */
function handoutSection(html: string, seen: Set<string>): HTMLElement {
  const body = h('div', { class: 'handout-body' })
  body.innerHTML = html // rendered by `lab report` from the scenario's handout.md, raw HTML escaped
  linkTerms(body, undefined, seen)
  return h('section', { id: 'lab-handout', class: 'panel handout', 'aria-label': t('report.handout') }, body)
}

/**
 * Renders the whole report into `root` and draws its charts, in the current
 * language (lab/core/i18n.ts); renders it again (keeping the scroll position)
 * when the predictions open or close the gate.
 * @param present - start in presenter mode (large type)
 * @param onLang - called when the reader picks another language in the header's switch
 */
export function mountReport(root: HTMLElement, payload: ReportPayload, present: boolean, onLang?: (lang: Lang) => void): void {
  const full = buildReport(payload.documents)
  const figures = new Figures(chartFontSize)
  document.title = t('report.pageTitle', { title: full.title })
  let shownAll = revealInAddress()
  let open = shownAll || allRevealed(payload.documents)

  const render = (): void => {
    const model = open ? full : gateReport(full)
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
    // a term is linked once in the handout, and once in the notes
    const handout = payload.handoutHtml ? handoutSection(payload.handoutHtml, new Set()) : null
    const notes = h('aside', { class: 'notes', 'aria-label': t('report.notes') })
    if (open) {
      notes.innerHTML = payload.notesHtml // rendered by `lab report` from the scenario's markdown, raw HTML escaped
      linkTerms(notes)
    } else {
      notes.append(h('h2', {}, t('report.instructorKey')), closed(t('report.keyOpens')))
    }
    const predict = predictSection(payload.documents, {
      reveal: shownAll,
      onChange: (all, byShowAll) => {
        shownAll = byShowAll
        if (all === open) return
        open = all
        const y = window.scrollY
        render()
        window.scrollTo(0, y)
      },
    })

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
      ...(handout ? [handout] : []),
      h(
        'section',
        { class: `verdicts${open ? '' : ' gated'}`, 'aria-label': t('report.verdict') },
        open ? verdictList(model.verdicts, model.lessons) : closed(t('report.verdictShows')),
        model.warnings.length > 0 &&
          h('p', { class: 'verdict-warning' }, t('report.warningCount', { count: model.warnings.length }), h('a', { href: '#lab-checks' }, t('report.checks')), '.'),
      ),
      h(
        'div',
        { class: 'layout' },
        h(
          'main',
          {},
          predict,
          ...sections,
          h(
            'section',
            { id: 'lab-environment', class: 'panel' },
            h('h2', {}, t('report.environment')),
            tableElement(t('report.whereAndHow'), model.environment),
            h('h3', {}, t('report.reproduce')),
            ...model.commands.map((c) => h('pre', {}, h('code', {}, c))),
          ),
          glossarySection(),
        ),
        payload.notesHtml.trim() !== '' && notes,
      ),
    )
    figures.draw()
  }
  render()
}
