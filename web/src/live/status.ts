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
      state.status === 'done' ? t('livePage.done') : state.status === 'stopped' ? t('livePage.stopped') : state.done?.code ? t('livePage.failedCode', { code: state.done.code }) : t('livePage.failed')
    const detail =
      state.status === 'failed' && state.done?.error
        ? state.done.error.split('\n')[0] ?? ''
        : `${t('livePage.measured', { done: doneCount, count: total })}${state.status === 'stopped' ? t('livePage.stoppedSaved') : ''}.`
    return { headline, detail, progress: doneCount / Math.max(1, total) }
  }
  const held = heldNow(state)
  if (held) {
    const measured = t('livePage.measured', { done: doneCount, count: total })
    const n = held.after + 1
    return held.reason === 'step'
      ? { headline: t('livePage.stepHeadline', { n, total }), detail: t('livePage.stepDetail', { measured }), progress: doneCount / Math.max(1, total) }
      : { headline: t('livePage.pausedHeadline', { n, total }), detail: t('livePage.pausedDetail', { measured }), progress: doneCount / Math.max(1, total) }
  }
  const cur = state.current !== null ? state.levels[state.current] : undefined
  if (!cur) return { headline: t('livePage.starting', { title: plan.scenario.title }), detail: t('livePage.startingDetail', { total, seconds: Math.round(plan.estimatedS) }), progress: doneCount / Math.max(1, total) }
  const last = state.samples.at(-1)
  const mine = last && last.level === cur.level.index ? last : undefined
  const perLevel = plan.load.warmup_s + plan.load.duration_s
  const within = mine ? Math.min(1, mine.t / Math.max(1, perLevel)) : 0
  const detail = mine
    ? t('livePage.sampleDetail', { phase: t(mine.warmup ? 'livePage.warmingUp' : 'livePage.measuring'), t: mine.t, rate: fmt(mine.perSecond, 0), p99: fmt(mine.p99Ms), errors: mine.errors ? t('livePage.sampleErrors', { n: mine.errors }) : '' })
    : t('livePage.startingLoad')
  return {
    headline: t('livePage.levelHeadline', { n: cur.level.index + 1, total, label: runLabel(cur.level) }),
    detail,
    progress: (doneCount + within) / Math.max(1, total),
  }
}
