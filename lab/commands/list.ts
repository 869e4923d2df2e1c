/**
 * `lab list`: the built-in scenarios with their one-line summaries.
 */
import type { Writable } from 'node:stream'
import { validateScenario } from '../core/scenario.js'
import { SCENARIOS_DIR, loadScenarioFile, scenarioNames } from '../store/scenarios.js'
import path from 'node:path'

/** Prints `name  summary` per scenario; a scenario that fails validation is listed with its first problem. */
export async function listCommand(stdout: Writable = process.stdout): Promise<number> {
  const names = scenarioNames()
  const width = Math.max(0, ...names.map((n) => n.length))
  for (const name of names) {
    let summary: string
    try {
      const v = validateScenario(await loadScenarioFile(path.join(SCENARIOS_DIR, name, 'scenario.ts')), name)
      summary = v.ok ? v.value.summary : `(invalid: ${v.problems[0]})`
    } catch (err) {
      summary = `(cannot load: ${(err as Error).message})`
    }
    stdout.write(`${name.padEnd(width)}  ${summary}\n`)
  }
  return 0
}
