/**
 * How long a level must be measured for its numbers to mean something
 * (issue 11, "The window measures what was asked, long enough to mean it").
 * Before a level: {@link chooseWindow} sizes the window from the model's
 * prediction; after it: {@link windowShortfalls} checks what was measured.
 *
 * In a closed loop with no think time Little's law makes completions per
 * connection = X · T / N = T / R, so the latency rule and the completions
 * rule agree when the prediction holds; they part where attempts go
 * unanswered (hangs, crashes: fewer completions than cycles) or the
 * measurement strays from the model, which is why both are kept.
 *
 * Pure: no I/O.
 */
import { num } from './format-number.js'
import { t, type MessageKey } from './i18n.js'
import type { Lang } from './i18n-lang.js'

/** A sentence of lab/i18n/en/model.ts in English, as the results document keeps it (lab/core/reword.ts re-words it for the reader). */
const en = (key: Extract<MessageKey, `model.${string}`>, vars: Record<string, string | number> = {}) => t(key, vars, 'en')

/**
 * The rules, as numbers to tune against measurement (docs/measurement.md).
 * Starting values from issue 11: a cycle seen only once or twice per
 * connection is mostly warm-up and end effects; 2 whole seconds are the
 * fewest that give a spread; 20 expected crashes or hangs, each a lump of
 * lost worker time, are as few as a mean over them tolerates (the servers
 * space faults evenly, docs/workload-contract.md, so the count itself does
 * not vary as a Poisson count's 1/√20 ≈ 22 % would).
 */
export const WINDOW_RULES = {
  /** The window holds at least this many predicted mean latencies. */
  latencyMultiple: 5,
  /** Each connection completes at least this many responses in the window. */
  completionsPerConnection: 5,
  /** The window holds at least this many whole seconds (the per-second samples). */
  minWholeSeconds: 2,
  /** A scenario with crashes or hangs expects at least this many of them in the window; a mix, as many of its rarest kind. */
  rareEvents: 20,
  /**
   * Before a level the lab sizes its window from the prediction with this
   * headroom (the `margin` of {@link WindowPlan}): on the project's shared
   * 2-core machine, levels ran up to about 20 % slower than the calibrated
   * prediction (other processes take CPU), and a window sized to the
   * prediction alone then failed the rules it was sized for.
   */
  planMargin: 1.25,
} as const

/** What the lab knows before measuring a level. */
export interface WindowPlan {
  /** Seconds the scenario asks for (`load.duration_s`, or the quick value). */
  durationS: number
  connections: number
  /** The model's mean latency, ms; absent or not finite when it cannot say. */
  predictedMeanMs?: number
  /** The model's answered throughput, req/s; absent or not finite when it cannot say. */
  predictedPerSecond?: number
  /** Percent of requests that crash or hang (`crash_pct + hang_pct`); absent or 0 without faults. */
  eventPct?: number
  /** Percent of a mix's requests that are of its rarest kind ({@link rarestKindPct}); absent without a mix. */
  rareKindPct?: number
  /** The longest window the lab will measure, s. */
  capS: number
  /**
   * Headroom on the rules that rest on the prediction (latency, completions,
   * rare events): each needs `margin` × its seconds; default 1 (none). The lab
   * passes {@link WINDOW_RULES}.planMargin.
   */
  margin?: number
}

/** The rule that needed the longest window. */
export type WindowRule = 'asked' | 'whole-seconds' | 'latency' | 'completions' | 'rare-events' | 'rare-kind'

/** The window to measure and why. */
export interface WindowChoice {
  /** `as-asked`: the scenario's duration suffices; `extended`: longer, up to the cap; `too-short`: the cap is not enough to trust the level. */
  verdict: 'as-asked' | 'extended' | 'too-short'
  /** Seconds to measure. */
  durationS: number
  /** Seconds the rules need. */
  neededS: number
  rule: WindowRule
  /** One sentence for the run's output and report. */
  message: string
}

/** Percent of a workload's requests that crash or hang (`crash_pct + hang_pct`): the rare events a window must hold enough of. */
export function eventPct(w: { crash_pct?: number; hang_pct?: number }): number {
  return (w.crash_pct ?? 0) + (w.hang_pct ?? 0)
}

