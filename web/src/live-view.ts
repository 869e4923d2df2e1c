/**
 * The live demo page's DOM: the scenario picker and knobs, Run and Stop, the
 * status line, live charts, the worker map, and at the end the verdicts with a
 * link to the saved report; the scenario notes beside. State comes from the
 * pure reducer in `live.ts`; charts are drawn by `charts.ts` from the same
 * chart models as the report.
 */
import type { Chart } from 'chart.js'
import type { Envelope } from '../../lab/core/events.js'
import type { Knob } from '../../lab/core/knobs.js'
import { drawChart, updateChart } from './charts.js'
import {
  initialState,
  ladderCharts,
  liveLatencyChart,
  liveThroughputChart,
  liveVerdicts,
  reduce,
  statusLine,
  workerMap,
  type LiveState,
} from './live.js'
import { WARNING_TEXT, fmt, type ChartModel } from './model.js'
import { h, tableElement } from './view.js'

/** A scenario as `GET /api/scenarios` lists it. */
export interface ScenarioInfo {
  name: string
  title: string
  summary: string
  topologies: Array<{ id: string; model: string; workers?: number }>
  workloads: Array<{ id: string; io_ms: number; cpu_ms: number; bytes: number }>
  knobs: Knob[]
  notesHtml: string
}

/** `GET /api/scenarios`. */
export interface Catalogue {
  scenarios: ScenarioInfo[]
  stacks: string[]
}

/** One sample's trip from measurement to screen, in epoch ms (the page's instrumentation). */
export interface SampleTiming {
  run: string
  seq: number
  /** When its second ended, in the lab. */
  at: number
  /** When the page received it. */
  received: number
  /** When the page had drawn it. */
  drawn: number
}

declare global {
  interface Window {
    /** Instrumentation for tests and the curious: how late each live sample reached the screen. */
    labLive?: { timings: SampleTiming[] }
  }
}

const nowMs = (): number => performance.timeOrigin + performance.now()

interface Form {
  scenario: string
  quick: boolean
  stack: string
  topologies: Set<string>
  workloads: Set<string>
  values: Map<string, number | number[]>
}

interface LiveChart {
  model: ChartModel
  canvas: HTMLCanvasElement
  figure: HTMLElement
  table: HTMLElement
  chart?: Chart
}

const defaultOf = (k: Knob, quick: boolean): number | number[] => (quick && k.id.startsWith('load.') ? k.quickValue : k.value)
const same = (a: number | number[] | undefined, b: number | number[]): boolean => JSON.stringify(a) === JSON.stringify(b)
const unitText = (k: Knob): string => (k.unit === 'workers' || k.unit === 'connections' ? '' : ` ${k.unit}`)

/** Parses `8, 64` into numbers; null when a part is not a number. */
export function parseList(text: string): number[] | null {
  const parts = text.split(/[\s,;]+/).filter((p) => p !== '')
  if (parts.length === 0) return null
  const nums = parts.map(Number)
  return nums.every((n) => Number.isFinite(n)) ? nums : null
}

/**
 * Mounts the live page into `root`: loads the catalogue, follows the demo's
 * event stream and wires the controls.
 * @param present - start in presenter mode (large type)
 */
