/**
 * "Predict, then look": for a scenario that declares a lesson, one question
 * per side it compares, in the lesson's metric (./predict-lesson.ts); else,
 * for every workload at its highest connection count, one question per
 * topology (how many answered req/s?). The student types a number,
 * then reveals what was measured, what the queueing model predicted, and how
 * far each guess was off. Pure: the page's DOM and localStorage live in
 * `predict-view.ts`.
 */
import { describeWorkload } from '../../../lab/core/format-notes.js'
import { t as tr } from '../../../lab/core/i18n.js'
import type { ResultsDocument } from '../../../lab/core/results.js'
import { Context } from './context.js'
import { documentLabel, fmt, slug } from './format.js'
import { lessonGroup } from './predict-lesson.js'

export type { PredictAnswer, PredictGroup, PredictItem } from './predict-types.js'
import type { PredictAnswer, PredictGroup, PredictItem } from './predict-types.js'

/** Where the student's guesses are kept: `app-server-lab:predict:<scenario>:<topology>:<workload>`. */
export function storageKey(scenario: string, topology: string, workload: string): string {
  return `app-server-lab:predict:${scenario}:${topology}:${workload}`
}

type Definition = {
  topologies?: Record<string, { server?: { model?: string; workers?: number; threads?: number }; proxy?: unknown; upstreams?: number }>
  workloads?: Record<string, Record<string, unknown>>
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)

/** `4 pre-forked workers`, `one event loop`, `… behind a proxy`, from a topology's definition. */
export function describeTopology(def: unknown): string {
  const t = (def ?? {}) as NonNullable<Definition['topologies']>[string]
  const model = t.server?.model
  const workers = num(t.server?.workers) ?? 4
  const threads = num(t.server?.threads) ?? 1
  const base =
    model === 'prefork'
      ? `${tr('describe.workers', { count: workers })}${threads > 1 ? tr('describe.threads', { threads }) : ''}`
      : model === 'event-loop'
        ? tr('describe.eventLoop')
        : ''
  const copies = num(t.upstreams) ?? 1
  const behind = t.proxy ? `${base ? ', ' : ''}${copies > 1 ? tr('describe.copiesBehindProxy', { copies }) : tr('describe.behindProxy')}` : ''
  return base + behind
}

/** `50 ms wait + 0 ms CPU per request, 5 % hang`, from a workload's definition (lab/core/format-notes.ts). */
export function describeWork(def: unknown): string {
  return describeWorkload((def ?? {}) as Record<string, unknown>, { bytes: false })
}

/** The questions, grouped by scenario and workload, in the order the runs came. */
export function predictGroups(docs: ResultsDocument[]): PredictGroup[] {
  const ctx = new Context(docs)
  const groups: PredictGroup[] = []
  const scenarios = [...new Set(docs.map((d) => d.scenario.name))]
  for (const scenario of scenarios) {
    const mine = docs.map((d, i) => ({ d, i })).filter(({ d }) => d.scenario.name === scenario)
    const def = (mine[0]?.d.scenario.definition ?? {}) as Definition
    const lesson = lessonGroup(scenario, mine, ctx, { topology: describeTopology, work: describeWork })
    if (lesson) {
      groups.push(lesson)
      continue
    }
    const workloads = [...new Set(mine.flatMap(({ d }) => d.runs.map((r) => r.workload)))]
    for (const workload of workloads) {
      const top = Math.max(...mine.flatMap(({ d }) => d.runs.filter((r) => r.workload === workload).map((r) => r.connections)))
      const topologies = [...new Set(mine.flatMap(({ d }) => d.runs.filter((r) => r.workload === workload).map((r) => r.topology)))]
      const items = topologies.flatMap((topology): PredictItem[] => {
        const answers = mine.flatMap(({ d, i }): PredictAnswer[] => {
          const level = ctx.levels({ doc: i, topology }, workload).find((l) => l.connections === top)
          if (!level) return []
          return [{ doc: ctx.multi ? documentLabel(d) : '', measured: level.answered, theory: level.textbook?.perSecond ?? null, ...(level.thisMachine ? { machine: level.thisMachine.perSecond } : {}) }]
        })
        if (answers.length === 0) return []
        return [
          {
            key: storageKey(scenario, topology, workload),
            id: `lab-predict-${slug(scenario)}-${slug(workload)}-${slug(topology)}`,
            scenario,
            workload,
            topology,
            connections: top,
            topologyText: describeTopology(def.topologies?.[topology]),
            workloadText: describeWork(def.workloads?.[workload]),
            answers,
          },
        ]
      })
      if (items.length) groups.push({ scenario, workload, connections: top, workloadText: describeWork(def.workloads?.[workload]), items })
    }
  }
  return groups
}

/**
 * How far a prediction is from the measurement, in percent of the
 * measurement: + too high, − too low. When nothing was measured (0 req/s), a
 * guess of 0 is exact (0) and any other has no percentage (null).
 */
export function percentOff(predicted: number, measured: number): number | null {
  if (measured === 0) return predicted === 0 ? 0 : null
  return ((predicted - measured) / measured) * 100
}

/** `26.6 % too high`, `12.0 % too low`, `exact` (under 0.05 %), or why there is no percentage. */
export function describeOff(pct: number | null): string {
  if (pct === null) return tr('describe.noPercentage')
  if (Math.abs(pct) < 0.05) return tr('describe.exact')
  return tr(pct > 0 ? 'describe.tooHigh' : 'describe.tooLow', { pct: fmt(Math.abs(pct)) })
}

/** A guess as typed: a finite number ≥ 0, else null (empty or not a number). */
export function parseGuess(text: string): number | null {
  const t = text.trim().replace(',', '.')
  if (t === '') return null
  const n = Number(t)
  return Number.isFinite(n) && n >= 0 ? n : null
}

/** A number of req/s as the answer shows it: one decimal below 100, none above. */
export function fmtRate(n: number): string {
  return fmt(n, Math.abs(n) >= 100 ? 0 : 1)
}

/**
 * The revealed answer of one document: rows `[who, req/s, off]` for the
 * measurement, the model and the student's guess (null: no guess made).
 */
export function revealRows(answer: PredictAnswer, guess: number | null): [string, string, string][] {
  const model = tr('describe.queueingModel')
  const yours = tr('describe.yourPrediction')
  const rows: [string, string, string][] = [[tr('describe.measured'), fmtRate(answer.measured), '']]
  rows.push(answer.theory === null ? [model, '–', tr('describe.noPrediction')] : [model, fmtRate(answer.theory), describeOff(percentOff(answer.theory, answer.measured))])
  if (answer.machine !== undefined) rows.push([tr('describe.machineModel'), fmtRate(answer.machine), describeOff(percentOff(answer.machine, answer.measured))])
  rows.push(guess === null ? [yours, '–', tr('describe.noneMade')] : [yours, fmtRate(guess), describeOff(percentOff(guess, answer.measured))])
  return rows
}
