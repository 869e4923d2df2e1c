/**
 * Finding and loading exercise files (`exercises/<name>/exercise.ts`,
 * docs/exercises.md), imported at run time with tsx like scenario files.
 */
import { existsSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { tsImport } from 'tsx/esm/api'
import type { ExerciseDef } from '../core/exercise.js'
import { ROOT } from '../topology/paths.js'

/** The folder of the built-in exercises. */
export const EXERCISES_DIR = path.join(ROOT, 'exercises')

/** Names of the built-in exercises, in course order (the numeric prefix of exercise.md's `order:` is not used: names sort). */
export function exerciseNames(): string[] {
  if (!existsSync(EXERCISES_DIR)) return []
  return readdirSync(EXERCISES_DIR)
    .filter((n) => existsSync(path.join(EXERCISES_DIR, n, 'exercise.ts')))
    .sort()
}

/**
 * Imports `exercises/<name>/exercise.ts`.
 * @throws Error naming the known exercises when `name` is not one, or when the file does not load
 */
export async function loadExercise(name: string): Promise<ExerciseDef> {
  const known = exerciseNames()
  if (!known.includes(name)) throw new Error(`${name}: no such exercise; expected one of ${known.join(', ')} (see \`lab exercise list\`)`)
  const file = path.join(EXERCISES_DIR, name, 'exercise.ts')
  const mod = (await tsImport(pathToFileURL(file).href, import.meta.url)) as { default?: ExerciseDef }
  if (!mod.default) throw new Error(`${file}: has no default export; expected \`export default defineExercise({...})\``)
  return mod.default
}
