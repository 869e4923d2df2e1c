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

/** The controls, built once and updated on every draw. */
export class TeacherControls {
  /** Step mode for the next Run (and the running one, when changed during it). */
  readonly step = h('input', { type: 'checkbox', name: 'step' }) as HTMLInputElement
  readonly stepField = h('label', { class: 'check step-mode' }, this.step, 'Step: hold after each level until Next')
  readonly next = h('button', { type: 'button', class: 'next' }, 'Next') as HTMLButtonElement
  readonly pause = h('button', { type: 'button', class: 'pause' }, 'Pause') as HTMLButtonElement
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
    const input = h('input', { type: 'password', name: 'teacher-token', autocomplete: 'off', 'aria-label': 'Teacher token' }) as HTMLInputElement
    const message = h('p', { class: 'lock-message' }, 'View-only: students watch, the teacher drives. Teacher: type the token printed in the terminal.')
    const button = h('button', { type: 'button', class: 'unlock' }, 'Unlock')
    const tryUnlock = async (): Promise<void> => {
      const ok = await unlock(input.value.trim()).catch(() => false)
      if (!ok) return void (message.textContent = 'That is not the token printed in the terminal where lab demo started.')
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
    this.lock = h('div', { class: 'teacher-lock', role: 'group', 'aria-label': 'Teacher token' }, message, h('div', { class: 'knob-input' }, input, button))
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
    this.pause.textContent = running && this.paused() ? 'Resume' : 'Pause'
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
      .catch((err: unknown) => (this.error.textContent = `Could not ${action.replace('-', ' ')}: ${(err as Error).message}`))
      .finally(() => this.changed())
  }
}
