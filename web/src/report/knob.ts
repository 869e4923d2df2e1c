/**
 * The throughput chart of a scenario that turns one knob: when its
 * topologies differ in exactly one numeric server field (worker-sweep's
 * `server.workers` 1…16) and its runs of a workload share one level, answered
 * req/s is drawn against that field, with the queueing model's lines, so the
 * knee shows. Pure.
 */
import type { ResultsDocument } from '../../../lab/core/results.js'
import { Context, type Identity, type Level } from './context.js'
import { PALETTE, fmt, slug, uniq } from './format.js'
import { MACHINE, MACHINE_CAPTION, THEORY, THEORY_CAPTION, measuredOver, ratioAt } from './theory.js'
import type { LineChartModel, LineSeries, Point } from './types.js'
import { t } from '../../../lab/core/i18n.js'

/** The one numeric server field the topologies differ in (`workers`), and each series identity's value of it. */
export interface Knob {
  /** The field's name under `server` (docs/scenario-format.md), e.g. `workers`, `threads`. */
  field: string
  /** The identities that ran the workload, each with its value of the field. */
  values: { id: Identity; value: number }[]
}

/** A topology's definition flattened to dotted paths: `{ server: { workers: 4 } }` → `server.workers` = 4. */
function flatten(value: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) for (const [p, s] of flatten(v, `${prefix}${k}.`)) out.set(p, s)
  } else out.set(prefix.slice(0, -1), JSON.stringify(value))
  return out
}

/** A topology's definition in a document's scenario, or undefined when the document does not hold it. */
function topologyOf(doc: ResultsDocument | undefined, id: string): unknown {
  const definition = doc?.scenario.definition as { topologies?: Record<string, unknown> } | undefined
  return definition?.topologies?.[id]
}

/**
 * The knob of a workload's runs: the runs share one connection count, and
 * the topologies that ran it (in every document) differ in exactly one
 * field of their definitions, a number under `server`. Null otherwise (a
 * ladder of levels, a proxy or model that differs too, or documents without
 * their scenario's topologies).
 */
export function scenarioKnob(docs: ResultsDocument[], workload: string): Knob | null {
  const ctx = new Context(docs)
  if (ctx.connections(workload).length !== 1) return null
  const ids = ctx.identities().filter((id) => ctx.levels(id, workload).length > 0)
  const defs = ids.map((id) => flatten(topologyOf(docs[id.doc], id.topology)))
  if (ids.length < 2 || defs.some((d) => d.size === 0 || d.has(''))) return null
  const paths = uniq(defs.flatMap((d) => [...d.keys()]))
  const differing = paths.filter((p) => new Set(defs.map((d) => d.get(p))).size > 1)
  const path = differing[0]
  if (differing.length !== 1 || !path?.startsWith('server.') || path.split('.').length !== 2) return null
  const values = defs.map((d) => Number(d.get(path)))
  if (values.some((v) => !Number.isFinite(v))) return null
  return { field: path.slice('server.'.length), values: ids.map((id, i) => ({ id, value: values[i] ?? 0 })) }
}

/**
 * Answered req/s against the knob's value, a line per document, with the
 * textbook (dashed) and this machine's (dotted) predictions as lines where
 * the runs carry them; the table has a row per value with measured ÷ predicted.
 */
export function knobChart(docs: ResultsDocument[], workload: string, knob: Knob): LineChartModel {
  const ctx = new Context(docs)
  const connections = ctx.connections(workload)[0] ?? 0
  const series: LineSeries[] = []
  const xs = uniq(knob.values.map((v) => v.value)).sort((a, b) => a - b)
  const columns: string[] = [knob.field, t('report.axisTopology')]
  const cells: ((x: number) => string)[] = [(x) => uniq(knob.values.filter((v) => v.value === x).map((v) => v.id.topology)).join(', ')]
  for (const doc of uniq(knob.values.map((v) => v.id.doc))) {
    const levels = knob.values
      .filter((v) => v.id.doc === doc)
      .flatMap(({ id, value }) => ctx.levels(id, workload).map((level) => ({ x: value, level })))
      .sort((a, b) => a.x - b.x)
    const at = (x: number): Level | undefined => levels.find((l) => l.x === x)?.level
    const points = (f: (l: Level) => number | undefined): Point[] => levels.flatMap(({ x, level }) => (f(level) === undefined ? [] : [{ x, y: f(level) ?? 0 }]))
    const prefix = ctx.multi ? `${ctx.docLabel(doc)} ` : ''
    const base = { color: PALETTE[doc % PALETTE.length] ?? PALETTE[0], axis: 'y' as const, marker: 'circle' as const }
    series.push({ ...base, label: ctx.multi ? ctx.docLabel(doc) : t('report.answered'), style: 'line', points: points((l) => l.answered) })
    columns.push(t('charts.answered', { label: prefix }))
    cells.push((x) => fmt(at(x)?.answered, 1))
    if (levels.some(({ level }) => level.answered < level.perSecond)) {
      columns.push(t('charts.allResponses', { label: prefix }))
      cells.push((x) => fmt(at(x)?.perSecond, 1))
    }
    const theory = points((l) => l.textbook?.perSecond)
    const machine = points((l) => l.thisMachine?.perSecond)
    if (theory.length) {
      series.push({ ...base, label: `${prefix}${THEORY()}`, style: 'theory', points: theory })
      columns.push(t('charts.theoryCol', { label: prefix }))
      cells.push((x) => fmt(at(x)?.textbook?.perSecond, 1))
    }
    if (machine.length) {
      series.push({ ...base, label: `${prefix}${MACHINE()}`, style: 'machine', points: machine })
      columns.push(t('charts.machineCol', { label: prefix }))
      cells.push((x) => fmt(at(x)?.thisMachine?.perSecond, 1))
    }
    if (theory.length || machine.length) {
      columns.push(measuredOver(prefix, machine.length > 0))
      cells.push((x) => fmt(ratioAt(at(x), (l) => l.answered, (p) => p.perSecond), 2))
    }
  }
  const theory = series.some((s) => s.style === 'theory')
  const machine = series.some((s) => s.style === 'machine')
  return {
    kind: 'line',
    id: `lab-throughput-${slug(workload)}-by-${slug(knob.field)}`,
    title: t('report.throughputOf', { workload }),
    caption: `${t('report.knobCaption', { knob: knob.field, connections })}${theory ? THEORY_CAPTION() : ''}${machine ? MACHINE_CAPTION() : ''}`,
    x: { title: t('report.axisKnob', { knob: knob.field }), type: 'linear', min: 0, ticks: xs },
    y: { title: t('report.axisAnswered'), type: 'linear', min: 0 },
    series,
    bands: [],
    table: { columns, rows: xs.map((x) => [String(x), ...cells.map((c) => c(x))]) },
  }
}
