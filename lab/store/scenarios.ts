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
import { t } from '../core/i18n.js'
import { localizedName, type Lang } from '../core/i18n-lang.js'
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

/** A markdown file read in the reader's language, or in English when it has no translation yet. */
export interface Localized {
  /** The markdown. */
  text: string
  /** The language it is in (`en` when the translation was missing). */
  lang: Lang
  /** One line saying the English is shown for want of a translation (lab/i18n `cli.fallback`); absent when it was found in `lang`. */
  notice?: string
}

/**
 * Reads `<dir>/<name>.<lang>.md` (`notes.pt-BR.md`, `handout.ru.md`,
 * `glossary.pt-BR.md`) when it exists, else the English `<dir>/<name>.md`
 * with a one-line notice.
 * @param file - the English file's path, e.g. `scenarios/x/notes.md`
 * @returns undefined when not even the English file exists
 */
export function readLocalized(file: string, lang: Lang = 'en'): Localized | undefined {
  const translated = localizedName(file, lang)
  if (existsSync(translated)) return { text: readFileSync(translated, 'utf8'), lang }
  if (!existsSync(file)) return undefined
  const text = readFileSync(file, 'utf8')
  return lang === 'en' ? { text, lang: 'en' } : { text, lang: 'en', notice: t('cli.fallback', { file: path.relative(ROOT, translated), lang }, lang) }
}

/** The scenario's notes.md beside its scenario.ts, if any, in `lang` when translated (see {@link readLocalized}). */
export function readNotes(file: string, lang: Lang = 'en'): string | undefined {
  return readLocalized(path.join(path.dirname(file), 'notes.md'), lang)?.text
}

/** The scenario's handout.md beside its scenario.ts, if any, in `lang` when translated (see {@link readLocalized}). */
export function readHandout(file: string, lang: Lang = 'en'): Localized | undefined {
  return readLocalized(path.join(path.dirname(file), 'handout.md'), lang)
}

/** The glossary (docs/glossary.md) in `lang` when translated (see {@link readLocalized}). */
export function readGlossary(lang: Lang = 'en'): Localized | undefined {
  return readLocalized(path.join(ROOT, 'docs', 'glossary.md'), lang)
}
