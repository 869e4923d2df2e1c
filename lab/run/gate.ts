/**
 * The gate between levels: the demo's step mode and pause button
 * (docs/architecture.md, "The live demo"). The run engine (lab/run/engine.ts)
 * asks the gate before every level but the first; the gate holds the run
 * there while it is paused, or in step mode until Next is pressed.
 *
 * A hold happens only between levels, never inside one: a level's warm-up
 * and measured window (lab/core/window.ts) start after the hold ends, so held
 * time is in no window. The topology stays up, idle, while held.
 */

import type { GateState, HoldReason } from '../core/events.js'

export type { GateState, HoldReason }

/** Step mode and pause for one run. */
export class LevelGate {
  private step: boolean
  private paused = false
  private holding: HoldReason | null = null
  private release: (() => void) | undefined
  private readonly changes = new Set<(s: GateState) => void>()

  /** @param step - start in step mode */
  constructor(step = false) {
    this.step = step
  }

  /** The settings now. */
  state(): GateState {
    return { step: this.step, paused: this.paused, holding: this.holding }
  }

  /** Calls `listener` after every change of the settings. @returns a function that unsubscribes */
  onChange(listener: (s: GateState) => void): () => void {
    this.changes.add(listener)
    return () => this.changes.delete(listener)
  }

  /** Turns step mode on or off; turning it off releases a step hold (not a pause). */
  setStep(on: boolean): void {
    this.step = on
    if (!on && this.holding === 'step') this.open()
    this.changed()
  }

  /** Holds the run at the next level boundary (the running level finishes first). */
  pause(): void {
    this.paused = true
    if (this.holding) this.holding = 'pause'
    this.changed()
  }

  /** Ends a pause; in step mode a run held by the pause goes on (Resume counts as Next). */
  resume(): void {
    this.paused = false
    if (this.holding) this.open()
    this.changed()
  }

  /**
   * Lets a held run go on to its next level; does nothing while paused (Resume first) or when not held.
   * @returns whether a held run was released
   */
  next(): boolean {
    if (this.holding !== 'step' || this.paused) return false
    this.open()
    this.changed()
    return true
  }

  /**
   * Waits until the run may start its next level: at once when neither
   * paused nor in step mode, else until Next / Resume, or until `signal`
   * aborts (a Stop).
   * @param onHold - called once, when the wait starts, with its reason
   * @returns how long the run was held (ms; 0 when it was not)
   */
  async wait(signal?: AbortSignal, onHold?: (reason: HoldReason) => void): Promise<number> {
    const reason: HoldReason | null = this.paused ? 'pause' : this.step ? 'step' : null
    if (!reason || signal?.aborted) return 0
    const from = performance.now()
    this.holding = reason
    this.changed()
    onHold?.(reason)
    await new Promise<void>((resolve) => {
      const done = () => {
        signal?.removeEventListener('abort', done)
        this.release = undefined
        resolve()
      }
      this.release = done
      signal?.addEventListener('abort', done, { once: true })
    })
    this.holding = null
    this.changed()
    return performance.now() - from
  }

  private open(): void {
    this.release?.()
  }

  private changed(): void {
    const s = this.state()
    for (const l of this.changes) {
      try {
        l(s)
      } catch {
        // a listener's failure must not hold the run
      }
    }
  }
}
