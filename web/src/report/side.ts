/**
 * What ran beside the load, for the report's "Beside the load" section: the
 * latency of a /health probe (`runs[].probe`), the server-sent event streams
 * held open (`runs[].streams`) and the sockets left in TIME_WAIT
 * (`runs[].sockets`), and how slow clients were slow (`runs[].slowClients`,
 * slow-clients.ts). Pure, like the rest of the report, whose colours and
 * labels it shares; it is shown only when some run carries one of these.
 */
import type { ResultsDocument, RunResult } from '../../../lab/core/results.js'
import { Context } from './context.js'
import { fmt, mean, slug, uniq } from './format.js'
import type { LineChartModel, LineSeries, Section, Table } from './types.js'
import { slowClientsTable } from './slow-clients.js'
import { t } from '../../../lab/core/i18n.js'

/**
 * A log axis labelled at every power of ten from below the smallest value to
 * above the largest: probes span 0.05 ms to seconds, and sub-millisecond
 * decades would otherwise go unlabelled.
 */
export function decades(values: number[]): { ticks: number[]; min: number; max: number } | Record<string, never> {
  if (values.length === 0) return {}
  const lo = Math.floor(Math.log10(Math.min(...values)))
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...values))))
  const ticks = Array.from({ length: hi - lo + 1 }, (_, i) => Number((10 ** (lo + i)).toPrecision(1)))
  return { ticks, min: ticks[0] as number, max: ticks.at(-1) as number }
}

/** A run's probe when it got at least one answer (an empty probe has no latency to draw). */
function answeredProbe(run: RunResult): NonNullable<RunResult['probe']> | undefined {
  return run.probe && run.probe.requests > 0 ? run.probe : undefined
}

/**
 * The probe's p50 and p99 against connections (log y), one pair of lines per
 * topology, like the latency chart; null when no run of the workload probed.
 */
export function probeChart(docs: ResultsDocument[], workload: string): LineChartModel | null {
  const ctx = new Context(docs)
  const series: LineSeries[] = []
  const columns: string[] = ['connections']
  const cells = new Map<number, string[]>()
  const xs = uniq(docs.flatMap((d) => d.runs.filter((r) => r.workload === workload && r.probe).map((r) => r.connections))).sort((a, b) => a - b)
  if (xs.length === 0) return null
  const path = docs.flatMap((d) => d.runs).find((r) => r.workload === workload && r.probe)?.probe?.path ?? '/health'
  for (const id of ctx.identities()) {
    const levels = ctx.levels(id, workload).filter((l) => l.runs.some((r) => r.probe))
    if (levels.length === 0) continue
    const probes = levels.map((l) => ({ x: l.connections, probes: l.runs.flatMap((r) => (r.probe ? [r.probe] : [])) }))
    const answered = probes.flatMap(({ x, probes: ps }) => {
      const ok = ps.filter((p) => p.requests > 0)
      return ok.length ? [{ x, p50: mean(ok.map((p) => p.latencyMs.p50)), p99: mean(ok.map((p) => p.latencyMs.p99)) }] : []
    })
    const label = ctx.label(id)
    const base = { color: ctx.color(id), axis: 'y' as const, style: 'line' as const }
    series.push({ ...base, label: t('beside.probeP50', { label }), marker: 'circle', points: answered.map((a) => ({ x: a.x, y: a.p50 })) })
    series.push({ ...base, label: t('beside.probeP99', { label }), marker: 'triangle', points: answered.map((a) => ({ x: a.x, y: a.p99 })) })
    columns.push(`${label} p50 (ms)`, `${label} p99 (ms)`, `${label} ${t('beside.probes')}`, `${label} ${t('beside.failed')}`)
    for (const x of xs) {
      const mine = probes.find((p) => p.x === x)
      const a = answered.find((p) => p.x === x)
      const row = cells.get(x) ?? []
      const total = (f: (p: NonNullable<RunResult['probe']>) => number): string => (mine ? String(mine.probes.reduce((s, p) => s + f(p), 0)) : '–')
      row.push(fmt(a?.p50, 2), fmt(a?.p99, 2), total((p) => p.requests), total((p) => p.errors))
      cells.set(x, row)
    }
  }
  const table: Table = { columns, rows: xs.map((x) => [String(x), ...(cells.get(x) ?? [])]) }
  const ys = series.flatMap((s) => s.points.map((p) => p.y)).filter((y) => y > 0)
  return {
    kind: 'line',
    id: `lab-probe-${slug(workload)}`,
    title: t('beside.probeOf', { workload }),
    caption: t('beside.probeCaption', { path }),
    x: { title: t('report.axisConnections'), type: 'logarithmic', ticks: xs },
    y: { title: t('beside.probeAxis'), type: 'logarithmic', ...decades(ys) },
    series,
    bands: [],
    table,
  }
}

/** Every (document, run) that carries a field, with its label. */
function runsWith(ctx: Context, has: (r: RunResult) => boolean): { label: string; run: RunResult }[] {
  return ctx.docs.flatMap((d, doc) => d.runs.filter(has).map((run) => ({ label: ctx.runLabel(doc, run), run })))
}

/** One row per run that held streams open: opened, events received, failed; null when none did. */
export function streamsTable(docs: ResultsDocument[]): Table | null {
  const runs = runsWith(new Context(docs), (r) => r.streams !== undefined)
  if (runs.length === 0) return null
  return {
    columns: [t('charts.run'), t('beside.streamsOpened'), t('beside.eventsReceived'), t('beside.streamsFailed'), t('beside.reqBeside')],
    rows: runs.map(({ label, run }) => {
      const s = run.streams as NonNullable<RunResult['streams']>
      return [label, String(s.opened), String(s.events), String(s.failed), fmt(run.requests.perSecond.mean)]
    }),
  }
}

/** One row per run with a TIME_WAIT count: requests and probes measured, sockets left in TIME_WAIT; null when no run counted. */
export function socketsTable(docs: ResultsDocument[]): Table | null {
  const runs = runsWith(new Context(docs), (r) => r.sockets !== undefined)
  if (runs.length === 0) return null
  return {
    columns: [t('charts.run'), t('charts.requests'), t('beside.probes'), t('beside.socketsTimeWait')],
    rows: runs.map(({ label, run }) => [label, String(run.requests.total), run.probe ? String(run.probe.requests) : '–', String(run.sockets?.timeWait ?? 0)]),
  }
}

/**
 * The "Beside the load" section: a probe chart per workload that probed, the
 * streams table, the TIME_WAIT table and the slow clients' table; null when no run has any of them.
 */
export function sideSection(docs: ResultsDocument[]): Section | null {
  const ctx = new Context(docs)
  const charts = ctx.workloads.flatMap((w) => probeChart(docs, w) ?? [])
  const tables: NonNullable<Section['tables']> = ([
    { id: 'lab-streams', title: 'beside.streamsTitle', caption: 'beside.streamsCaption', table: streamsTable(docs) },
    { id: 'lab-sockets', title: 'beside.socketsTitle', caption: 'beside.socketsCaption', table: socketsTable(docs) },
    { id: 'lab-slow-clients', title: 'beside.slowTitle', caption: 'beside.slowCaption', table: slowClientsTable(docs) },
  ] as const).flatMap(({ id, title, caption, table }) => (table ? [{ id, title: t(title), caption: t(caption), table }] : []))
  if (charts.length === 0 && tables.length === 0) return null
  return {
    id: 'lab-side',
    title: t('beside.sideTitle'),
    caption: t('beside.sideCaption'),
    layout: 'wide',
    charts,
    tables,
  }
}
