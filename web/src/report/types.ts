/**
 * The shapes of the report's view-model: results documents go in (see
 * `build.ts`), chart models, sections, verdicts and tables come out. The
 * report page and the live page draw the same shapes, so a chart model means
 * the same on both. No logic here.
 *
 * Units follow the results document (docs/results-schema.md): `perSecond`
 * req/s, `Ms` milliseconds, `Percent` percent of one core, `Bytes` bytes.
 */
import type { CheckVerdict } from '../../../lab/core/exercise.js'
import type { ResultsDocument } from '../../../lab/core/results.js'
import type { EventMark } from './annotations.js'
import type { Lang } from '../../../lab/core/i18n-lang.js'

/** What `lab report` embeds in the page's `#lab-data` element. */
export interface ReportPayload {
  documents: ResultsDocument[]
  /** The scenario notes, already rendered to HTML by the Node side. */
  notesHtml: string
  /** The scenario's handout (handout.md, its prediction table filled), rendered to HTML by the Node side; absent without one. */
  handoutHtml?: string
  /** An exercise's graded checks (`lab exercise check`), shown first. */
  exerciseChecks?: CheckVerdict[]
  /** The language the page opens in (the run's `--lang`); absent: English. */
  lang?: Lang
}

/** One point of a line series, in the units of its chart's axes. */
export interface Point {
  x: number
  y: number
  /**
   * A trailing part-second of a timeline: `y` is what it holds, not a rate
   * (never scaled up); drawn hollow, with a dashed segment leading to it.
   */
  partial?: boolean
}
/** One axis of a chart. */
export interface Scale {
  title: string
  type: 'linear' | 'logarithmic'
  /** Put ticks exactly here (and nowhere else). */
  ticks?: number[]
  /** `percentile`: x is 1/(1−p), label ticks as percentiles. */
  format?: 'percentile'
  min?: number
  max?: number
  /** Distance between ticks of a linear x axis (default 1). */
  step?: number
}
/** One line (or row of dots) of a line chart. */
export interface LineSeries {
  label: string
  color: string
  points: Point[]
  /** `theory` is dashed with no points, `machine` (the calibrated model) dotted with no points; `dots` draws points only. */
  style: 'line' | 'theory' | 'machine' | 'dots'
  axis: 'y' | 'y2'
  /** Point marker; p99 lines use triangles so they differ from p50 without colour. */
  marker: 'circle' | 'triangle'
}
/** A shaded range on one axis (warm-up seconds, the Little's-law tolerance). */
export interface Band {
  axis: 'x' | 'y'
  from: number
  to: number
  label: string
  /** Shade the range (default); unshaded bands only show their label, to mark alternating ranges. */
  shade?: boolean
}
/** A table of formatted cells, first column is the row heading. */
export interface Table {
  columns: string[]
  rows: string[][]
}
/** What every chart model has: an id, a title, a caption, its figures as a table, shaded bands. */
interface ChartBase {
  id: string
  title: string
  /** One line: what to look for. */
  caption: string
  table: Table
  bands: Band[]
}
/** A line chart: x against y (and y2, the right axis). */
export interface LineChartModel extends ChartBase {
  kind: 'line'
  x: Scale
  y: Scale
  y2?: Scale
  series: LineSeries[]
  /** Lab events (worker killed, died, booted) marked on a timeline; absent or empty draws nothing extra. */
  marks?: EventMark[]
}
/** One series of a bar chart: a value per category. */
export interface BarSeries {
  label: string
  color: string
  values: (number | null)[]
  /** Bars with the same stack pile up; different stacks stand side by side. */
  stack: string
  /** `dots`: a marker per category instead of a bar (for values that do not start at zero). */
  style: 'bar' | 'dots'
  /** The marker of a `dots` series (default `circle`): `dash`, a short horizontal line, marks a reference level such as a prediction; `cross` is drawn ×. */
  marker?: 'circle' | 'triangle' | 'dash' | 'cross'
}
/** A bar chart: groups of bars (or dots), one group per category. */
export interface BarChartModel extends ChartBase {
  kind: 'bar'
  /** One entry per bar group, each a list of label lines. */
  categories: string[][]
  y: Scale
  series: BarSeries[]
  /** The category labels: Chart.js may skip some and tilt them up to `maxRotation` degrees so none overlap (default: all shown, flat). */
  xTicks?: { autoSkip: boolean; maxRotation: number }
}
/** Any chart the pages draw. */
export type ChartModel = LineChartModel | BarChartModel

/** A panel of the report: a heading, a caption, its charts and tables. */
export interface Section {
  id: string
  title: string
  caption: string
  /** `grid` lays small charts out side by side (the per-run timelines). */
  layout: 'wide' | 'grid'
  charts: ChartModel[]
  /** Small tables shown as they are, after the charts, each with what to look for. */
  tables?: { id: string; title: string; caption: string; table: Table }[]
}
/** One headline comparison, e.g. `io-bound @128: async served 30.4× the req/s of prefork`. */
export interface Verdict {
  text: string
  workload: string
  connections: number
  best: string
  other: string
  /** best ÷ other answered req/s (means); `Infinity` when the other answered none. */
  ratio: number
  /** What their 95 % intervals say (lab/core/verdict.ts): `ratio`, `no-measurable-difference`, `no-interval` or `none-answered`. */
  kind?: string
}
/** A document's verdict on its scenario's lesson (lab/core/lesson-verdict.ts). */
export interface LessonBanner {
  /** Which document, when several are compared; '' for one. */
  doc: string
  /** `probe p99 (ms, lower is better)`. */
  metricLabel: string
  /** The lesson in one sentence. */
  sentence: string
  /** One per compared pair, e.g. `cpu-20ms @3: async 41.2 ms, prefork 1.3 ms: async is 31.7× prefork (…)`. */
  lines: string[]
  /** True when no pair could be read on the metric (each line says why). */
  unmeasured: boolean
}
/** A warning of the lab's catalogue, with its plain-words explanation. */
export interface WarningView {
  code: string
  title: string
  /** What it means and what to do, in plain words. */
  explanation: string
  /** The lab's own message, with the numbers. */
  message: string
  /** Which run, e.g. `prefork io-bound @128`, or '' for the whole document. */
  run: string
}
/** Everything the report page shows. */
export interface ReportModel {
  title: string
  subtitle: string
  /** Things to know before reading anything else (mixed scenarios, an interrupted run). */
  notices: string[]
  /** The headline: the verdict on each document's lesson (./lesson.ts); `verdicts` fold away under it. */
  lessons?: LessonBanner[]
  verdicts: Verdict[]
  sections: Section[]
  warnings: WarningView[]
  errorsTotal: number
  errors: Table
  environment: Table
  /** The commands that reproduce each document. */
  commands: string[]
}
