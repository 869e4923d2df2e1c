/**
 * The live page's run settings: the scenario picker, a group of knobs per
 * topology and workload (checkbox to include it), the load group (quick,
 * stack, connections, seconds), the estimate, and the server's refusals shown
 * beside the knob they name. Also shows the scenario's notes.
 */
import type { PlanEvent } from '../../../lab/core/events.js'
import type { Knob } from '../../../lab/core/knobs.js'
import { h } from '../panels/dom.js'
import { linkTerms } from '../panels/glossary.js'
import type { Catalogue, Problem, ScenarioInfo, StartRequest } from './api.js'
import { t } from '../../../lab/core/i18n.js'

/** What the form holds. */
interface Values {
  scenario: string
  quick: boolean
  stack: string
  topologies: Set<string>
  workloads: Set<string>
  values: Map<string, number | number[]>
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

/** The run settings of the live page; its elements are placed by the page. */
export class RunForm {
  readonly select = h('select', { id: 'live-scenario', name: 'scenario' }) as HTMLSelectElement
  readonly summary = h('p', { class: 'scenario-summary' })
  readonly groups = h('div', { class: 'knob-groups', id: 'live-knobs' })
  readonly estimate = h('p', { class: 'estimate', 'aria-live': 'polite' })
  readonly error = h('p', { class: 'form-error', role: 'alert' })
  readonly notes = h('aside', { class: 'notes', 'aria-label': t('report.notes') })
  readonly #v: Values = { scenario: '', quick: true, stack: 'node', topologies: new Set(), workloads: new Set(), values: new Map() }
  #appliedPlanOf: string | null = null

  constructor(private readonly catalogue: Catalogue) {
    for (const s of catalogue.scenarios) this.select.append(h('option', { value: s.name }, s.name))
    this.select.addEventListener('change', () => this.pick(this.select.value))
  }

  #scenario(): ScenarioInfo | undefined {
    return this.catalogue.scenarios.find((s) => s.name === this.#v.scenario)
  }

  /** Shows a scenario (the first when `name` is not in the catalogue) with its defaults. */
  pick(name: string): void {
    const s = this.catalogue.scenarios.find((x) => x.name === name) ?? this.catalogue.scenarios[0]
    if (!s) return
    const v = this.#v
    v.scenario = s.name
    v.topologies = new Set(s.topologies.map((t) => t.id))
    v.workloads = new Set(s.workloads.map((w) => w.id))
    v.values = new Map(s.knobs.map((k) => [k.id, defaultOf(k, v.quick)]))
    this.select.value = s.name
    this.#build()
  }

  #knob(k: Knob): HTMLElement {
    const v = this.#v
    const id = `knob-${k.id.replace(/[^a-z0-9]+/gi, '-')}`
    const value = v.values.get(k.id) ?? defaultOf(k, v.quick)
    const error = h('p', { class: 'knob-error', role: 'alert' })
    const hint = h('p', { class: 'knob-hint' }, `${k.min}–${k.max}${unitText(k)}${k.kind === 'int-list' ? `, up to ${k.maxItems ?? 6} levels` : ''}. ${k.help}`)
    let inputs: HTMLElement
    if (k.kind === 'int-list') {
      const text = h('input', { id, type: 'text', inputmode: 'numeric', name: k.id, value: (value as number[]).join(', '), 'aria-describedby': `${id}-hint` }) as HTMLInputElement
      text.addEventListener('input', () => {
        const list = parseList(text.value)
        if (list) v.values.set(k.id, list)
        this.#updateEstimate()
      })
      inputs = h('div', { class: 'knob-input' }, text, h('span', { class: 'unit' }, k.unit))
    } else {
      const attrs = { min: String(k.min), max: String(k.max), step: String(k.step), value: String(value) }
      const range = h('input', { type: 'range', ...attrs, 'aria-label': `${k.label} (slider)`, tabindex: '-1' }) as HTMLInputElement
      const num = h('input', { id, type: 'number', name: k.id, ...attrs, 'aria-describedby': `${id}-hint` }) as HTMLInputElement
      range.addEventListener('input', () => {
        num.value = range.value
        v.values.set(k.id, Number(range.value))
        this.#updateEstimate()
      })
      num.addEventListener('input', () => {
        if (num.value !== '' && Number.isFinite(Number(num.value))) {
          range.value = num.value
          v.values.set(k.id, Number(num.value))
        }
        this.#updateEstimate()
      })
      inputs = h('div', { class: 'knob-input' }, range, num, h('span', { class: 'unit' }, k.unit))
    }
    hint.id = `${id}-hint`
    return h('div', { class: 'knob', 'data-knob': k.id }, h('label', { for: id }, k.label.replace(/^\S+ /, (m) => (k.group === 'load' ? m : ''))), inputs, hint, error)
  }

