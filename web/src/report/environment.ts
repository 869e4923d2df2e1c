/**
 * The environment table: where and how each document was measured. Pure.
 */
import type { ResultsDocument } from '../../../lab/core/results.js'
import { documentLabel, fmt, fmtDate, reproduceCommand } from './format.js'
import type { Table } from './types.js'

/** One column per document: host, stack, CPU, cores, memory, OS, Node, lab, engines, start, end and command. */
export function environmentTable(docs: ResultsDocument[]): Table {
  const rows: [string, (d: ResultsDocument) => string][] = [
    ['host', (d) => d.env.hostname ?? 'host'],
    ['stack', (d) => d.stack],
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
    ['started', (d) => fmtDate(d.startedAt)],
    ['finished', (d) => (d.finishedAt ? fmtDate(d.finishedAt) : 'not finished')],
    ['command', reproduceCommand],
  ]
  return {
    columns: ['', ...docs.map(documentLabel)],
    rows: rows.map(([name, get]) => [name, ...docs.map(get)]),
  }
}
