/**
 * A scenario's handout (`scenarios/<name>/handout.md`): the student's one
 * page, beside notes.md (the instructor key). Its `## Predict` section holds a line
 * `<!-- lab:predictions -->` that the lab replaces by a table of the levels
 * the chosen mode actually runs (topology × workload × connections or offered
 * rate, the engine that serves each topology, an empty "your guess" column),
 * so a handout never names a level that only one mode runs.
 *
 * Pure: no I/O. The report fills the table from the levels a results document
 * measured; `lab handout` from the levels a plan would measure.
 */

/** The line of a handout the prediction table replaces. */
export const PREDICTIONS_MARKER = '<!-- lab:predictions -->'

/** What names one level of the table: a plan's `Level` and a results `RunResult` both have it. */
export interface HandoutLevel {
  topology: string
  workload: string
  /** Closed loop: the connections; open loop: the client's pool bound (not shown). */
  connections: number
  /** Open loop only: the offered rate, req/s. */
  openLoop?: { ratePerSecond: number }
}

/** One row of the prediction table. */
export interface PredictionRow {
  topology: string
  /** `node-prefork`, `gunicorn`, `nginx → gunicorn` (proxy → server); '' when not known. */
  engine: string
  workload: string
  /** Closed loop: the connections; open loop: the offered rate, req/s. */
  load: number
  open: boolean
}

/**
 * The table's rows: each distinct level once (repeats and documents that ran
 * the same level fold into one row), in the order the levels came.
 * @param levels - the levels run (or to run), any order of topologies and workloads
 * @param engines - topology id → the engine text shown for it (missing: '')
 */
export function predictionRows(levels: readonly HandoutLevel[], engines: Readonly<Record<string, string>> = {}): PredictionRow[] {
  const rows = new Map<string, PredictionRow>()
  for (const l of levels) {
    const open = l.openLoop !== undefined
    const load = l.openLoop?.ratePerSecond ?? l.connections
    const key = JSON.stringify([l.topology, l.workload, load, open])
    if (!rows.has(key)) rows.set(key, { topology: l.topology, engine: engines[l.topology] ?? '', workload: l.workload, load, open })
  }
  return [...rows.values()]
}

/** `nginx → gunicorn` for a proxied topology, `gunicorn` without a proxy. */
export function engineText(engines: { server: string; proxy: string | null }): string {
  return engines.proxy ? `${engines.proxy} → ${engines.server}` : engines.server
}

const cell = (s: string): string => s.replace(/\|/g, '\\|')

/**
 * The rows as a GitHub-flavoured markdown table with an empty "your guess"
 * column; the load column is titled `connections`, `offered req/s` or, when
 * a run has both kinds of level, `load` (cells `8 connections`, `20 req/s`).
 * @returns the table's lines joined by `\n`, or a sentence saying no level ran when there is no row
 */
export function predictionTable(rows: readonly PredictionRow[]): string {
  if (rows.length === 0) return '_No level was run, so there is nothing to predict._'
  const open = rows.filter((r) => r.open).length
  const mixed = open > 0 && open < rows.length
  const loadTitle = open === 0 ? 'connections' : mixed ? 'load' : 'offered req/s'
  const load = (r: PredictionRow): string => (mixed ? (r.open ? `${r.load} req/s` : `${r.load} connections`) : String(r.load))
  const lines = [
    `| topology | engine | workload | ${loadTitle} | your guess |`,
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${cell(r.topology)} | ${cell(r.engine) || '—'} | ${cell(r.workload)} | ${load(r)} |  |`),
  ]
  return lines.join('\n')
}

/**
 * The handout with its `<!-- lab:predictions -->` line (surrounding spaces
 * allowed) replaced by `table`; a handout without the line is returned as it is.
 */
export function fillHandout(markdown: string, table: string): string {
  return markdown.replace(/^[ \t]*<!--\s*lab:predictions\s*-->[ \t]*$/m, () => table)
}

/** What a measured level adds to a {@link HandoutLevel}: the engines that served it (a results `RunResult` has it). */
export interface HandoutRun extends HandoutLevel {
  engines: { server: string; proxy: string | null }
}

/**
 * A handout with its prediction table filled from the levels measured (one
 * or several documents of one scenario): each topology's engine as its runs
 * name it, two stacks' engines joined with ` / ` (`node-prefork / gunicorn`).
 */
export function handoutForRuns(markdown: string, runs: readonly HandoutRun[]): string {
  const engines: Record<string, string[]> = {}
  for (const r of runs) {
    const list = (engines[r.topology] ??= [])
    const e = engineText(r.engines)
    if (!list.includes(e)) list.push(e)
  }
  const text = Object.fromEntries(Object.entries(engines).map(([t, list]) => [t, list.join(' / ')]))
  return fillHandout(markdown, predictionTable(predictionRows(runs, text)))
}
