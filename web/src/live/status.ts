/**
 * The live page's status line: what is running and how far along the run is. Pure.
 */
import { runLabel } from '../../../lab/core/labels.js'
import { fmt } from '../report/format.js'
import { heldNow, type LiveState } from './state.js'
import { t } from '../../../lab/core/i18n.js'

/** The status line: what is running and how far along the run is. */
export interface StatusLine {
  headline: string
  detail: string
  /** 0..1 of the levels done (the running one counted by its seconds). */
  progress: number
}

/** What the status line says for a state. */
export function statusLine(state: LiveState): StatusLine {
  const plan = state.plan
  if (!plan) return { headline: t('live.ready'), detail: t('live.readyDetail'), progress: 0 }
  const total = plan.levels.length
  const doneCount = state.levels.filter((l) => l.state === 'done').length
  if (state.status !== 'running') {
    const headline =
      state.status === 'done' ? 'Done' : state.status === 'stopped' ? 'Stopped' : `Failed${state.done?.code ? ` (code ${state.done.code})` : ''}`
    const detail =
      state.status === 'failed' && state.done?.error
        ? state.done.error.split('\n')[0] ?? ''
        : `${doneCount} of ${total} level${total === 1 ? '' : 's'} measured${state.status === 'stopped' ? ' before it was stopped; what was measured is saved' : ''}.`
    return { headline, detail, progress: doneCount / Math.max(1, total) }
  }
  const held = heldNow(state)
  if (held) {
    const measured = `${doneCount} of ${total} level${total === 1 ? '' : 's'} measured`
    return held.reason === 'step'
      ? { headline: `Step: level ${held.after + 1} of ${total} done`, detail: `${measured}; the next level starts when the teacher presses Next.`, progress: doneCount / Math.max(1, total) }
      : { headline: `Paused after level ${held.after + 1} of ${total}`, detail: `${measured}; no load runs while paused, and the paused time is in no window. Resume goes on.`, progress: doneCount / Math.max(1, total) }
  }
  const cur = state.current !== null ? state.levels[state.current] : undefined
  if (!cur) return { headline: `Starting ${plan.scenario.title}`, detail: `${total} levels, about ${Math.round(plan.estimatedS)} s`, progress: doneCount / Math.max(1, total) }
  const last = state.samples.at(-1)
  const mine = last && last.level === cur.level.index ? last : undefined
  const perLevel = plan.load.warmup_s + plan.load.duration_s
  const within = mine ? Math.min(1, mine.t / Math.max(1, perLevel)) : 0
  const detail = mine
    ? `${mine.warmup ? 'warming up' : 'measuring'}, second ${mine.t}: ${fmt(mine.perSecond, 0)} req/s, p99 ${fmt(mine.p99Ms)} ms${mine.errors ? `, ${mine.errors} errors` : ''}`
    : 'starting the load…'
  return {
    headline: `Level ${cur.level.index + 1} of ${total}: ${runLabel(cur.level)}`,
    detail,
    progress: (doneCount + within) / Math.max(1, total),
  }
}
