/**
 * The run engine's emitter: whoever drives a run (the CLI's progress bar, the
 * demo's SSE stream, a test) subscribes to the run's events
 * (lab/core/events.ts) here, and to progress ticks for a progress display.
 *
 * Listeners are called synchronously, in the order they subscribed, on the
 * load generator's thread: keep them quick. A listener that throws is
 * ignored, so a display's bug cannot end a measurement.
 */
import type { LabEvent, LabEventType } from '../core/events.js'
import type { Level } from '../core/plan.js'

/**
 * A tick of a running level, about every 250 ms (the load driver's progress):
 * for progress bars only. It is not one of the run's events and is neither
 * streamed nor logged.
 */
export interface RunProgress {
  level: Level
  /** 0..1 of the level, counting the warm-up as `warmup_s`. */
  fraction: number
  phase: 'warmup' | 'measure'
  /** Responses per second over the last second (req/s). */
  perSecond: number
}

/** The event of a given `type`. */
export type EventOf<K extends LabEventType> = Extract<LabEvent, { type: K }>

type Listener<T> = (value: T) => void

/** Typed listeners of one run. */
export class RunEvents {
  private readonly byType = new Map<LabEventType, Set<Listener<LabEvent>>>()
  private readonly every = new Set<Listener<LabEvent>>()
  private readonly ticks = new Set<Listener<RunProgress>>()

  /**
   * Listens to one kind of event.
   * @returns a function that unsubscribes
   */
  on<K extends LabEventType>(type: K, listener: Listener<EventOf<K>>): () => void {
    let set = this.byType.get(type)
    if (!set) this.byType.set(type, (set = new Set()))
    const l = listener as Listener<LabEvent>
    set.add(l)
    return () => set.delete(l)
  }

  /**
   * Listens to every event, in the order they happen.
   * @returns a function that unsubscribes
   */
  onEvent(listener: Listener<LabEvent>): () => void {
    this.every.add(listener)
    return () => this.every.delete(listener)
  }

  /**
   * Listens to the progress ticks of running levels.
   * @returns a function that unsubscribes
   */
  onProgress(listener: Listener<RunProgress>): () => void {
    this.ticks.add(listener)
    return () => this.ticks.delete(listener)
  }

  /** Whether anyone listens to events of `type` (the engine asks the servers for live figures only then). */
  wants(type: LabEventType): boolean {
    return this.every.size > 0 || (this.byType.get(type)?.size ?? 0) > 0
  }

  /** Hands `event` to its listeners, then to the listeners of every event. */
  emit(event: LabEvent): void {
    for (const l of this.byType.get(event.type) ?? []) call(l, event)
    for (const l of this.every) call(l, event)
  }

  /** Hands a progress tick to its listeners. */
  progress(p: RunProgress): void {
    for (const l of this.ticks) call(l, p)
  }
}

function call<T>(listener: Listener<T>, value: T): void {
  try {
    listener(value)
  } catch {
    // a listener's failure must not end the run
  }
}
