/**
 * The live demo page's DOM: the run settings (live-page/form.ts), Run and
 * Stop, the teacher's step, Next and Pause (live-page/teacher.ts), the status line, live charts, the process map, and at the end the
 * verdicts with a link to the saved report; the scenario notes beside. State
 * comes from the pure reducer (live/state.ts) fed by live-page/stream.ts;
 * charts, lists and the process map are the panels the report uses too.
 */
import { ladderCharts, liveLatencyCharts, liveThroughputCharts, liveVerdicts, liveWarnings } from './live/charts.js'
import { initialState, type LiveState } from './live/state.js'
import { statusLine } from './live/status.js'
import { workerMap } from './live/workers.js'
import { loadCatalogue, startRun, stopRun, type Catalogue } from './live-page/api.js'
import { RunForm } from './live-page/form.js'
import { streamLive } from './live-page/stream.js'
import { TeacherControls } from './live-page/teacher.js'
import { h } from './panels/dom.js'
import { Figures } from './panels/figures.js'
import { glossarySection } from './panels/glossary.js'
import { verdictList, warningList } from './panels/lists.js'
import { chartFontSize, presenterButton } from './panels/present.js'
import { processBoxes, processCaption } from './panels/process-map.js'
import { langSwitch } from './panels/lang-switch.js'
import { currentLang, setLang, t } from '../../lab/core/i18n.js'
import { isLang, type Lang } from '../../lab/core/i18n-lang.js'

/** The verdict box once a run has ended: the verdicts, why there are none, the error, the saved files, the command. */
function verdictBox(state: LiveState): HTMLElement {
  const lines = liveVerdicts(state)
  const links = state.done?.links
  const link = (href: string | undefined, text: string, attrs: Record<string, string> = {}): HTMLElement | null =>
    href ? h('a', { href, target: '_blank', rel: 'noopener', ...attrs }, text) : null
  return h(
    'div',
    {},
    h('h2', {}, t(state.status === 'done' ? 'live.verdict' : state.status === 'stopped' ? 'live.stopped' : 'live.failed')),
    lines.length
      ? verdictList(lines)
      : h('p', {}, t(state.runs.length ? 'livePage.nothingToCompare' : 'livePage.noLevel')),
    state.done?.error ? h('p', { class: 'form-error' }, state.done.error) : null,
    links && (links.report || links.results)
      ? h(
          'p',
          { class: 'links' },
          link(links.report, t('live.openReport'), { class: 'report-link' }),
          link(links.results, 'results JSON'),
          link(links.events, 'event log (NDJSON)'),
        )
      : null,
    state.plan ? h('p', { class: 'command' }, t('live.reproduce'), h('code', {}, state.plan.command)) : null,
  )
}

/**
 * Mounts the live page into `root`: loads the catalogue, follows the demo's
 * event stream and wires the controls.
 * @param present - start in presenter mode (large type)
 */
