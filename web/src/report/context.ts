/**
 * A set of results documents as the charts read them: which topologies and
 * workloads they hold, each series' colour and label, and the levels of a
 * series with repeats averaged. Pure.
 */
import { answeredPerSecond, loadLabel, runLabel } from '../../../lab/core/labels.js'
import type { ResultsDocument, RunResult } from '../../../lab/core/results.js'
import { PALETTE, documentLabels, mean, sum, uniq } from './format.js'

/** A series identity: one topology in one document. */
export interface Identity {
  doc: number
  topology: string
}

/** Runs of one key averaged over repeats. */
export interface Level {
  connections: number
  perSecond: number
  /** Answered (2xx) req/s, what the queueing model predicts (see `answeredPerSecond`). */
  answered: number
  /** Responses measured, summed over repeats; 0 means nothing completed and the latencies are empty. */
  responses: number
  p50: number
  p99: number
  /** Measured mean latency, to set beside the model's. */
  meanMs: number
  /** The prediction measured ÷ theory is taken against: the calibrated one when the run had it, else the textbook one. */
  prediction?: { perSecond: number; meanMs: number }
  /** io_ms and cpu_ms only (in older documents, their one prediction). */
  textbook?: { perSecond: number; meanMs: number }
  /** Calibrated to the machine it ran on; absent without a calibration. */
  thisMachine?: { perSecond: number; meanMs: number }
  runs: RunResult[]
}

/** Series colours, labels and averaged levels of a set of documents. */
export class Context {
  readonly multi: boolean
  readonly topologies: string[]
  readonly workloads: string[]
  readonly #docLabels: string[]
  constructor(readonly docs: ResultsDocument[]) {
    this.multi = docs.length > 1
    this.#docLabels = documentLabels(docs)
    this.topologies = uniq(docs.flatMap((d) => d.runs.map((r) => r.topology)))
    this.workloads = uniq(docs.flatMap((d) => d.runs.map((r) => r.workload)))
  }
  /** Every (document, topology) that has runs, documents in order, topologies in the order they first ran. */
  identities(): Identity[] {
    return this.docs.flatMap((d, doc) =>
      this.topologies.filter((t) => d.runs.some((r) => r.topology === t)).map((topology) => ({ doc, topology })),
    )
  }
  /** A series' colour: one per topology, and per document when several are compared. */
  color(id: Identity): string {
    const i = id.doc * this.topologies.length + this.topologies.indexOf(id.topology)
    return PALETTE[i % PALETTE.length] ?? PALETTE[0]
  }
  /** A compared document's legend label: what sets it apart from the others (`documentLabels`); '' for one document. */
  docLabel(doc: number): string {
    return this.multi ? (this.#docLabels[doc] ?? '') : ''
  }
  /** `prefork` alone; `prefork · python` when documents of two stacks are compared (only what differs). */
  label(id: Identity): string {
    return this.multi ? `${id.topology} · ${this.docLabel(id.doc)}` : id.topology
  }
  /** Connection levels of one identity and workload, ascending, repeats averaged (closed loop only: open-loop runs are drawn by ./open-loop.ts). */
  levels(id: Identity, workload: string): Level[] {
    const runs = (this.docs[id.doc]?.runs ?? []).filter((r) => r.topology === id.topology && r.workload === workload && !r.openLoop)
    return uniq(runs.map((r) => r.connections))
      .sort((a, b) => a - b)
      .map((connections) => {
        const rs = runs.filter((r) => r.connections === connections)
        const predicted = rs.flatMap((r) => (r.prediction ? [r.prediction] : []))
        const level: Level = {
          connections,
          perSecond: mean(rs.map((r) => r.requests.perSecond.mean)),
          answered: mean(rs.map(answeredPerSecond)),
          responses: sum(rs.map((r) => r.requests.total)),
          p50: mean(rs.map((r) => r.latencyMs.p50)),
          p99: mean(rs.map((r) => r.latencyMs.p99)),
          meanMs: mean(rs.map((r) => r.latencyMs.mean)),
          runs: rs,
        }
        const p = predicted[0]
        if (p) {
          level.prediction = p
          const textbook = p.textbook ?? (p.basis === undefined ? p : undefined)
          if (textbook) level.textbook = textbook
          if (p.thisMachine) level.thisMachine = p.thisMachine
        }
        return level
      })
  }
  /** The connection counts a workload was measured at, in any document, ascending. */
  connections(workload: string): number[] {
    return uniq(this.docs.flatMap((d) => d.runs.filter((r) => r.workload === workload && !r.openLoop).map((r) => r.connections))).sort(
      (a, b) => a - b,
    )
  }
  /** `prefork io-bound @128 (repeat 2)`, with its document's label when documents are compared. */
  runLabel(doc: number, run: RunResult): string {
    const base = runLabel(run)
    return this.multi ? `${base} · ${this.docLabel(doc)}` : base
  }
  /** The label lines of a run's bar group: topology, `@connections`, and its document when several are compared. */
  runCategory(doc: number, run: RunResult): string[] {
    return [run.topology, loadLabel(run), ...(this.multi ? [this.docLabel(doc)] : [])]
  }
}
