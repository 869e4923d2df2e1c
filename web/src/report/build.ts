/**
 * The report's view-model: results documents in, everything the report page
 * shows out (verdicts, sections of chart models, warnings, tables). Pure (no
 * DOM, no Chart.js), so the report page and the live page draw the same
 * things from the same data. Each section is built in its own file.
 */
import type { ResultsDocument } from '../../../lab/core/results.js'
import { Context } from './context.js'
import { environmentTable } from './environment.js'
import { documentLabel, reproduceCommand, sum, uniq } from './format.js'
import { latencyChart } from './latency.js'
import { littlesLawChart } from './littles.js'
import { hockeyStickChart, openTimelineChart, openWorkloads } from './open-loop.js'
import { proxySection } from './proxy.js'
import { cpuChart, memoryChart } from './resources.js'
import { spectrumChart } from './spectrum.js'
import { throughputChart } from './throughput.js'
import { timelineChart } from './timeline.js'
import { workerMemorySection } from './worker-memory.js'
import { sideSection } from './side.js'
import type { ChartModel, ReportModel } from './types.js'
import { verdicts } from './verdicts.js'
import { lessonBanners } from './lesson.js'
import { warningViews } from './warnings.js'
import { t } from '../../../lab/core/i18n.js'

/**
 * Everything the report page shows, derived from the documents (no DOM). The
 * sections come in reading order: throughput, latency, what ran beside the
 * load (when any run probed, held streams or counted TIME_WAIT), spectrum,
 * second by second, the workers' memory over time (when any run recorded
 * it), upstreams and request kinds (when any), CPU and memory, checks.
 */
export function buildReport(docs: ResultsDocument[]): ReportModel {
  const ctx = new Context(docs)
  const names = uniq(docs.map((d) => d.scenario.name))
  const notices: string[] = []
  if (names.length > 1) {
    notices.push(t('charts.otherScenarios', { names: names.join(', ') }))
  }
  for (const doc of docs) {
    if (!doc.complete) {
      notices.push(ctx.multi ? t('charts.interruptedOf', { doc: documentLabel(doc), count: doc.runs.length }) : t('charts.interrupted', { count: doc.runs.length }))
    }
  }
  const perWorkload = (fn: (docs: ResultsDocument[], w: string) => ChartModel): ChartModel[] => ctx.workloads.map((w) => fn(docs, w))
  // open-loop runs share `connections` (their pool bound): each gets its own timeline (./open-loop.ts)
  const timelineKeys = uniq(docs.flatMap((d) => d.runs.filter((r) => !r.openLoop).map((r) => JSON.stringify([r.workload, r.topology, r.connections]))))
  const open = openWorkloads(docs)
  const errorRuns = docs.flatMap((d, doc) => d.runs.map((run) => ({ doc, run })))
  const first = docs[0]
  const side = sideSection(docs)
  const proxy = proxySection(docs)
  const memory = workerMemorySection(docs)
  return {
    title: names.length === 1 && first ? first.scenario.title : t('charts.manyResults', { docs: docs.length, scenarios: names.length }),
    subtitle: docs.map((d) => `${d.scenario.name} · ${documentLabel(d)}`).join('  |  '),
    notices,
    lessons: lessonBanners(docs),
    verdicts: verdicts(docs),
    sections: [
      {
        id: 'lab-throughput',
        title: t('report.throughput'),
        caption: t('report.throughputCaption'),
        layout: 'wide',
        charts: perWorkload(throughputChart),
      },
      {
        id: 'lab-latency',
        title: t('report.latency'),
        caption: t('report.latencyCaption'),
        layout: 'wide',
        charts: perWorkload(latencyChart),
      },
      ...(side ? [side] : []),
      {
        id: 'lab-spectrum',
        title: t('report.spectrum'),
        caption: t('report.spectrumCaption'),
        layout: 'wide',
        charts: perWorkload(spectrumChart),
      },
      {
        id: 'lab-timeline',
        title: t('report.timeline'),
        caption: t('report.timelineCaption'),
        layout: 'grid',
        charts: timelineKeys.map((k) => {
          const [w, t, c] = JSON.parse(k) as [string, string, number]
          return timelineChart(docs, w, t, c)
        }),
      },
      ...(memory ? [memory] : []),
      ...(open.length
        ? [
            {
              id: 'lab-open-loop',
              title: t('report.openLoop'),
              caption: t('report.openLoopCaption'),
              layout: 'grid' as const,
              charts: [...open.map((w) => hockeyStickChart(docs, w)), ...docs.flatMap((d, i) => d.runs.filter((r) => r.openLoop).map((r) => openTimelineChart(docs, i, r)))],
            },
          ]
        : []),
      ...(proxy ? [proxy] : []),
      {
        id: 'lab-resources',
        title: t('report.resources'),
        caption: t('report.resourcesCaption'),
        layout: 'wide',
        charts: [...perWorkload(cpuChart), ...perWorkload(memoryChart)],
      },
      {
        id: 'lab-checks',
        title: t('report.checks'),
        caption: t('report.checksCaption'),
        layout: 'wide',
        charts: [littlesLawChart(docs)],
      },
    ],
    warnings: warningViews(ctx),
    errorsTotal: sum(errorRuns.map(({ run }) => run.errors.total)),
    errors: {
      columns: [t('charts.run'), t('charts.requests'), t('charts.errors'), t('charts.timeouts'), t('charts.resets'), t('charts.non2xx'), t('charts.statusCodes')],
      rows: errorRuns.map(({ doc, run }) => [
        ctx.runLabel(doc, run),
        String(run.requests.total),
        String(run.errors.total),
        String(run.errors.timeouts),
        String(run.errors.resets),
        String(run.errors.non2xx),
        Object.entries(run.errors.byStatus).map(([s, n]) => `${s}: ${n}`).join(', '),
      ]),
    },
    environment: environmentTable(docs),
    commands: uniq(docs.map(reproduceCommand)),
  }
}
