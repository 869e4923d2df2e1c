/**
 * The environment table: where and how each document was measured, with
 * the calibration its "this machine" predictions rest on (each engine's CPU
 * per response on a hello-world level) and where the load generator and the
 * servers ran. Pure.
 */
import { unavailableLine } from '../../../lab/core/platform.js'
import type { ResultsDocument } from '../../../lab/core/results.js'
import { engineLine } from '../../../lab/core/format.js'
import { documentLabel, fmt, fmtDate, reproduceCommand } from './format.js'
import type { Table } from './types.js'

/** `prefork = node-prefork, proxied = nginx → gunicorn`: the engine that served each topology. */
const engineRow = (d: ResultsDocument): string => engineLine(d.runs).replace(/^engines: /, '') || 'no level measured'

/** One column per document: host, stack, CPU, cores, memory, OS, Node, lab, engines, start, end and command. */
export function environmentTable(docs: ResultsDocument[]): Table {
  const rows: [string, (d: ResultsDocument) => string][] = [
    ['host', (d) => d.env.hostname ?? 'host'],
    ['stack', (d) => d.stack],
    ['engines', engineRow],
    ['CPU', (d) => d.env.cpuModel],
    ['cores', (d) => String(d.env.cores)],
    ['memory', (d) => `${fmt(d.env.memoryBytes / 1024 ** 3)} GiB`],
    ['OS', (d) => `${d.env.os}, kernel ${d.env.kernel}`],
    ['Node', (d) => d.env.node],
    ['lab', (d) => d.env.lab],
    [
      'engines',
      (d) => Object.entries(d.env.engines).map(([k, v]) => `${k} ${v}`).join(', ') || 'built-in (pure Node)',
    ],
    ['CPU placement', (d) => d.env.placement?.note ?? 'not recorded'],
    ['not measured', (d) => unavailableLine(d.env.unavailable) || 'every panel was measured'],
    ['calibration', calibrationText],
    ['started', (d) => fmtDate(d.startedAt)],
    ['finished', (d) => (d.finishedAt ? fmtDate(d.finishedAt) : 'not finished')],
    ['command', reproduceCommand],
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
  if (cal.length === 0) return 'none: predictions are the textbook ones'
  return cal
    .map((c) => {
      const proxy = c.proxyMsPerRequest !== undefined ? `proxy ${fmt(c.proxyMsPerRequest, 3)} ms, ` : ''
      const when = `${c.source === 'cache' ? 'cached from' : 'measured'} ${c.measuredAt.slice(0, 10)}`
      const latency = c.latency ? `; on one connection a request with no work took ${fmt(c.latency.baseMs, 2)} ms and a 10 ms wait ended ${fmt(c.latency.timerOvershootMs, 2)} ms late` : ''
      return `${c.engine} ${c.version} (${c.settings}): ${proxy}server ${fmt(c.serverMsPerRequest, 3)} ms, load generator ${fmt(c.clientMsPerRequest, 3)} ms per response at ${fmt(c.level.perSecond, 0)} req/s on ${c.level.connections} connections${latency}, ${when}`
    })
    .join('; ')
}
