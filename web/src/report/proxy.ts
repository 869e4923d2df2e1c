/**
 * The report's charts for topologies with a proxy and workloads with a mix:
 * how many responses each upstream answered (`perUpstream`, from
 * `X-Upstream`), and the latency of each request kind (`perKind`). Pure, like
 * the rest of the report: results documents in, chart models out.
 */
import type { ResultsDocument, RunResult } from '../../../lab/core/results.js'
import { Context } from './context.js'
import { PALETTE, fmt, slug } from './format.js'
import type { BarChartModel, BarSeries, Section } from './types.js'
import { t } from '../../../lab/core/i18n.js'

/** Every (document, run) of a workload that has `key`, in document order. */
function runsWith(docs: ResultsDocument[], workload: string, key: 'perUpstream' | 'perKind'): { doc: number; run: RunResult }[] {
  return docs.flatMap((d, doc) => d.runs.filter((r) => r.workload === workload && r[key] !== undefined && Object.keys(r[key] ?? {}).length > 0).map((run) => ({ doc, run })))
}

/**
 * Responses per second each upstream answered, one bar per upstream in each
 * run's group. Upstreams are numbered in the order of their addresses
 * (`127.0.0.1:<port>`); the table names them.
 */
export function upstreamChart(docs: ResultsDocument[], workload: string): BarChartModel {
  const ctx = new Context(docs)
  const runs = runsWith(docs, workload, 'perUpstream')
  const ordered = runs.map(({ run }) => Object.entries(run.perUpstream ?? {}).sort(([a], [b]) => a.localeCompare(b)))
  const width = Math.max(0, ...ordered.map((o) => o.length))
  const series: BarSeries[] = Array.from({ length: width }, (_, i) => ({
    label: `${t('beside.upstream')} ${i + 1}`,
    color: PALETTE[i % PALETTE.length] ?? PALETTE[0],
    stack: `u${i}`,
    style: 'bar',
    values: ordered.map((o, r) => {
      const count = o[i]?.[1]
      const s = runs[r]?.run.durationS ?? 0
      return count === undefined || s <= 0 ? null : count / s
    }),
  }))
  return {
    kind: 'bar',
    id: `lab-upstreams-${slug(workload)}`,
    title: t('beside.upstreamsOf', { workload }),
    caption: t('beside.upstreamsCaption'),
    categories: runs.map(({ doc, run }) => ctx.runCategory(doc, run)),
    y: { title: t('beside.responsesPerSecond'), type: 'linear', min: 0 },
    series,
    bands: [],
    table: {
      columns: [t('charts.run'), t('beside.upstream'), t('beside.address'), t('beside.responses'), 'req/s', t('beside.share')],
      rows: runs.flatMap(({ doc, run }, r) => {
        const total = Object.values(run.perUpstream ?? {}).reduce((a, b) => a + b, 0)
        return (ordered[r] ?? []).map(([address, count], i) => [
          ctx.runLabel(doc, run),
          `${t('beside.upstream')} ${i + 1}`,
          address,
          String(count),
          fmt(run.durationS > 0 ? count / run.durationS : null),
          fmt(total > 0 ? (100 * count) / total : null),
        ])
      }),
    },
  }
}

/** p50 and p99 of each request kind of a mix, per run (bars side by side, p99 lighter). */
export function kindChart(docs: ResultsDocument[], workload: string): BarChartModel {
  const ctx = new Context(docs)
  const runs = runsWith(docs, workload, 'perKind')
  const kinds = [...new Set(runs.flatMap(({ run }) => Object.keys(run.perKind ?? {})))]
  const series: BarSeries[] = kinds.flatMap((kind, i) =>
    (['p50', 'p99'] as const).map((p) => ({
      label: `${kind} ${p}`,
      color: `${PALETTE[i % PALETTE.length] ?? PALETTE[0]}${p === 'p99' ? '99' : ''}`,
      stack: `${kind}-${p}`,
      style: 'bar' as const,
      values: runs.map(({ run }) => run.perKind?.[kind]?.latencyMs[p] ?? null),
    })),
  )
  return {
    kind: 'bar',
    id: `lab-kinds-${slug(workload)}`,
    title: t('beside.kindsOf', { workload }),
    caption: t('beside.kindsCaption'),
    categories: runs.map(({ doc, run }) => ctx.runCategory(doc, run)),
    y: { title: t('report.axisLatency'), type: 'linear', min: 0 },
    series,
    bands: [],
    table: {
      columns: [t('charts.run'), t('beside.kind'), t('beside.path'), t('beside.responses'), 'req/s', t('beside.mean'), 'p50 (ms)', 'p90 (ms)', 'p99 (ms)', `${t('beside.max')} (ms)`],
      rows: runs.flatMap(({ doc, run }) =>
        Object.entries(run.perKind ?? {}).map(([kind, k]) => [
          ctx.runLabel(doc, run),
          kind,
          k.path,
          String(k.responses),
          fmt(run.durationS > 0 ? k.responses / run.durationS : null),
          fmt(k.latencyMs.mean),
          fmt(k.latencyMs.p50),
          fmt(k.latencyMs.p90),
          fmt(k.latencyMs.p99),
          fmt(k.latencyMs.max),
        ]),
      ),
    },
  }
}

/** The "Proxy and mix" section, or undefined when no run has per-upstream or per-kind figures. */
export function proxySection(docs: ResultsDocument[]): Section | undefined {
  const workloads = [...new Set(docs.flatMap((d) => d.runs.map((r) => r.workload)))]
  const charts = workloads.flatMap((w) => [
    ...(runsWith(docs, w, 'perUpstream').length ? [upstreamChart(docs, w)] : []),
    ...(runsWith(docs, w, 'perKind').length ? [kindChart(docs, w)] : []),
  ])
  if (charts.length === 0) return undefined
  return {
    id: 'lab-proxy',
    title: t('beside.proxyTitle'),
    caption: t('beside.proxyCaption'),
    layout: 'wide',
    charts,
  }
}
