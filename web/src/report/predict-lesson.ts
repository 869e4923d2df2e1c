/**
 * "Predict, then look" on the scenario's lesson: one question per side the
 * lesson compares (lab/core/lesson.ts), asked in the lesson's metric and
 * unit (the `/health` probe's p99 in ms, pages/s, answered 2xx req/s…), so a
 * guess is scored against what the lesson is about, never against every
 * response (503s and static files included). Pure.
 */
import { lessonReadings, metricName, metricUnit } from '../../../lab/core/lesson-verdict.js'
import { lessonOf, lessonSides } from '../../../lab/core/lesson.js'
import type { ResultsDocument } from '../../../lab/core/results.js'
import { Context } from './context.js'
import { documentLabel, slug } from './format.js'
import type { PredictAnswer, PredictGroup, PredictItem } from './predict-types.js'

type Definition = { lesson?: unknown; topologies?: Record<string, unknown>; workloads?: Record<string, unknown> }

/**
 * The lesson's question group of one scenario's documents, or null when its
 * definition declares no lesson or no compared side was measured.
 * @param mine - the scenario's documents with their indexes among all documents
 * @param describe - how a topology and a workload are described (predict.ts)
 */
export function lessonGroup(
  scenario: string,
  mine: readonly { d: ResultsDocument; i: number }[],
  ctx: Context,
  describe: { topology: (def: unknown) => string; work: (def: unknown) => string },
): PredictGroup | null {
  const def = (mine[0]?.d.scenario.definition ?? {}) as Definition
  const lesson = lessonOf(def)
  if (!lesson) return null
  const across = lessonSides(lesson).across
  const unit = metricUnit(lesson.metric)
  const readings = mine.map(({ d, i }) => ({ d, i, sides: lessonReadings(d, lesson) }))
  const first = readings.flatMap((r) => r.sides).find((s) => s.runs.length > 0)
  if (!first) return null
  const on = first.on ?? ''
  const items = lessonSides(lesson).ids.flatMap((id, k): PredictItem[] => {
    const answers = readings.flatMap(({ d, i, sides }): PredictAnswer[] => {
      const side = sides[k]
      const run = side?.runs[0]
      if (!side || !run || 'why' in side.value) return []
      const topology = across === 'topologies' ? id : run.topology
      const level = lesson.metric === 'answered' && !run.openLoop ? ctx.levels({ doc: i, topology }, run.workload).find((l) => l.connections === run.connections) : undefined
      return [{ doc: ctx.multi ? documentLabel(d) : '', measured: side.value.mean, theory: level?.textbook?.perSecond ?? null, ...(level?.thisMachine ? { machine: level.thisMachine.perSecond } : {}) }]
    })
    const run = readings.flatMap((r) => r.sides[k]?.runs ?? [])[0]
    if (answers.length === 0 || !run) return []
    const [topology, workload] = across === 'topologies' ? [id, on] : [on, id]
    return [
      {
        key: `app-server-lab:predict:${scenario}:${topology}:${workload}:${lesson.metric}${lesson.kind ? `:${lesson.kind}` : ''}`,
        id: `lab-predict-${slug(scenario)}-${slug(workload)}-${slug(topology)}`,
        scenario,
        workload,
        topology,
        connections: run.connections,
        title: id,
        unit,
        topologyText: across === 'topologies' ? describe.topology(def.topologies?.[id]) : describe.work(def.workloads?.[id]),
        workloadText: describe.work(def.workloads?.[workload]),
        answers,
      },
    ]
  })
  if (items.length === 0) return null
  const level = first.level
  return { scenario, workload: on, connections: first.runs[0]?.connections ?? 0, workloadText: across === 'topologies' ? describe.work(def.workloads?.[on]) : describe.topology(def.topologies?.[on]), heading: `${on} ${level}: ${metricName(lesson)} (${unit})`, items }
}