export async function mountLive(root: HTMLElement, present: boolean): Promise<void> {
  let catalogue: Catalogue
  try {
    catalogue = await loadCatalogue()
  } catch (err) {
    root.textContent = t('livePage.noCatalogue', { error: (err as Error).message })
    return
  }
  // the language: `?lang=` (the switch below reloads the page with it), else the demo's (`lab demo --lang`)
  const asked = new URLSearchParams(location.search).get('lang') ?? catalogue.lang
  if (asked && isLang(asked)) setLang(asked)
  document.documentElement.lang = currentLang()
  const switchLang = (lang: Lang): void => {
    const url = new URL(location.href)
    url.searchParams.set('lang', lang)
    location.assign(url)
  }
  const form = new RunForm(catalogue)
  const teacher = new TeacherControls(catalogue.viewOnly === true, () => state(), () => render(), form.error)
  const figures = new Figures(chartFontSize)
  let state = (): LiveState => initialState()
  let requestInFlight = false
  /** A run this page started whose first event has not arrived yet (Run stays disabled till then). */
  let awaiting: { id: string; until: number } | null = null

  // ---------------------------------------------------------------- skeleton
  const badge = h('span', { class: 'badge', role: 'status' }, 'connecting…')
  const runButton = h('button', { type: 'submit', class: 'run' }, t('live.run')) as HTMLButtonElement
  const stopButton = h('button', { type: 'button', class: 'stop' }, t('live.stop')) as HTMLButtonElement
  // presenter mode folds the knobs away so the charts fill the screen; this shows them
  const knobsToggle = h('button', { type: 'button', class: 'knobs-toggle', 'aria-expanded': 'false', 'aria-controls': 'live-knobs' }, t('live.knobs'))
  const controls = h(
    'form',
    { class: 'controls', 'aria-label': t('livePage.runSettings'), novalidate: '' },
    h('label', { class: 'field', for: 'live-scenario' }, h('span', { class: 'field-name' }, t('live.scenario')), form.select),
    form.summary,
    teacher.lock,
    // Run and Stop first, so they stay in view however many knobs follow
    h('div', { class: 'buttons' }, runButton, stopButton, teacher.pause, teacher.next, knobsToggle),
    teacher.stepField,
    form.estimate,
    form.error,
    form.groups,
  ) as HTMLFormElement

  const headline = h('h2', { class: 'headline' })
  const detail = h('p', { class: 'detail' })
  const progress = h('div', { class: 'progress', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-label': t('livePage.runProgress') }, h('div', { class: 'bar' }))
  const status = h('section', { class: 'status', 'aria-live': 'polite' }, headline, detail, progress)
  const verdicts = h('section', { class: 'verdicts', 'aria-label': 'Verdict', hidden: '' })
  const liveCharts = h('section', { class: 'panel live-charts' })
  const mapCaption = h('p', { class: 'map-caption' })
  const map = h('div', { class: 'map' })
  const workers = h(
    'section',
    { class: 'panel workers', id: 'live-workers' },
    h('h2', {}, t('live.processes')),
    h('p', { class: 'section-caption' }, t('live.processesCaption')),
    mapCaption,
    map,
  )
  const ladderBox = h('div', { class: 'charts' })
  const ladder = h('section', { class: 'panel ladder', hidden: '' }, h('h2', {}, t('live.ladder')), ladderBox)
  const warningsBox = h('section', { class: 'panel live-warnings', hidden: '' })
  const timingText = h('p', { class: 'timing' })
  const title = h('h1', {}, 'app-server-lab · live')
  const subtitle = h('p', { class: 'subtitle' })

  root.replaceChildren(
    h(
      'header',
      { class: 'top' },
      h('div', { class: 'live-page-title' }, title, subtitle),
      h('div', { class: 'top-right' }, badge, presenterButton(present, () => figures.redraw()), langSwitch(currentLang(), switchLang)),
    ),
    h('div', { class: 'live-layout' }, controls, h('main', {}, status, verdicts, liveCharts, workers, ladder, warningsBox, timingText, glossarySection()), form.notes),
  )

  // ----------------------------------------------------------------- render
  const render = (): void => {
    const s = state()
    const st = statusLine(s)
    headline.textContent = st.headline
    detail.textContent = st.detail
    progress.setAttribute('aria-valuenow', String(Math.round(st.progress * 100)))
    ;(progress.firstElementChild as HTMLElement).style.width = `${(st.progress * 100).toFixed(1)}%`
    status.dataset.status = s.status
    title.textContent = s.plan ? s.plan.scenario.title : 'app-server-lab · live'
    subtitle.textContent = s.plan ? `live · ${s.plan.scenario.name} · ${s.plan.stack}${s.plan.quick ? ' · quick' : ''} · run ${s.run}` : 'live demo: pick a scenario, turn the knobs, press Run'
    const running = s.status === 'running'
    if (awaiting && (s.run === awaiting.id || Date.now() > awaiting.until)) awaiting = null
    runButton.disabled = teacher.locked() || running || requestInFlight || awaiting !== null
    stopButton.disabled = teacher.locked() || !running || stopButton.textContent === t('live.stopping')
    teacher.render(s)
    figures.show(liveCharts, [...liveThroughputCharts(s), ...liveLatencyCharts(s)])
    const m = workerMap(s)
    mapCaption.textContent = processCaption(m)
    map.replaceChildren(...processBoxes(m))
    const ladders = ladderCharts(s)
    ladder.hidden = ladders.length === 0
    figures.show(ladderBox, ladders)
    verdicts.hidden = s.plan === null || running || s.status === 'idle'
    if (!verdicts.hidden) verdicts.replaceChildren(verdictBox(s))
    const warnings = liveWarnings(s)
    warningsBox.hidden = warnings.length === 0
    if (!warningsBox.hidden) warningsBox.replaceChildren(h('h2', {}, t('report.warnings')), warningList(warnings))
  }

  // --------------------------------------------------------------- controls
  controls.addEventListener('submit', (ev) => {
    ev.preventDefault()
    if (requestInFlight || !form.check()) return
    requestInFlight = true
    render()
    void (async () => {
      try {
        const { status: code, ok, body } = await startRun({ ...form.request(), step: teacher.step.checked })
        if (code === 202 && body.id) awaiting = { id: body.id, until: Date.now() + 10_000 }
        else if (code === 400) form.showProblems(body.problems ?? [{ field: '', message: body.error ?? t('livePage.badRequest') }])
        else if (code === 409) form.error.textContent = t('livePage.busy', { running: body.running ?? '' })
        else if (!ok) form.error.textContent = body.error ?? t('livePage.serverAnswered', { code })
      } catch (err) {
        form.error.textContent = t('livePage.unreachable', { error: (err as Error).message })
      } finally {
        requestInFlight = false
        render()
      }
    })()
  })

  stopButton.addEventListener('click', () => {
    const run = state().run
    if (!run) return
    stopButton.disabled = true
    stopButton.textContent = t('live.stopping')
    void stopRun(run)
      .catch((err: unknown) => (form.error.textContent = t('livePage.cannotStop', { error: (err as Error).message })))
      .finally(() => {
        stopButton.textContent = t('live.stop')
        render()
      })
  })
  const showKnobs = (on: boolean): void => {
    controls.classList.toggle('show-knobs', on)
    knobsToggle.setAttribute('aria-expanded', String(on))
  }
  knobsToggle.addEventListener('click', () => showKnobs(!controls.classList.contains('show-knobs')))

  // ?scenario=NAME picks one; otherwise the lab's main scenario when present
  form.pick(new URLSearchParams(location.search).get('scenario') ?? (catalogue.scenarios.some((s) => s.name === 'prefork-vs-async') ? 'prefork-vs-async' : catalogue.scenarios[0]?.name ?? ''))
  render()

  // ----------------------------------------------------------------- stream
  state = streamLive({
    draw: (s, before) => {
      if (before.status !== 'running' && s.status === 'running') showKnobs(false)
      form.applyPlan(s.run, s.plan)
      render()
    },
    connection: (open) => {
      badge.textContent = open ? '● live' : 'reconnecting…'
      badge.className = open ? 'badge ok' : 'badge bad'
    },
    timing: (text) => (timingText.textContent = text),
  })
}