  /** A topology's or workload's group: a checkbox to include it, then its knobs. */
  #group(s: ScenarioInfo, id: string, kind: 'topologies' | 'workloads', label: string): HTMLElement {
    const set = this.#v[kind]
    const cb = h('input', { type: 'checkbox', name: `${kind}:${id}`, value: id, ...(set.has(id) ? { checked: '' } : {}) }) as HTMLInputElement
    const fieldset = h('fieldset', { class: `group ${set.has(id) ? '' : 'off'}`, 'data-group': id }, h('legend', {}, h('label', {}, cb, ' ', h('strong', {}, id), ' ', h('span', { class: 'muted' }, label))))
    cb.addEventListener('change', () => {
      if (cb.checked) set.add(id)
      else set.delete(id)
      fieldset.classList.toggle('off', !cb.checked)
      this.#updateEstimate()
    })
    const own = s.knobs.filter((k) => k.group === id)
    for (const k of own) fieldset.append(this.#knob(k))
    if (own.length === 0) fieldset.append(h('p', { class: 'knob-hint' }, t('live.nothingToTurn')))
    return fieldset
  }

  /** The load group: quick, stack, and the load knobs. */
  #load(s: ScenarioInfo): HTMLElement {
    const v = this.#v
    const quick = h('input', { type: 'checkbox', name: 'quick', ...(v.quick ? { checked: '' } : {}) }) as HTMLInputElement
    quick.addEventListener('change', () => {
      v.quick = quick.checked
      for (const k of s.knobs.filter((k) => k.group === 'load')) v.values.set(k.id, defaultOf(k, v.quick))
      this.#build()
    })
    const stack = h('select', { name: 'stack', id: 'live-stack' }) as HTMLSelectElement
    for (const st of this.catalogue.stacks) stack.append(h('option', { value: st, ...(st === v.stack ? { selected: '' } : {}) }, st === 'node' ? 'node (built-in)' : st === 'python' ? 'python (Gunicorn, Uvicorn)' : st))
    stack.addEventListener('change', () => (v.stack = stack.value))
    return h(
      'fieldset',
      { class: 'group', 'data-group': 'load' },
      h('legend', {}, h('strong', {}, t('live.load'))),
      h('label', { class: 'check' }, quick, ' Quick (the scenario’s short load)'),
      h('label', { class: 'field', for: 'live-stack' }, h('span', { class: 'field-name' }, t('live.stack')), stack),
      ...s.knobs.filter((k) => k.group === 'load').map((k) => this.#knob(k)),
    )
  }

