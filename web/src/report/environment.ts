/**
 * The environment table: where and how each document was measured, with
 * the calibration its "this machine" predictions rest on (each engine's CPU
 * per response on a hello-world level) and where the load generator and the
 * servers ran. Pure.
 */
import { t } from '../../../lab/core/i18n.js'
import { placementText } from '../../../lab/core/placement.js'
import { unavailableLine } from '../../../lab/core/platform.js'
import type { ResultsDocument } from '../../../lab/core/results.js'
import { engineList } from '../../../lab/core/format.js'
import { documentLabel, fmt, fmtDate, reproduceCommand } from './format.js'
import type { Table } from './types.js'

/** `prefork = node-prefork, proxied = nginx → gunicorn`: the engine that served each topology. */
const engineRow = (d: ResultsDocument): string => engineList(d.runs) || t('charts.env.noLevel')

/** One column per document: host, stack, CPU, cores, memory, OS, Node, lab, engines, start, end and command; row names in the current language. */
export function environmentTable(docs: ResultsDocument[]): Table {
  const rows: [string, (d: ResultsDocument) => string][] = [
    [t('charts.env.host'), (d) => d.env.hostname ?? t('charts.env.host')],
    [t('charts.env.stack'), (d) => d.stack],
    [t('charts.env.engines'), engineRow],
    [t('charts.env.cpu'), (d) => d.env.cpuModel],
    [t('charts.env.cores'), (d) => String(d.env.cores)],
    [t('charts.env.memory'), (d) => `${fmt(d.env.memoryBytes / 1024 ** 3)} GiB`],
    [t('charts.env.os'), (d) => t('charts.env.osLine', { os: d.env.os, kernel: d.env.kernel })],
    ['Node', (d) => d.env.node],
    ['lab', (d) => d.env.lab],
    [t('charts.env.versions'), (d) => Object.entries(d.env.engines).map(([k, v]) => `${k} ${v}`).join(', ') || t('charts.env.builtIn')],
    [t('charts.env.placement'), (d) => (d.env.placement ? placementText(d.env.placement) : t('charts.env.notRecorded'))],
    [t('charts.env.notMeasured'), (d) => unavailableLine(d.env.unavailable) || t('charts.env.allMeasured')],
    [t('charts.env.calibration'), calibrationText],
    [t('charts.env.started'), (d) => fmtDate(d.startedAt)],
    [t('charts.env.finished'), (d) => (d.finishedAt ? fmtDate(d.finishedAt) : t('charts.env.notFinished'))],
    [t('charts.env.command'), reproduceCommand],
  ]
  return {
    columns: ['', ...docs.map(documentLabel)],
    rows: rows.map(([name, get]) => [name, ...docs.map(get)]),
  }
}

/**
 * A document's calibration in words, one engine after another:
 * `node-prefork 0.1.0 (model=prefork workers=4): server 0.314 ms, load generator 0.309 ms per response at 1711 req/s, measured 2026-12-02`.
 */
export function calibrationText(d: ResultsDocument): string {
  const cal = d.calibration ?? []
  if (cal.length === 0) return t('charts.env.noCalibration')
  return cal
    .map((c) => {
      const proxy = c.proxyMsPerRequest !== undefined ? t('charts.env.calibrationProxy', { ms: fmt(c.proxyMsPerRequest, 3) }) : ''
      const date = c.measuredAt.slice(0, 10)
      const when = c.source === 'cache' ? t('charts.env.cachedFrom', { date }) : t('charts.env.measured', { date })
      return t('charts.env.calibrationLine', {
        engine: `${c.engine} ${c.version}`, settings: c.settings, proxy, server: fmt(c.serverMsPerRequest, 3),
        client: fmt(c.clientMsPerRequest, 3), rate: fmt(c.level.perSecond, 0), connections: c.level.connections,
        latency: c.latency ? t('charts.env.calibrationLatency', { base: fmt(c.latency.baseMs, 2), over: fmt(c.latency.timerOvershootMs, 2) }) : '', when,
      })
    })
    .join('; ')
}
