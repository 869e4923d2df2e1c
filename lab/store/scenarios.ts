/**
 * Finding and loading scenario files (`scenarios/<name>/scenario.ts`).
 * Scenario files are TypeScript; they are imported at run time with tsx.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { tsImport } from 'tsx/esm/api'
import { ROOT } from '../topology/paths.js'

/** The folder of the built-in scenarios. */
export const SCENARIOS_DIR = path.join(ROOT, 'scenarios')

/** Names of the built-in scenarios, sorted. */
export function scenarioNames(): string[] {
  if (!existsSync(SCENARIOS_DIR)) return []
  return readdirSync(SCENARIOS_DIR)
    .filter((n) => existsSync(path.join(SCENARIOS_DIR, n, 'scenario.ts')))
    .sort()
}

/**
 * Resolves `lab run <name|path>` to a scenario.ts file: a built-in name, a
 * folder holding scenario.ts, or a .ts/.js file.
 * @throws Error listing the known names when nothing matches
 */
export function resolveScenario(target: string): { file: string; folderName: string } {
  const builtin = path.join(SCENARIOS_DIR, target, 'scenario.ts')
  if (/^[a-z0-9-]+$/.test(target) && existsSync(builtin)) return { file: builtin, folderName: target }
  const abs = path.resolve(target)
  if (existsSync(abs) && statSync(abs).isDirectory() && existsSync(path.join(abs, 'scenario.ts'))) {
    return { file: path.join(abs, 'scenario.ts'), folderName: path.basename(abs) }
  }
  if (existsSync(abs) && statSync(abs).isFile()) return { file: abs, folderName: path.basename(path.dirname(abs)) }
  const known = scenarioNames()
  throw new Error(`${target}: no such scenario; expected one of ${known.join(', ')} or a path to a scenario.ts (see \`lab list\`)`)
}

/**
 * Imports a scenario file's default export (not yet validated).
 * @throws Error when the file fails to import or has no default export
 */
export async function loadScenarioFile(file: string): Promise<unknown> {
  let mod: { default?: unknown }
  try {
    mod = (await tsImport(pathToFileURL(file).href, import.meta.url)) as { default?: unknown }
  } catch (err) {
    throw new Error(`${file}: could not load it: ${(err as Error).message.split('\n')[0]}`)
  }
  if (mod.default === undefined) throw new Error(`${file}: has no default export; expected \`export default defineScenario({...})\``)
  return mod.default
}

/** The scenario's notes.md beside its scenario.ts, if any. */
export function readNotes(file: string): string | undefined {
  const notes = path.join(path.dirname(file), 'notes.md')
  return existsSync(notes) ? readFileSync(notes, 'utf8') : undefined
}
