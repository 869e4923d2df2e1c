/**
 * The report page's DOM: header, verdicts, chart panels with captions and
 * table toggles, warnings, environment, notes. Builds elements from the
 * view-model and hands the canvases to `charts.ts`.
 */
import type { Chart } from 'chart.js'
import { markKinds } from './annotations.js'
import { drawChart } from './charts.js'
import { buildReport, type ChartModel, type ReportPayload, type Section, type Table } from './model.js'
import { predictSection } from './predict-view.js'
import { sideSection } from './side.js'

/** A child `h` accepts; falsy ones are skipped. */
export type Child = Node | string | null | undefined | false

/** Creates an element with attributes and children (strings become text, never HTML). */
export function h(tag: string, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag)
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v)
  for (const c of children) if (c) el.append(c)
  return el
}

/** An accessible table: a caption, column headers, and the first cell of each row as its header. */
export function tableElement(caption: string, t: Table): HTMLElement {
  return h(
    'table',
    {},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, ...t.columns.map((c) => h('th', { scope: 'col' }, c)))),
    h(
      'tbody',
      {},
      ...t.rows.map((r) => h('tr', {}, ...r.map((cell, i) => (i === 0 ? h('th', { scope: 'row' }, cell) : h('td', {}, cell))))),
    ),
  )
}

/** A "Show table" button and the table it shows and hides. */
function tableToggle(id: string, caption: string, t: Table): HTMLElement[] {
  const wrap = h('div', { class: 'table-wrap', id: `${id}-table` }, tableElement(caption, t))
  wrap.hidden = true
  const button = h('button', { type: 'button', class: 'table-toggle', 'aria-expanded': 'false', 'aria-controls': wrap.id }, 'Show table')
  button.addEventListener('click', () => {
    wrap.hidden = !wrap.hidden
    button.setAttribute('aria-expanded', String(!wrap.hidden))
    button.textContent = wrap.hidden ? 'Show table' : 'Hide table'
  })
  return [button, wrap]
}

interface Drawn {
  canvas: HTMLCanvasElement
  model: ChartModel
  chart?: Chart
}

function figure(m: ChartModel, drawn: Drawn[]): HTMLElement {
  const canvas = h('canvas', { role: 'img', 'aria-label': `${m.title}. ${m.caption}` }) as HTMLCanvasElement
  drawn.push({ canvas, model: m })
  return h(
    'figure',
    { class: `chart chart-${m.kind}`, id: m.id },
    h('h3', {}, m.title),
    h('figcaption', {}, m.caption),
    // Legends are drawn inside the canvas: give long ones room so the plot keeps its height.
    h('div', { class: 'canvas-box', style: `--legend-rows: ${Math.max(0, legendEntries(m) - 3)}` }, canvas),
    ...tableToggle(m.id, m.title, m.table),
  )
}

/** Legend entries a chart draws: its series and, on a timeline, one per kind of event marked. */
function legendEntries(m: ChartModel): number {
  return m.series.length + (m.kind === 'line' ? markKinds(m.marks ?? []).length : 0)
}

function section(s: Section, drawn: Drawn[], ...extra: Child[]): HTMLElement {
  return h(
    'section',
    { id: s.id, class: `panel layout-${s.layout}` },
    h('h2', {}, s.title),
    h('p', { class: 'section-caption' }, s.caption),
    s.charts.length > 0 && h('div', { class: 'charts' }, ...s.charts.map((c) => figure(c, drawn))),
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
  const drawn: Drawn[] = []
  document.title = `${model.title} · app-server-lab report`

  const presentButton = h('button', { type: 'button', class: 'present-toggle', 'aria-pressed': String(present) }, 'Presenter mode')
  const warnings = model.warnings.length
    ? h(
        'ul',
        { class: 'warnings' },
        ...model.warnings.map((w) =>
          h(
            'li',
            {},
            h('strong', {}, w.title),
            w.run && h('span', { class: 'run' }, ` (${w.run})`),
            h('p', {}, w.explanation),
            h('p', { class: 'message' }, h('code', {}, w.code), ' ', w.message),
          ),
        ),
      )
    : h('p', {}, 'The lab raised no warning about these measurements.')
  const checks: Child[] = [
    h('h3', {}, 'Warnings'),
    warnings,
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
  // "Beside the load" (probe, streams, TIME_WAIT) goes after the latency section when any run carries them
  const side = sideSection(payload.documents)
  const sectionModels = model.sections.flatMap((s) => (s.id === 'lab-latency' && side ? [s, side] : [s]))
  if (side && !sectionModels.includes(side)) sectionModels.push(side)
  const sections = sectionModels.map((s) => section(s, drawn, ...(s.id === 'lab-checks' ? checks : [])))
  const notes = h('aside', { class: 'notes', 'aria-label': 'Scenario notes' })
  notes.innerHTML = payload.notesHtml // rendered by `lab report` from the scenario's markdown, raw HTML escaped

  root.replaceChildren(
    h(
      'header',
      { class: 'top' },
      h('div', {}, h('h1', {}, model.title), h('p', { class: 'subtitle' }, model.subtitle)),
      presentButton,
    ),
    ...model.notices.map((n) => h('p', { class: 'notice', role: 'note' }, n)),
    h(
      'section',
      { class: 'verdicts', 'aria-label': 'Verdict' },
      h('ul', {}, ...model.verdicts.map((v) => h('li', { class: 'verdict' }, v.text))),
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

  const drawAll = (): void => {
    const size = document.documentElement.classList.contains('present') ? 18 : 12
    for (const d of drawn) {
      d.chart?.destroy()
      d.chart = drawChart(d.canvas, d.model, size)
    }
  }
  const setPresent = (on: boolean): void => {
    document.documentElement.classList.toggle('present', on)
    presentButton.setAttribute('aria-pressed', String(on))
    drawAll()
  }
  presentButton.addEventListener('click', () => setPresent(!document.documentElement.classList.contains('present')))
  setPresent(present)
}
