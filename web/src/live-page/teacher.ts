/**
 * The teacher's controls of the live page: step mode (hold after each level
 * until Next), Next, Pause / Resume, and, on a view-only demo (bound beyond
 * loopback), the field where the teacher types the token printed in the
 * terminal. Until then the page only watches: Run, Stop, Next and Pause are
 * disabled and the server would refuse them anyway (lab/live/token.ts).
 */
import type { LiveState } from '../live/state.js'
import { heldNow } from '../live/state.js'
import { h } from '../panels/dom.js'
import { gate, unlock, type GateAction, type GateAnswer } from './api.js'
import { t } from '../../../lab/core/i18n.js'

/** The controls, built once and updated on every draw. */
export class TeacherControls {
  /** Step mode for the next Run (and the running one, when changed during it). */
  readonly step = h('input', { type: 'checkbox', name: 'step' }) as HTMLInputElement
  readonly stepField = h('label', { class: 'check step-mode' }, this.step, t('livePage.stepMode'))
  readonly next = h('button', { type: 'button', class: 'next' }, t('livePage.next')) as HTMLButtonElement
  readonly pause = h('button', { type: 'button', class: 'pause' }, t('livePage.pause')) as HTMLButtonElement
  /** The unlock box of a view-only demo; empty otherwise. */
  readonly lock: HTMLElement
  #locked: boolean
  #gate: GateAnswer | null = null
  #run: string | null = null

  /**
   * @param viewOnly - the demo needs the teacher token for control
   * @param state - the page's state now
   * @param changed - redraw after a control changed something
   * @param error - where to say what went wrong
   */
  constructor(
    viewOnly: boolean,
    private readonly state: () => LiveState,
    private readonly changed: () => void,
    private readonly error: HTMLElement,
  ) {
    this.#locked = viewOnly
    const input = h('input', { type: 'password', name: 'teacher-token', autocomplete: 'off', 'aria-label': t('livePage.teacherToken') }) as HTMLInputElement
    const message = h('p', { class: 'lock-message' }, t('livePage.viewOnly'))
    const button = h('button', { type: 'button', class: 'unlock' }, t('livePage.unlock'))
    const tryUnlock = async (): Promise<void> => {
      const ok = await unlock(input.value.trim()).catch(() => false)
      if (!ok) return void (message.textContent = t('livePage.wrongToken'))
      this.#locked = false
      input.value = ''
      this.lock.hidden = true
      this.changed()
    }
    input.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter') {
        ev.preventDefault()
        void tryUnlock()
      }
    })
    button.addEventListener('click', () => void tryUnlock())
    this.lock = h('div', { class: 'teacher-lock', role: 'group', 'aria-label': t('livePage.teacherToken') }, message, h('div', { class: 'knob-input' }, input, button))
    this.lock.hidden = !viewOnly
    this.next.addEventListener('click', () => this.act('next'))
    this.pause.addEventListener('click', () => this.act(this.paused() ? 'resume' : 'pause'))
    this.step.addEventListener('change', () => {
      if (this.state().status === 'running') this.act(this.step.checked ? 'step-on' : 'step-off')
    })
  }

  /** True while a view-only demo has not been given the token. */
  locked(): boolean {
    return this.#locked
  }

  /** Whether the running run is paused (asked, or held by the pause). */
  private paused(): boolean {
    return heldNow(this.state())?.reason === 'pause' || (this.#gate?.paused ?? false)
  }

  /** Updates the buttons for `s`. */
  render(s: LiveState): void {
    if (s.run !== this.#run) {
      this.#run = s.run
      this.#gate = null
    }
    const running = s.status === 'running'
    const held = heldNow(s)
    if (held && this.#gate) this.#gate = { ...this.#gate, holding: held.reason, paused: held.reason === 'pause' || this.#gate.paused }
    this.next.disabled = this.#locked || !running || held?.reason !== 'step'
    this.pause.disabled = this.#locked || !running
    this.pause.textContent = t(running && this.paused() ? 'livePage.resume' : 'livePage.pause')
    this.step.disabled = this.#locked
  }

  private act(action: GateAction): void {
    const run = this.state().run
    if (!run) return
    gate(run, action)
      .then((g) => {
        this.#gate = g
        if (action === 'next' || action === 'resume') this.#gate = { ...g, paused: false }
      })
      .catch((err: unknown) => (this.error.textContent = t('livePage.cannotAct', { action: action.replace('-', ' '), error: (err as Error).message })))
      .finally(() => this.changed())
  }
}
