/**
 * The report's headline comparisons, on answered (2xx) req/s with their 95 %
 * intervals. Ranked, compared and worded by `lab/core/labels.ts`
 * (`compareLevel`), as the CLI summary's verdict is, so both say the same.
 */
import { compareLevel, levelRate } from '../../../lab/core/labels.js'
import type { Rate } from '../../../lab/core/results.js'
import type { ResultsDocument } from '../../../lab/core/results.js'
import { Context, type Identity } from './context.js'
import { documentLabel } from './format.js'
import type { Verdict } from './types.js'

/**
 * For every workload, at its highest connection count, the topology with the
 * most answered req/s (repeats taken together) against each of the others,
 * one line each, e.g. `io-bound @128: async served 30.4× (95 % CI 29.8–31.0×)
 * the answered req/s of prefork`, or "no measurable difference at this
 * level" where their intervals overlap. When documents are compared, each
 * line names its document, and the same topology is also compared across documents.
 */
export function verdicts(docs: ResultsDocument[]): Verdict[] {
  const ctx = new Context(docs)
  const out: Verdict[] = []
  const compare = (head: string, workload: string, connections: number, entries: { name: string; rate: Rate | undefined }[]): void => {
    for (const c of compareLevel(head, entries)) {
      out.push({ text: c.text, workload, connections, best: c.best, other: c.other, ratio: c.ratio, kind: c.comparison.kind })
    }
  }
  for (const workload of ctx.workloads) {
    const top = ctx.connections(workload).at(-1)
    if (top === undefined) continue
    const at = (id: Identity): Rate | undefined => {
      const level = ctx.levels(id, workload).find((l) => l.connections === top)
      return level ? levelRate(level.runs) : undefined
    }
    docs.forEach((doc, d) => {
      const head = `${workload} @${top}${ctx.multi ? ` on ${documentLabel(doc)}` : ''}`
      const ids = ctx.identities().filter((id) => id.doc === d)
      compare(head, workload, top, ids.map((id) => ({ name: id.topology, rate: at(id) })))
    })
    if (!ctx.multi) continue
    for (const topology of ctx.topologies) {
      const entries = docs.map((doc, d) => ({ name: documentLabel(doc), rate: at({ doc: d, topology }) }))
      compare(`${workload} @${top}, ${topology}`, workload, top, entries)
    }
  }
  return out
}