  #build(): void {
    const s = this.#scenario()
    if (!s) return
    this.summary.textContent = s.summary
    this.notes.innerHTML = s.notesHtml // rendered by the demo server from the scenario's notes.md, raw HTML escaped
    linkTerms(this.notes)
    this.groups.replaceChildren(
      ...s.topologies.map((t) => this.#group(s, t.id, 'topologies', t.model === 'prefork' ? `pre-fork` : t.model)),
      ...s.workloads.map((w) => this.#group(s, w.id, 'workloads', 'workload')),
      this.#load(s),
    )
    this.clearProblems()
    this.#updateEstimate()
  }

  #updateEstimate(): void {
    const v = this.#v
    const conns = v.values.get('load.connections')
    const warm = v.values.get('load.warmup_s')
    const dur = v.values.get('load.duration_s')
    const n = v.topologies.size * v.workloads.size * (Array.isArray(conns) ? conns.length : 1)
    const each = (typeof warm === 'number' ? warm : 0) + (typeof dur === 'number' ? dur : 0)
    this.estimate.textContent = n === 0 ? t('livePage.pickSomething') : t('livePage.estimate', { count: n, seconds: Math.round(n * each) })
  }

  /** Clears the refusals shown. */
  clearProblems(): void {
    this.error.textContent = ''
    for (const el of this.groups.querySelectorAll('.knob')) {
      el.classList.remove('invalid')
      const e = el.querySelector('.knob-error')
      if (e) e.textContent = ''
    }
  }

  /** Shows each refusal beside the knob it names, the others above the knobs. */
  showProblems(problems: readonly Problem[]): void {
    const general: string[] = []
    for (const p of problems) {
      const el = [...this.groups.querySelectorAll<HTMLElement>('.knob')].find((k) => k.dataset.knob === p.field)
      const e = el?.querySelector('.knob-error')
      if (el && e) {
        el.classList.add('invalid')
        e.textContent = p.message
      } else general.push(p.message)
    }
    this.error.textContent = general.join(' ')
  }

  /** Checks what the server cannot be sent: a connections list that does not parse is refused here, beside its knob. */
  check(): boolean {
    this.clearProblems()
    const list = this.groups.querySelector<HTMLInputElement>('input[name="load.connections"]')
    if (list && !parseList(list.value)) {
      this.showProblems([{ field: 'load.connections', message: `load.connections: "${list.value}" is not a list of numbers, e.g. 8, 64` }])
      return false
    }
    return true
  }

  /** Shows the settings of a run another browser (or this one) started, once per run. */
  applyPlan(run: string | null, plan: PlanEvent | null): void {
    if (!plan || this.#appliedPlanOf === run) return
    this.#appliedPlanOf = run
    if (!this.catalogue.scenarios.some((s) => s.name === plan.scenario.name)) return
    const v = this.#v
    v.quick = plan.quick
    v.stack = plan.stack
    this.pick(plan.scenario.name)
    v.topologies = new Set(plan.topologies.map((t) => t.id))
    v.workloads = new Set(Object.keys(plan.workloads))
    for (const t of plan.topologies) if (t.workers !== undefined) v.values.set(`topologies.${t.id}.server.workers`, t.workers)
    for (const [id, w] of Object.entries(plan.workloads)) {
      v.values.set(`workloads.${id}.io_ms`, w.io_ms)
      v.values.set(`workloads.${id}.cpu_ms`, w.cpu_ms)
      v.values.set(`workloads.${id}.bytes`, w.bytes)
    }
    v.values.set('load.connections', plan.load.connections)
    v.values.set('load.warmup_s', plan.load.warmup_s)
    v.values.set('load.duration_s', plan.load.duration_s)
    this.#build()
  }

  /** The request that starts a run with these settings: only the knobs of included groups turned away from their defaults. */
  request(): StartRequest {
    const v = this.#v
    const knobs: Record<string, number | number[]> = {}
    for (const k of this.#scenario()?.knobs ?? []) {
      if (k.group !== 'load' && !v.topologies.has(k.group) && !v.workloads.has(k.group)) continue
      const value = v.values.get(k.id)
      if (value !== undefined && !same(value, defaultOf(k, v.quick))) knobs[k.id] = value
    }
    return { scenario: v.scenario, quick: v.quick, stack: v.stack, topologies: [...v.topologies], workloads: [...v.workloads], knobs }
  }
}
