/**
 * How each level's slow clients were slow (`runs[].slowClients`,
 * docs/results-schema.md), for the report's "Beside the load" section: through
 * a rate-limited network link (its rate each way in kbit/s, its delay, the
 * qdisc: tc-tbf(8) or tc-netem(8), docs/network-links.md) or paced by the
 * lab (bytes/s per client, and the note saying why no link was used when one
 * was asked), with the rate they really moved over the time they ran. Pure.
 */
import type { ResultsDocument, RunResult } from '../../../lab/core/results.js'
import { t } from '../../../lab/core/i18n.js'
import { Context } from './context.js'
import { fmt } from './format.js'
import type { Table } from './types.js'

type Slow = NonNullable<RunResult['slowClients']>

/**
 * The rate the clients moved, all together, kbit/s (1 kbit = 1000 bit):
 * bytes received for slow readers, bytes sent for slow senders, over the
 * seconds they ran (`elapsedS`); null where that time was not recorded.
 */
export function slowGotKbit(s: Slow): number | null {
  if (!s.elapsedS || !(s.elapsedS > 0)) return null
  const bytes = s.mode === 'slow-reader' ? s.bytesReceived : s.bytesSent
  return (bytes * 8) / 1000 / s.elapsedS
}

/** A run's row: run, clients, via, link rate or pace, delay, qdisc, rate got, seconds, note. */
function row(label: string, s: Slow): string[] {
  const link = s.via === 'link' ? s.link : undefined
  const got = slowGotKbit(s)
  return [
    label,
    `${s.count} × ${s.mode}`,
    link ? t('beside.slowViaLink') : t('beside.slowViaPaced'),
    link ? t('beside.slowLinkRate', { rate: fmt(link.rateKbit, 0) }) : t('beside.slowPace', { rate: fmt(s.bytesPerS, 0) }),
    link ? (link.delayMs !== undefined ? fmt(link.delayMs, 0) : t('beside.slowNoDelay')) : '–',
    link ? link.qdisc : '–',
    fmt(got, 0),
    fmt(s.elapsedS),
    s.note ?? (link ? '' : t('beside.slowNoLinkAsked')),
  ]
}

/**
 * One row per run with slow clients (results from before links read as
 * paced); null when no run had any.
 */
export function slowClientsTable(docs: ResultsDocument[]): Table | null {
  const ctx = new Context(docs)
  const rows = docs.flatMap((d, doc) => d.runs.flatMap((run) => (run.slowClients ? [row(ctx.runLabel(doc, run), run.slowClients)] : [])))
  if (rows.length === 0) return null
  return {
    columns: [
      t('charts.run'),
      t('beside.slowClients'),
      t('beside.slowVia'),
      t('beside.slowSetUp'),
      t('beside.slowDelay'),
      'qdisc',
      t('beside.slowGot'),
      t('beside.slowSeconds'),
      t('beside.slowNote'),
    ],
    rows,
  }
}