/**
 * The share of a mix's requests that are of its rarest kind, percent
 * (weights as lab/core/mix.ts reads them); undefined without a mix of two or
 * more kinds sent by every connection. A rare slow kind sets the level's
 * throughput as much as a crash does: on load-balancing's 9 : 1 mix, 2 s
 * held about 15 of the 500 ms requests, and round-robin's req/s read 73 to
 * 92 from run to run against 75 predicted.
 */
export function rarestKindPct(w: { mix?: ReadonlyArray<{ weight: number }>; mix_split?: 'requests' | 'connections' }): number | undefined {
  if (!w.mix || w.mix.length < 2 || w.mix_split === 'connections') return undefined
  const total = w.mix.reduce((a, e) => a + e.weight, 0)
  return total > 0 ? (100 * Math.min(...w.mix.map((e) => e.weight))) / total : undefined
}

/**
 * Seconds to expect `events` rare events (crashes, hangs) at `pct` % of
 * `attemptsPerSecond`: events / (rate · pct / 100).
 * @returns Infinity when no event is expected (pct or rate 0)
 */
export function rareEventWindowS(attemptsPerSecond: number, pct: number, events: number = WINDOW_RULES.rareEvents): number {
  const rate = (attemptsPerSecond * pct) / 100
  return rate > 0 ? events / rate : Infinity
}

/**
 * Seconds each rule needs, the longest first. Rules with no finite,
 * positive prediction behind them are left out: a model that predicts
 * 0 req/s (every worker held) is sized by whole seconds only.
 */
export function windowNeeds(plan: WindowPlan): Array<{ rule: WindowRule; seconds: number }> {
  const needs: Array<{ rule: WindowRule; seconds: number }> = [{ rule: 'whole-seconds', seconds: WINDOW_RULES.minWholeSeconds }]
  const k = plan.margin ?? 1
  const r = plan.predictedMeanMs
  if (r !== undefined && Number.isFinite(r) && r > 0) needs.push({ rule: 'latency', seconds: (k * WINDOW_RULES.latencyMultiple * r) / 1000 })
  const x = plan.predictedPerSecond
  // a prediction of 0 req/s (every worker held) is the lesson: no window holds a completion, so none is sized for one
  if (x !== undefined && Number.isFinite(x) && x > 0) {
    needs.push({ rule: 'completions', seconds: (k * WINDOW_RULES.completionsPerConnection * plan.connections) / x })
    const pct = plan.eventPct ?? 0
    // the prediction counts answered requests; the faults are a share of all attempts
    if (pct > 0 && pct < 100) needs.push({ rule: 'rare-events', seconds: k * rareEventWindowS(x / (1 - pct / 100), pct) })
    const kind = plan.rareKindPct ?? 0
    if (kind > 0 && kind < 100) needs.push({ rule: 'rare-kind', seconds: k * rareEventWindowS(x, kind) })
  }
  return needs.sort((a, b) => b.seconds - a.seconds)
}

/**
 * The duration to measure a level for: the scenario's own when it meets
 * every rule in {@link WINDOW_RULES}; else the whole seconds the rules need,
 * when that is within `capS`; else the cap, marked too short to trust.
 * @throws RangeError when durationS or capS is not positive, or connections < 1
 */
export function chooseWindow(plan: WindowPlan): WindowChoice {
  if (!(plan.durationS > 0) || !(plan.capS > 0) || !(plan.connections >= 1)) throw new RangeError('durationS and capS must be > 0 and connections ≥ 1')
  const [top] = windowNeeds(plan) as [{ rule: WindowRule; seconds: number }]
  const asked = plan.durationS
  if (asked >= top.seconds) {
    return { verdict: 'as-asked', durationS: asked, neededS: top.seconds, rule: 'asked', message: en('model.asAsked', { asked }) }
  }
  const whole = Math.ceil(top.seconds - 1e-9)
  const why = reason(top.rule, plan, top.seconds)
  if (whole <= plan.capS) {
    return { verdict: 'extended', durationS: whole, neededS: top.seconds, rule: top.rule, message: en('model.extended', { whole, asked, why }) }
  }
  const durationS = Math.max(asked, plan.capS)
  return {
    verdict: 'too-short',
    durationS,
    neededS: top.seconds,
    rule: top.rule,
    message: en('model.tooShort', { why, seconds: durationS }),
  }
}

