/**
 * Finding and loading scenario files (`scenarios/<name>/scenario.ts`).
 *
 * Scenario files are TypeScript. `npm run build` compiles the built-in ones
 * to `dist/scenarios/<name>/scenario.js` (tsconfig.build.json), which Node
 * imports at once; any other scenario.ts (a user's own, or a built-in edited
 * since the build) is compiled on import by tsx, which takes ~0.1 s a file.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { NamespacedUnregister } from 'tsx/esm/api'
import { ROOT } from '../topology/paths.js'

/** The folder of the built-in scenarios. */
export const SCENARIOS_DIR = path.join(ROOT, 'scenarios')

/** Where `npm run build` compiles the built-in scenarios (tsconfig.build.json). */
const COMPILED_DIR = path.join(ROOT, 'dist', 'scenarios')

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
    const compiled = compiledScenario(file)
    mod = (compiled ? await import(versioned(compiled)) : await importTypeScript(file)) as { default?: unknown }
  } catch (err) {
    throw new Error(`${file}: could not load it: ${(err as Error).message.split('\n')[0]}`)
  }
  if (mod.default === undefined) throw new Error(`${file}: has no default export; expected \`export default defineScenario({...})\``)
  return mod.default
}

/**
 * The compiled twin of a built-in scenario file (`scenarios/x/scenario.ts` →
 * `dist/scenarios/x/scenario.js`), when it exists and is at least as new as
 * the file (a scenario edited since the build is compiled afresh instead).
 * @param file - absolute path of a scenario.ts
 * @param dirs - test seam: the scenarios' folder and where the build puts them
 * @returns the compiled file's absolute path, or undefined for a file outside `scenarios/`, not built or stale
 */
export function compiledScenario(file: string, dirs: { scenarios: string; compiled: string } = { scenarios: SCENARIOS_DIR, compiled: COMPILED_DIR }): string | undefined {
  const rel = path.relative(dirs.scenarios, file)
  if (!rel.endsWith('.ts') || rel.startsWith('..') || path.isAbsolute(rel)) return undefined
  const js = path.join(dirs.compiled, rel.replace(/\.ts$/, '.js'))
  return existsSync(js) && existsSync(file) && statSync(js).mtimeMs >= statSync(file).mtimeMs ? js : undefined
}

/**
 * A file's URL carrying its modification time: ES modules are cached by URL,
 * so a file changed since it was last imported (a long-running demo's
 * scenario, edited mid-class) is imported again, and an unchanged one is not.
 */
function versioned(file: string): string {
  return `${pathToFileURL(file).href}?mtime=${statSync(file).mtimeMs}`
}

// one tsx loader for the process: the modules a scenario imports (lab/core, zod) are compiled and evaluated once
let tsx: NamespacedUnregister | undefined

/** Imports a TypeScript file through tsx (loaded only when a scenario needs it). */
async function importTypeScript(file: string): Promise<unknown> {
  if (!tsx) {
    const api = await import('tsx/esm/api')
    tsx ??= api.register({ namespace: 'lab-scenarios' })
  }
  return tsx.import(versioned(file), import.meta.url)
}

/** The scenario's notes.md (the instructor key) beside its scenario.ts, if any. */
export function readNotes(file: string): string | undefined {
  return readBeside(file, 'notes.md')
}

/** The scenario's handout.md (the student's page, lab/core/handout.ts) beside its scenario.ts, if any. */
export function readHandout(file: string): string | undefined {
  return readBeside(file, 'handout.md')
}

function readBeside(file: string, name: string): string | undefined {
  const found = path.join(path.dirname(file), name)
  return existsSync(found) ? readFileSync(found, 'utf8') : undefined
}
