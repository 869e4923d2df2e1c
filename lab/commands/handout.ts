/**
 * `lab handout <scenario> [--quick] [--stack …] [--set …]`: prints the
 * scenario's handout.md as markdown, its `<!-- lab:predictions -->` line
 * replaced by a table of the levels that run would measure (lab/core/handout.ts),
 * so a teacher can print it before class. Starts nothing.
 */
import { engineText, fillHandout, predictionRows, predictionTable } from '../core/handout.js'
import { resolveTopology } from '../engines/registry.js'
import type { Stack } from '../engines/types.js'
import { prepare } from '../run/prepare.js'
import type { ReportIO } from './report.js'

/** The options `lab handout` takes: those of `lab run` that choose the levels. */
export interface HandoutOptions {
  quick?: boolean
  stack?: string
  set?: string[]
  topology?: string[]
  workload?: string[]
  /** Test seam: a scenario made in memory instead of loading `target` (it has no handout). */
  scenario?: unknown
}

/** `gunicorn`, `nginx → gunicorn`: the engines serving a topology on a stack, or '' when they cannot be resolved. */
function enginesOf(def: Parameters<typeof resolveTopology>[0], stack: Stack): string {
  try {
    const r = resolveTopology(def, stack)
    return engineText({ server: r.server.name, proxy: r.proxy?.name ?? null })
  } catch {
    return ''
  }
}

/**
 * Writes the handout with its prediction table to stdout.
 * @returns the exit code: 0 written; 1 the scenario has no handout.md; 2 bad input (unknown scenario, `--set`, `--stack`…)
 */
export async function handoutCommand(target: string, opts: HandoutOptions, io: ReportIO = process): Promise<number> {
  const p = await prepare({ target, ...opts })
  if (!p.ok) {
    for (const problem of p.problems) io.stderr.write(`lab handout: ${problem}\n`)
    return 2
  }
  if (!p.handout) {
    io.stderr.write(`lab handout: ${p.scenario.name} has no handout.md beside its scenario.ts (its notes.md is the instructor key)\n`)
    return 1
  }
  const engines = Object.fromEntries(p.plan.topologies.map((t) => [t.id, enginesOf(t.def, p.stack)]))
  const text = fillHandout(p.handout, predictionTable(predictionRows(p.plan.levels, engines)))
  io.stdout.write(text.endsWith('\n') ? text : `${text}\n`)
  return 0
}