export async function mountLive(root: HTMLElement, present: boolean): Promise<void> {
  window.labLive = { timings: [] }
  const timings = window.labLive.timings
  let catalogue: Catalogue
  try {
    const res = await fetch('/api/scenarios', { headers: { Accept: 'application/json' } })
    const body = (await res.json()) as Catalogue & { error?: string }
    if (!res.ok || !Array.isArray(body.scenarios)) throw new Error(body.error ?? `the server answered ${res.status}`)
    catalogue = body
  } catch (err) {
    root.textContent = `Could not load the scenarios from the demo server (${(err as Error).message}). Is \`lab demo\` still running?`
    return
  }
  let state: LiveState = initialState()
  let pending: Array<{ env: Envelope; received: number }> = []
  const form: Form = { scenario: '', quick: true, stack: 'node', topologies: new Set(), workloads: new Set(), values: new Map() }
  let requestInFlight = false
  /** A run this page started whose first event has not arrived yet (Run stays disabled till then). */
  let awaiting: { id: string; until: number } | null = null
  let appliedPlanOf: string | null = null

  // ---------------------------------------------------------------- skeleton
  const presentButton = h('button', { type: 'button', class: 'present-toggle', 'aria-pressed': String(present) }, 'Presenter mode')
  const badge = h('span', { class: 'badge', role: 'status' }, 'connecting…')
  const scenarioSelect = h('select', { id: 'live-scenario', name: 'scenario' }) as HTMLSelectElement
  for (const s of catalogue.scenarios) scenarioSelect.append(h('option', { value: s.name }, s.name))
  const summaryText = h('p', { class: 'scenario-summary' })
  const groups = h('div', { class: 'knob-groups', id: 'live-knobs' })
  const estimate = h('p', { class: 'estimate', 'aria-live': 'polite' })
  const runButton = h('button', { type: 'submit', class: 'run' }, 'Run') as HTMLButtonElement
  const stopButton = h('button', { type: 'button', class: 'stop' }, 'Stop') as HTMLButtonElement
  const formError = h('p', { class: 'form-error', role: 'alert' })
  // presenter mode folds the knobs away so the charts fill the screen; this shows them
  const knobsToggle = h('button', { type: 'button', class: 'knobs-toggle', 'aria-expanded': 'false', 'aria-controls': 'live-knobs' }, 'Knobs')
  const controls = h(
    'form',
    { class: 'controls', 'aria-label': 'Run settings', novalidate: '' },
    h('label', { class: 'field', for: 'live-scenario' }, h('span', { class: 'field-name' }, 'Scenario'), scenarioSelect),
    summaryText,
    // Run and Stop first, so they stay in view however many knobs follow
    h('div', { class: 'buttons' }, runButton, stopButton, knobsToggle),
    estimate,
    formError,
    groups,
  ) as HTMLFormElement

  const headline = h('h2', { class: 'headline' })
  const detail = h('p', { class: 'detail' })
  const progress = h('div', { class: 'progress', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-label': 'Run progress' }, h('div', { class: 'bar' }))
  const status = h('section', { class: 'status', 'aria-live': 'polite' }, headline, detail, progress)
  const verdictBox = h('section', { class: 'verdicts', 'aria-label': 'Verdict', hidden: '' })
  const charts = new Map<string, LiveChart>()
  const liveCharts = h('section', { class: 'panel live-charts' })
  const mapCaption = h('p', { class: 'map-caption' })
  const map = h('div', { class: 'map' })
  const workers = h(
    'section',
    { class: 'panel workers', id: 'live-workers' },
    h('h2', {}, 'Processes'),
    h('p', { class: 'section-caption' }, 'Each box is a server process. A pre-fork worker lights up while it serves a request (fainter: busy for part of the last second); the bar is its CPU over the last second, 100 % = one core.'),
    mapCaption,
    map,
  )
  const ladder = h('section', { class: 'panel ladder', hidden: '' }, h('h2', {}, 'The ladder so far'), h('div', { class: 'charts' }))
  const warningsBox = h('section', { class: 'panel live-warnings', hidden: '' })
  const timingText = h('p', { class: 'timing' })
  const notes = h('aside', { class: 'notes', 'aria-label': 'Scenario notes' })
  const title = h('h1', {}, 'app-server-lab · live')
  const subtitle = h('p', { class: 'subtitle' })

  root.replaceChildren(
    h('header', { class: 'top' }, h('div', { class: 'live-page-title' }, title, subtitle), h('div', { class: 'top-right' }, badge, presentButton)),
    h(
      'div',
      { class: 'live-layout' },
      controls,
      h('main', {}, status, verdictBox, liveCharts, workers, ladder, warningsBox, timingText),
      notes,
    ),
  )

  // ------------------------------------------------------------------ charts
  const fontSize = (): number => (document.documentElement.classList.contains('present') ? 18 : 12)
  const chartFigure = (m: ChartModel): LiveChart => {
    const canvas = h('canvas', { role: 'img', 'aria-label': `${m.title}. ${m.caption}` }) as HTMLCanvasElement
    const table = h('div', { class: 'table-wrap', id: `${m.id}-table` })
    table.hidden = true
    const toggle = h('button', { type: 'button', class: 'table-toggle', 'aria-expanded': 'false', 'aria-controls': table.id }, 'Show table')
    const entry: LiveChart = {
      model: m,
      canvas,
      table,
      figure: h(
        'figure',
        { class: `chart chart-${m.kind}`, id: m.id },
        h('h3', {}, m.title),
        h('figcaption', {}, m.caption),
        h('div', { class: 'canvas-box', style: `--legend-rows: ${Math.max(0, m.series.length - 3)}` }, canvas),
        toggle,
        table,
      ),
    }
    toggle.addEventListener('click', () => {
      table.hidden = !table.hidden
      toggle.setAttribute('aria-expanded', String(!table.hidden))
      toggle.textContent = table.hidden ? 'Show table' : 'Hide table'
      if (!table.hidden) table.replaceChildren(tableElement(entry.model.title, entry.model.table))
    })
    return entry
  }
  const drawInto = (container: HTMLElement, models: ChartModel[]): void => {
    const ids = models.map((m) => m.id)
    const shown = [...container.querySelectorAll(':scope > figure')].map((f) => f.id)
    if (JSON.stringify(ids) !== JSON.stringify(shown)) {
      for (const id of shown) {
        charts.get(id)?.chart?.destroy()
        charts.delete(id)
      }
      container.replaceChildren(...models.map((m) => {
        const c = chartFigure(m)
        charts.set(m.id, c)
        return c.figure
      }))
    }
    for (const m of models) {
      const c = charts.get(m.id)
      if (!c) continue
      c.model = m
      if (c.chart) updateChart(c.chart, m, fontSize())
      else c.chart = drawChart(c.canvas, m, fontSize())
      if (!c.table.hidden) c.table.replaceChildren(tableElement(m.title, m.table))
    }
  }
  const redrawAll = (): void => {
    for (const c of charts.values()) {
      c.chart?.destroy()
      c.chart = drawChart(c.canvas, c.model, fontSize())
    }
  }

  // ------------------------------------------------------------------- form
  const scenarioInfo = (): ScenarioInfo | undefined => catalogue.scenarios.find((s) => s.name === form.scenario)

  const pickScenario = (name: string): void => {
    const s = catalogue.scenarios.find((x) => x.name === name) ?? catalogue.scenarios[0]
    if (!s) return
    form.scenario = s.name
    form.topologies = new Set(s.topologies.map((t) => t.id))
    form.workloads = new Set(s.workloads.map((w) => w.id))
    form.values = new Map(s.knobs.map((k) => [k.id, defaultOf(k, form.quick)]))
    scenarioSelect.value = s.name
    buildKnobs()
  }

  const knobElement = (k: Knob): HTMLElement => {
    const id = `knob-${k.id.replace(/[^a-z0-9]+/gi, '-')}`
    const value = form.values.get(k.id) ?? defaultOf(k, form.quick)
    const error = h('p', { class: 'knob-error', role: 'alert' })
    const hint = h('p', { class: 'knob-hint' }, `${k.min}–${k.max}${unitText(k)}${k.kind === 'int-list' ? `, up to ${k.maxItems ?? 6} levels` : ''}. ${k.help}`)
    let inputs: HTMLElement
    if (k.kind === 'int-list') {
      const text = h('input', { id, type: 'text', inputmode: 'numeric', name: k.id, value: (value as number[]).join(', '), 'aria-describedby': `${id}-hint` }) as HTMLInputElement
      text.addEventListener('input', () => {
        const list = parseList(text.value)
        if (list) form.values.set(k.id, list)
        updateEstimate()
      })
      inputs = h('div', { class: 'knob-input' }, text, h('span', { class: 'unit' }, k.unit))
    } else {
      const attrs = { min: String(k.min), max: String(k.max), step: String(k.step), value: String(value) }
      const range = h('input', { type: 'range', ...attrs, 'aria-label': `${k.label} (slider)`, tabindex: '-1' }) as HTMLInputElement
      const num = h('input', { id, type: 'number', name: k.id, ...attrs, 'aria-describedby': `${id}-hint` }) as HTMLInputElement
      range.addEventListener('input', () => {
        num.value = range.value
        form.values.set(k.id, Number(range.value))
        updateEstimate()
      })
      num.addEventListener('input', () => {
        if (num.value !== '' && Number.isFinite(Number(num.value))) {
          range.value = num.value
          form.values.set(k.id, Number(num.value))
        }
        updateEstimate()
      })
      inputs = h('div', { class: 'knob-input' }, range, num, h('span', { class: 'unit' }, k.unit))
    }
    hint.id = `${id}-hint`
    return h('div', { class: 'knob', 'data-knob': k.id }, h('label', { for: id }, k.label.replace(/^\S+ /, (m) => (k.group === 'load' ? m : ''))), inputs, hint, error)
  }

  const buildKnobs = (): void => {
    const s = scenarioInfo()
    if (!s) return
    summaryText.textContent = s.summary
    notes.innerHTML = s.notesHtml // rendered by the demo server from the scenario's notes.md, raw HTML escaped
    const box = (id: string, kind: 'topologies' | 'workloads', label: string): HTMLElement => {
      const set = form[kind]
      const cb = h('input', { type: 'checkbox', name: `${kind}:${id}`, value: id, ...(set.has(id) ? { checked: '' } : {}) }) as HTMLInputElement
      cb.addEventListener('change', () => {
        if (cb.checked) set.add(id)
        else set.delete(id)
        fieldset.classList.toggle('off', !cb.checked)
        updateEstimate()
      })
      const fieldset = h('fieldset', { class: `group ${set.has(id) ? '' : 'off'}`, 'data-group': id }, h('legend', {}, h('label', {}, cb, ' ', h('strong', {}, id), ' ', h('span', { class: 'muted' }, label))))
      const own = s.knobs.filter((k) => k.group === id)
      for (const k of own) fieldset.append(knobElement(k))
      if (own.length === 0) fieldset.append(h('p', { class: 'knob-hint' }, 'Nothing to turn here.'))
      return fieldset
    }
    const quick = h('input', { type: 'checkbox', name: 'quick', ...(form.quick ? { checked: '' } : {}) }) as HTMLInputElement
    quick.addEventListener('change', () => {
      form.quick = quick.checked
      for (const k of s.knobs.filter((k) => k.group === 'load')) form.values.set(k.id, defaultOf(k, form.quick))
      buildKnobs()
    })
    const stack = h('select', { name: 'stack', id: 'live-stack' }) as HTMLSelectElement
    for (const st of catalogue.stacks) stack.append(h('option', { value: st, ...(st === form.stack ? { selected: '' } : {}) }, st === 'node' ? 'node (built-in)' : st === 'python' ? 'python (Gunicorn, Uvicorn)' : st))
    stack.addEventListener('change', () => (form.stack = stack.value))
    const load = h(
      'fieldset',
      { class: 'group', 'data-group': 'load' },
      h('legend', {}, h('strong', {}, 'Load')),
      h('label', { class: 'check' }, quick, ' Quick (the scenario’s short load)'),
      h('label', { class: 'field', for: 'live-stack' }, h('span', { class: 'field-name' }, 'Stack'), stack),
      ...s.knobs.filter((k) => k.group === 'load').map(knobElement),
    )
    groups.replaceChildren(
      ...s.topologies.map((t) => box(t.id, 'topologies', t.model === 'prefork' ? `pre-fork` : t.model)),
      ...s.workloads.map((w) => box(w.id, 'workloads', 'workload')),
      load,
    )
    clearProblems()
    updateEstimate()
  }

  const knobValue = (id: string): number | number[] | undefined => form.values.get(id)
  const updateEstimate = (): void => {
    const conns = knobValue('load.connections')
    const warm = knobValue('load.warmup_s')
    const dur = knobValue('load.duration_s')
    const n = form.topologies.size * form.workloads.size * (Array.isArray(conns) ? conns.length : 1)
    const each = (typeof warm === 'number' ? warm : 0) + (typeof dur === 'number' ? dur : 0)
    estimate.textContent = n === 0 ? 'Pick at least one topology and one workload.' : `${n} level${n === 1 ? '' : 's'}, at least ${Math.round(n * each)} s of load.`
  }

  const clearProblems = (): void => {
    formError.textContent = ''
    for (const el of groups.querySelectorAll('.knob')) {
      el.classList.remove('invalid')
      const e = el.querySelector('.knob-error')
      if (e) e.textContent = ''
    }
  }

  const showProblems = (problems: Array<{ field: string; message: string }>): void => {
    const general: string[] = []
    for (const p of problems) {
      const el = [...groups.querySelectorAll<HTMLElement>('.knob')].find((k) => k.dataset.knob === p.field)
      const e = el?.querySelector('.knob-error')
      if (el && e) {
        el.classList.add('invalid')
        e.textContent = p.message
      } else general.push(p.message)
    }
    formError.textContent = general.join(' ')
  }

  /** Shows the settings of a run another browser (or this one) started. */
  const applyPlan = (): void => {
    const plan = state.plan
    if (!plan || appliedPlanOf === state.run) return
    appliedPlanOf = state.run
    if (!catalogue.scenarios.some((s) => s.name === plan.scenario.name)) return
    form.quick = plan.quick
    form.stack = plan.stack
    pickScenario(plan.scenario.name)
    form.topologies = new Set(plan.topologies.map((t) => t.id))
    form.workloads = new Set(Object.keys(plan.workloads))
    for (const t of plan.topologies) if (t.workers !== undefined) form.values.set(`topologies.${t.id}.server.workers`, t.workers)
    for (const [id, w] of Object.entries(plan.workloads)) {
      form.values.set(`workloads.${id}.io_ms`, w.io_ms)
      form.values.set(`workloads.${id}.cpu_ms`, w.cpu_ms)
      form.values.set(`workloads.${id}.bytes`, w.bytes)
    }
    form.values.set('load.connections', plan.load.connections)
    form.values.set('load.warmup_s', plan.load.warmup_s)
    form.values.set('load.duration_s', plan.load.duration_s)
    buildKnobs()
  }

  const requestBody = () => {
    const s = scenarioInfo()
    const knobs: Record<string, number | number[]> = {}
    for (const k of s?.knobs ?? []) {
      if (k.group !== 'load' && !form.topologies.has(k.group) && !form.workloads.has(k.group)) continue
      const v = form.values.get(k.id)
      if (v !== undefined && !same(v, defaultOf(k, form.quick))) knobs[k.id] = v
    }
    return { scenario: form.scenario, quick: form.quick, stack: form.stack, topologies: [...form.topologies], workloads: [...form.workloads], knobs }
  }

  controls.addEventListener('submit', (ev) => {
    ev.preventDefault()
    if (requestInFlight) return
    // a list that does not parse is sent as typed text, so the server names the field
    const listInput = groups.querySelector<HTMLInputElement>('input[name="load.connections"]')
    clearProblems()
    if (listInput && !parseList(listInput.value)) {
      showProblems([{ field: 'load.connections', message: `load.connections: "${listInput.value}" is not a list of numbers, e.g. 8, 64` }])
      return
    }
    requestInFlight = true
    render()
    void (async () => {
      try {
        const res = await fetch('/api/runs', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(requestBody()) })
        const body = (await res.json()) as { id?: string; error?: string; problems?: Array<{ field: string; message: string }>; running?: string }
        if (res.status === 202 && body.id) awaiting = { id: body.id, until: Date.now() + 10_000 }
        else if (res.status === 400) showProblems(body.problems ?? [{ field: '', message: body.error ?? 'bad request' }])
        else if (res.status === 409) formError.textContent = `Another run (${body.running}) is going: wait for it, or press Stop.`
        else if (!res.ok) formError.textContent = body.error ?? `the server answered ${res.status}`
      } catch (err) {
        formError.textContent = `Could not reach the demo server: ${(err as Error).message}`
      } finally {
        requestInFlight = false
        render()
      }
    })()
  })

  stopButton.addEventListener('click', () => {
    if (!state.run) return
    stopButton.disabled = true
    stopButton.textContent = 'Stopping…'
    void fetch(`/api/runs/${encodeURIComponent(state.run)}/stop`, { method: 'POST' })
      .catch((err: unknown) => (formError.textContent = `Could not stop: ${(err as Error).message}`))
      .finally(() => {
        stopButton.textContent = 'Stop'
        render()
      })
  })
  scenarioSelect.addEventListener('change', () => pickScenario(scenarioSelect.value))
  const showKnobs = (on: boolean): void => {
    controls.classList.toggle('show-knobs', on)
    knobsToggle.setAttribute('aria-expanded', String(on))
  }
  knobsToggle.addEventListener('click', () => showKnobs(!controls.classList.contains('show-knobs')))

  // ----------------------------------------------------------------- render
  const renderMap = (): void => {
    const m = workerMap(state)
    if (!m) {
      mapCaption.textContent = 'No level has started yet.'
      map.replaceChildren()
      return
    }
    mapCaption.textContent = `${m.topology} (${m.model}) · ${m.caption}`
    map.replaceChildren(
      ...m.boxes.map((b) =>
        h(
          'div',
          {
            class: `box role-${b.role.replace(' ', '-')}${b.busy ? ' busy' : ''}`,
            style: `--intensity: ${b.intensity.toFixed(2)}; --cpu: ${Math.min(100, b.cpuPercent).toFixed(0)}%`,
            title: `${b.role}${b.pid ? ` ${b.pid}` : ''}: ${b.busy ? 'busy' : 'idle'}, CPU ${fmt(b.cpuPercent, 0)} %`,
            'data-pid': String(b.pid),
            'data-busy': String(b.busy),
          },
          h('span', { class: 'role' }, b.role),
          h('span', { class: 'pid' }, b.pid ? String(b.pid) : 'autocannon'),
          h('span', { class: 'reqs' }, b.requests !== undefined ? `${b.requests} req` : b.busy ? 'busy' : ''),
          h('div', { class: 'cpu' }, h('div', {})),
          h('span', { class: 'cpu-text' }, `CPU ${fmt(b.cpuPercent, 0)} %`),
        ),
      ),
    )
  }

  const renderVerdicts = (): void => {
    const show = state.plan !== null && state.status !== 'running' && state.status !== 'idle'
    verdictBox.hidden = !show
    if (!show) return
    const lines = liveVerdicts(state)
    const links = state.done?.links
    verdictBox.replaceChildren(h(
      'div',
      {},
      h('h2', {}, state.status === 'done' ? 'Verdict' : state.status === 'stopped' ? 'Stopped: what was measured' : 'The run failed'),
      lines.length
        ? h('ul', {}, ...lines.map((v) => h('li', { class: 'verdict' }, v.text)))
        : h('p', {}, state.runs.length ? 'Only one topology was measured at the highest connection count, so there is nothing to compare.' : 'No level was measured.'),
      state.done?.error ? h('p', { class: 'form-error' }, state.done.error) : null,
      links && (links.report || links.results)
        ? h(
            'p',
            { class: 'links' },
            links.report ? h('a', { href: links.report, target: '_blank', rel: 'noopener', class: 'report-link' }, 'Open the saved report') : null,
            links.results ? h('a', { href: links.results, target: '_blank', rel: 'noopener' }, 'results JSON') : null,
            links.events ? h('a', { href: links.events, target: '_blank', rel: 'noopener' }, 'event log (NDJSON)') : null,
          )
        : null,
      state.plan ? h('p', { class: 'command' }, 'Reproduce: ', h('code', {}, state.plan.command)) : null,
    ))
  }

  const renderWarnings = (): void => {
    warningsBox.hidden = state.warnings.length === 0
    if (warningsBox.hidden) return
    warningsBox.replaceChildren(
      h('h2', {}, 'Warnings'),
      h(
        'ul',
        { class: 'warnings' },
        ...state.warnings.map((w) => {
          const text = WARNING_TEXT[w.code] ?? { title: w.code, explanation: '' }
          return h('li', {}, h('strong', {}, text.title), h('p', {}, text.explanation), h('p', { class: 'message' }, h('code', {}, w.code), ' ', w.message))
        }),
      ),
    )
  }

  const render = (): void => {
    const st = statusLine(state)
    headline.textContent = st.headline
    detail.textContent = st.detail
    progress.setAttribute('aria-valuenow', String(Math.round(st.progress * 100)))
    ;(progress.firstElementChild as HTMLElement).style.width = `${(st.progress * 100).toFixed(1)}%`
    status.dataset.status = state.status
    title.textContent = state.plan ? state.plan.scenario.title : 'app-server-lab · live'
    subtitle.textContent = state.plan ? `live · ${state.plan.scenario.name} · ${state.plan.stack}${state.plan.quick ? ' · quick' : ''} · run ${state.run}` : 'live demo: pick a scenario, turn the knobs, press Run'
    const running = state.status === 'running'
    if (awaiting && (state.run === awaiting.id || Date.now() > awaiting.until)) awaiting = null
    runButton.disabled = running || requestInFlight || awaiting !== null
    stopButton.disabled = !running || stopButton.textContent === 'Stopping…'
    drawInto(liveCharts, [liveThroughputChart(state), liveLatencyChart(state)])
    renderMap()
    const ladders = ladderCharts(state)
    ladder.hidden = ladders.length === 0
    drawInto(ladder.querySelector('.charts') as HTMLElement, ladders)
    renderVerdicts()
    renderWarnings()
  }

  // ----------------------------------------------------------------- stream
  let frame = 0
  const flush = (): void => {
    frame = 0
    const batch = pending
    pending = []
    const wasRunning = state.status === 'running'
    for (const { env } of batch) state = reduce(state, env)
    if (!wasRunning && state.status === 'running') showKnobs(false)
    applyPlan()
    render()
    const drawn = nowMs()
    for (const { env, received } of batch) {
      // history replayed to a late browser is old news: time only samples that arrived live
      if (env.event.type === 'sample' && received - env.event.at < 5000) timings.push({ run: env.run, seq: env.seq, at: env.event.at, received, drawn })
    }
    const recent = timings.slice(-30).map((t) => t.drawn - t.at).sort((a, b) => a - b)
    const median = recent[Math.floor(recent.length / 2)]
    timingText.textContent = median === undefined ? '' : `Each second reaches this page about ${fmt(median, 0)} ms after it ends (median of the last ${recent.length}).`
  }
  const schedule = (): void => {
    if (frame) return
    frame = document.hidden ? window.setTimeout(flush, 0) : window.requestAnimationFrame(flush)
  }
  const connect = (): void => {
    const source = new EventSource('/api/events')
    source.onopen = () => {
      badge.textContent = '● live'
      badge.className = 'badge ok'
    }
    source.onerror = () => {
      badge.textContent = 'reconnecting…'
      badge.className = 'badge bad'
    }
    source.onmessage = (m: MessageEvent<string>) => {
      pending.push({ env: JSON.parse(m.data) as Envelope, received: nowMs() })
      schedule()
    }
  }

  const setPresent = (on: boolean): void => {
    document.documentElement.classList.toggle('present', on)
    presentButton.setAttribute('aria-pressed', String(on))
    redrawAll()
  }
  presentButton.addEventListener('click', () => setPresent(!document.documentElement.classList.contains('present')))
  document.documentElement.classList.toggle('present', present)

  // ?scenario=NAME picks one; otherwise the lab's main scenario when present
  pickScenario(new URLSearchParams(location.search).get('scenario') ?? (catalogue.scenarios.some((s) => s.name === 'prefork-vs-async') ? 'prefork-vs-async' : catalogue.scenarios[0]?.name ?? ''))
  render()
  connect()
}
