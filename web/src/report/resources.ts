/**
 * CPU and memory of every run: server processes stacked by role beside the
 * load generator, and a table with every process. Pure.
 */
import { notAvailable, type ProcPanel } from '../../../lab/core/platform.js'
import type { ResultsDocument, RunResult } from '../../../lab/core/results.js'
import { Context } from './context.js'
import { MiB, PALETTE, ROLE_COLORS, fmt, slug, sum } from './format.js'
import type { BarChartModel, BarSeries, Table } from './types.js'
import { t } from '../../../lab/core/i18n.js'

type Role = 'master' | 'worker' | 'server' | 'proxy'
const ROLES: Role[] = ['master', 'worker', 'server', 'proxy']
/** A role's name in the legends, in the current language. */
const roleLabel = (role: Role): string => t(`charts.roles.${role}`)

/** Whether a document was measured where `panel` could not be read (no /proc): its zeros are not measurements. */
const unavailable = (docs: ResultsDocument[], panel: ProcPanel): boolean => docs.some((d) => d.env.unavailable?.includes(panel))

/** Every (document, run) of a workload, in document order. */
function runsOf(docs: ResultsDocument[], workload: string): { doc: number; run: RunResult }[] {
  return docs.flatMap((d, doc) => d.runs.filter((r) => r.workload === workload).map((run) => ({ doc, run })))
}

/** One row per server process and one per load generator: what the CPU and memory charts draw, in full. */
function processTable(ctx: Context, runs: { doc: number; run: RunResult }[]): Table {
  return {
    columns: ['run', 'role', 'pid', 'CPU mean (%)', 'CPU max (%)', 'RSS mean (MiB)', 'RSS max (MiB)', 'PSS mean (MiB)', 'requests'],
    rows: runs.flatMap(({ doc, run }) => [
      ...run.processes.map((p) => [
        ctx.runLabel(doc, run),
        p.role,
        String(p.pid),
        fmt(p.cpuPercent.mean),
        fmt(p.cpuPercent.max),
        fmt(p.rssBytes.mean / MiB),
        fmt(p.rssBytes.max / MiB),
        p.pssBytes ? fmt(p.pssBytes.mean / MiB) : '',
        String(p.requests),
      ]),
      [ctx.runLabel(doc, run), t('charts.loadGenerator'), '', fmt(run.loadGenerator.cpuPercent.mean), fmt(run.loadGenerator.cpuPercent.max), '', '', '', ''],
    ]),
  }
}

/** Server CPU % per role (stacked) beside the load generator's CPU %, one bar group per run. */
export function cpuChart(docs: ResultsDocument[], workload: string): BarChartModel {
  const ctx = new Context(docs)
  const runs = runsOf(docs, workload)
  const roles = ROLES.filter((role) => runs.some(({ run }) => run.processes.some((p) => p.role === role)))
  const na = unavailable(docs, 'cpu')
  const series: BarSeries[] = (na ? [] : roles).map((role) => ({
    label: roleLabel(role),
    color: ROLE_COLORS[role] ?? PALETTE[0],
    stack: 'server',
    style: 'bar',
    values: runs.map(({ run }) => sum(run.processes.filter((p) => p.role === role).map((p) => p.cpuPercent.mean))),
  }))
  series.push({
    label: t('charts.loadGenerator'),
    color: ROLE_COLORS['load generator'] ?? PALETTE[4],
    stack: 'client',
    style: 'bar',
    values: runs.map(({ run }) => run.loadGenerator.cpuPercent.mean),
  })
  return {
    kind: 'bar',
    id: `lab-cpu-${slug(workload)}`,
    title: t('report.cpuOf', { workload }),
    caption: na
      ? t('charts.cpuUnavailable', { na: notAvailable() })
      : t('charts.cpuCaption'),
    categories: runs.map(({ doc, run }) => ctx.runCategory(doc, run)),
    y: { title: t('report.axisCpu'), type: 'linear', min: 0 },
    series,
    bands: [],
    table: processTable(ctx, runs),
  }
}

/** Resident memory per role (stacked), one bar group per run. */
export function memoryChart(docs: ResultsDocument[], workload: string): BarChartModel {
  const ctx = new Context(docs)
  const runs = runsOf(docs, workload)
  const roles = ROLES.filter((role) => runs.some(({ run }) => run.processes.some((p) => p.role === role)))
  return {
    kind: 'bar',
    id: `lab-memory-${slug(workload)}`,
    title: t('report.memoryOf', { workload }),
    caption: unavailable(docs, 'memory')
      ? t('charts.memoryUnavailable', { na: notAvailable() })
      : t('charts.memoryCaption'),
    categories: runs.map(({ doc, run }) => ctx.runCategory(doc, run)),
    y: { title: t('report.axisRss'), type: 'linear', min: 0 },
    series: (unavailable(docs, 'memory') ? [] : roles).map((role) => ({
      label: roleLabel(role),
      color: ROLE_COLORS[role] ?? PALETTE[0],
      stack: 'server',
      style: 'bar',
      values: runs.map(({ run }) => sum(run.processes.filter((p) => p.role === role).map((p) => p.rssBytes.mean / MiB))),
    })),
    bands: [],
    table: processTable(ctx, runs),
  }
}
