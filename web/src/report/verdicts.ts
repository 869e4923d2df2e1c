/**
 * The report's headline comparisons. Ranked and worded by
 * `lab/core/labels.ts`, as the CLI summary's verdict is, so both say the same
 * ratio with the same rounding.
 */
import { rankPerSecond, verdictText } from '../../../lab/core/labels.js'
import type { ResultsDocument } from '../../../lab/core/results.js'
import { Context, type Identity } from './context.js'
import { documentLabel } from './format.js'
import type { Verdict } from './types.js'

/**
 * For every workload, at its highest connection count, the topology with the
 * most req/s (mean over repeats) against each of the others, one line each,
 * e.g. `io-bound @128: async served 30.4× the req/s of prefork`. When
 * documents are compared, each line names its document, and the same
 * topology is also compared across documents.
 */
export function verdicts(docs: ResultsDocument[]): Verdict[] {
  const ctx = new Context(docs)
  const out: Verdict[] = []
  const compare = (head: string, workload: string, connections: number, entries: { name: string; perSecond: number | undefined }[]): void => {
    for (const c of rankPerSecond(entries)) {
      out.push({ text: verdictText(head, [c]), workload, connections, best: c.best, other: c.other, ratio: c.ratio })
    }
  }
  for (const workload of ctx.workloads) {
    const top = ctx.connections(workload).at(-1)
    if (top === undefined) continue
    const at = (id: Identity): number | undefined => ctx.levels(id, workload).find((l) => l.connections === top)?.perSecond
    docs.forEach((doc, d) => {
      const head = `${workload} @${top}${ctx.multi ? ` on ${documentLabel(doc)}` : ''}`
      const ids = ctx.identities().filter((id) => id.doc === d)
      compare(head, workload, top, ids.map((id) => ({ name: id.topology, perSecond: at(id) })))
    })
    if (!ctx.multi) continue
    for (const topology of ctx.topologies) {
      const entries = docs.map((doc, d) => ({ name: documentLabel(doc), perSecond: at({ doc: d, topology }) }))
      compare(`${workload} @${top}, ${topology}`, workload, top, entries)
    }
  }
  return out
}
