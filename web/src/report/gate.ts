/**
 * "Predict, then look" as a gate: until the student has revealed every
 * prediction (or pressed "Show all"), the report shows the measurements but
 * not what would give the answers away — no verdicts, no queueing-model lines
 * or columns (textbook and this machine), and no instructor key (the notes).
 * Pure: the view-model in, the gated view-model out.
 */
import { t } from '../../../lab/core/i18n.js'
import { LANGS } from '../../../lab/core/i18n-lang.js'
import type { ChartModel, ReportModel, Section, Table } from './types.js'

/** The words naming the model in every language (lab/i18n/\*\/charts.ts): `theory`, `this machine`, `teoria`, `эта машина`… */
const modelWords = (): string[] => LANGS.flatMap((lang) => [t('charts.theory', {}, lang), t('charts.thisMachine', {}, lang)].map((w) => w.toLowerCase()))

/** A table column or legend that states the model's answer: `theory`, `this machine`, `measured ÷ theory`, in any language. */
export function isTheory(title: string): boolean {
  const lower = title.toLowerCase()
  return /\btheory\b|\bthis machine\b|\(queueing model\)|\(calibrated model\)/i.test(title) || modelWords().some((w) => lower.includes(w))
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** The caption's sentences about the model's lines or markers (`charts.dashed`, `charts.dotted`, `report.singleLevelModel` in each language), cut off (they come last). */
function withoutTheoryCaption(caption: string): string {
  const heads = LANGS.flatMap((lang) => [t('charts.dashed', {}, lang), t('charts.dotted', {}, lang)])
  return caption.replace(new RegExp(` (${[...heads.map(escape), 'Model', 'Modelo', 'Модель'].join('|')}): .*$`, 's'), '')
}

/** The table without the model's columns. */
export function gateTable(t: Table): Table {
  const keep = t.columns.map((c, i) => (i === 0 || !isTheory(c) ? i : -1)).filter((i) => i >= 0)
  return { columns: keep.map((i) => t.columns[i] as string), rows: t.rows.map((r) => keep.map((i) => r[i] ?? '')) }
}

function gateChart(c: ChartModel): ChartModel {
  const table = gateTable(c.table)
  const caption = withoutTheoryCaption(c.caption)
  if (c.kind === 'bar') return { ...c, caption, table, series: c.series.filter((s) => !isTheory(s.label)) }
  const models = LANGS.flatMap((lang) => [t('charts.theoryModel', {}, lang), t('charts.machineModel', {}, lang)])
  return { ...c, caption, table, series: c.series.filter((s) => !models.some((m) => s.label.includes(m))) }
}

function gateSection(s: Section): Section {
  return { ...s, charts: s.charts.map(gateChart), ...(s.tables ? { tables: s.tables.map((t) => ({ ...t, table: gateTable(t.table) })) } : {}) }
}

/** The report as a student sees it before revealing: no verdicts, no model lines or columns. */
export function gateReport(model: ReportModel): ReportModel {
  return { ...model, verdicts: [], lessons: [], sections: model.sections.map(gateSection) }
}
