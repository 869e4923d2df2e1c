/**
 * The live page's event stream, drawn at most once a frame: envelopes are
 * batched until the next animation frame (a timer when the tab is hidden),
 * folded into the state, drawn, and each live sample's trip from measurement
 * to screen is recorded in `window.labLive.timings`.
 */
import type { Envelope } from '../../../lab/core/events.js'
import { initialState, reduce, type LiveState } from '../live/state.js'
import { fmt } from '../report/format.js'
import { followEvents } from './api.js'
import { t } from '../../../lab/core/i18n.js'

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

/** Epoch ms on the same clock as the lab's `at` (lab/core/events.ts). */
const nowMs = (): number => performance.timeOrigin + performance.now()

/** History replayed to a late browser is old news: only samples that arrive within this many ms of their second are timed. */
const LIVE_WITHIN_MS = 5000

/** What the stream calls back with. */
export interface StreamHandlers {
  /** The state after a batch of events, to draw; `before` is the state the batch started from. */
  draw: (state: LiveState, before: LiveState) => void
  /** Connected (true) or reconnecting (false). */
  connection: (open: boolean) => void
  /** One line on how late samples reach the screen ('' before any). */
  timing: (text: string) => void
}

/**
 * Follows the demo's events and draws them.
 * @returns the current state, whenever asked
 */
export function streamLive(handlers: StreamHandlers): () => LiveState {
  window.labLive = { timings: [] }
  const timings = window.labLive.timings
  let state = initialState()
  let pending: Array<{ env: Envelope; received: number }> = []
  let frame = 0
  const flush = (): void => {
    frame = 0
    const batch = pending
    pending = []
    const before = state
    for (const { env } of batch) state = reduce(state, env)
    handlers.draw(state, before)
    const drawn = nowMs()
    for (const { env, received } of batch) {
      if (env.event.type === 'sample' && received - env.event.at < LIVE_WITHIN_MS) timings.push({ run: env.run, seq: env.seq, at: env.event.at, received, drawn })
    }
    const recent = timings.slice(-30).map((t) => t.drawn - t.at).sort((a, b) => a - b)
    const median = recent[Math.floor(recent.length / 2)]
    handlers.timing(median === undefined ? '' : t('livePage.timing', { ms: fmt(median, 0), n: recent.length }))
  }
  followEvents((env) => {
    pending.push({ env, received: nowMs() })
    if (!frame) frame = document.hidden ? window.setTimeout(flush, 0) : window.requestAnimationFrame(flush)
  }, handlers.connection)
  return () => state
}