function reason(rule: WindowRule, plan: WindowPlan, seconds: number): string {
  const { latencyMultiple, completionsPerConnection, minWholeSeconds, rareEvents } = WINDOW_RULES
  const k = plan.margin ?? 1
  const took = k === 1 ? en('model.seconds', { seconds: seconds.toFixed(1) }) : en('model.headroom', { base: (seconds / k).toFixed(1), pct: ((k - 1) * 100).toFixed(0), seconds: seconds.toFixed(1) })
  switch (rule) {
    case 'latency':
      return en('model.latency', { multiple: latencyMultiple, ms: (plan.predictedMeanMs ?? 0).toFixed(0), took })
    case 'completions':
      return en('model.completions', { per: completionsPerConnection, connections: plan.connections, rate: (plan.predictedPerSecond ?? 0).toFixed(1), took })
    case 'rare-events':
      return en('model.rareEvents', { events: rareEvents, pct: plan.eventPct ?? 0, took })
    case 'rare-kind':
      return en('model.rareKind', { events: rareEvents, pct: (plan.rareKindPct ?? 0).toFixed(0), took })
    default:
      return en('model.wholeSeconds', { min: minWholeSeconds })
  }
}

/** What a measured level holds. */
export interface MeasuredFacts {
  /** Seconds the window lasted. */
  measuredS: number
  connections: number
  /** Responses completed in the window (any status). */
  responses: number
  /** Measured mean latency, ms; null when nothing completed. */
  meanMs: number | null
  /** The model's mean latency, ms, when there was one. */
  predictedMeanMs?: number
  /** Percent of requests that crash or hang, as in {@link WindowPlan}. */
  eventPct?: number
  /** Percent of a mix's requests of its rarest kind, as in {@link WindowPlan}. */
  rareKindPct?: number
}

/** One rule a measured window broke: what it needed and what it held. */
export interface Shortfall {
  rule: Exclude<WindowRule, 'asked'>
  needed: number
  got: number
  message: string
}

/**
 * The rules a measured window broke; empty when the level is long enough
 * to trust. The latency rule uses the longer of the measured and the
 * predicted mean latency; the rare-event rule counts the events expected
 * among the attempts, responses / (1 − pct) · pct.
 * @param lang - the messages' language (lab/i18n/en/warnings.ts; default English)
 */
export function windowShortfalls(m: MeasuredFacts, lang: Lang = 'en'): Shortfall[] {
  const out: Shortfall[] = []
  const { latencyMultiple, completionsPerConnection, minWholeSeconds, rareEvents } = WINDOW_RULES
  const whole = Math.floor(m.measuredS + 1e-6)
  if (whole < minWholeSeconds) out.push({ rule: 'whole-seconds', needed: minWholeSeconds, got: whole, message: t('warningText.wholeSeconds', { count: whole, min: minWholeSeconds }, lang) })
  const latencies = [m.meanMs, m.predictedMeanMs].filter((x): x is number => x !== null && x !== undefined && Number.isFinite(x))
  if (latencies.length) {
    const r = Math.max(...latencies)
    const got = (m.measuredS * 1000) / r
    if (got < latencyMultiple) out.push({ rule: 'latency', needed: latencyMultiple, got, message: t('warningText.latencies', { got: num(got, 1, lang), ms: num(r, 0, lang), min: latencyMultiple }, lang) })
  }
  const perConnection = m.responses / m.connections
  if (perConnection < completionsPerConnection) {
    out.push({ rule: 'completions', needed: completionsPerConnection, got: perConnection, message: t('warningText.completions', { got: num(perConnection, 1, lang), min: completionsPerConnection }, lang) })
  }
  const pct = m.eventPct ?? 0
  if (pct > 0 && pct < 100) {
    const expected = (m.responses / (1 - pct / 100)) * (pct / 100)
    if (expected < rareEvents) out.push({ rule: 'rare-events', needed: rareEvents, got: expected, message: t('warningText.rareEvents', { got: num(expected, 1, lang), min: rareEvents }, lang) })
  }
  const kind = m.rareKindPct ?? 0
  if (kind > 0 && kind < 100) {
    const expected = (m.responses * kind) / 100
    if (expected < rareEvents) out.push({ rule: 'rare-kind', needed: rareEvents, got: expected, message: t('warningText.rareKind', { got: num(expected, 1, lang), min: rareEvents }, lang) })
  }
  return out
}
