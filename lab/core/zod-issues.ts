/**
 * zod's validation issues in the lab's words: one line per problem, naming the
 * field by its dotted path, what was given, and what is allowed. Pure.
 */
import type { z } from 'zod'

/** Result of a validation (e.g. lab/core/scenario.ts `validateScenario`). */
export type Validated<T> = { ok: true; value: T } | { ok: false; problems: string[] }

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined
    v = (v as Record<PropertyKey, unknown>)[key]
  }
  return v
}

/** A value as a problem line shows it (JSON, shortened). */
export function show(value: unknown): string {
  if (value === undefined) return 'missing'
  const s = JSON.stringify(value)
  return s.length > 60 ? `${s.slice(0, 57)}...` : s
}

/**
 * Formats zod issues as one line each: `path: value is not allowed; expected ...`.
 * @param input - the value that was validated (to quote the offending value)
 */
export function formatIssues(input: unknown, issues: readonly z.core.$ZodIssue[]): string[] {
  const lines: string[] = []
  for (const issue of issues) {
    const path = issue.path.map(String).join('.')
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const at = path ? `${path}.${key}` : key
        lines.push(`${at}: unknown field; check the spelling`)
      }
      continue
    }
    const value = valueAt(input, issue.path)
    const where = path || '(scenario)'
    if (value === undefined) lines.push(`${where}: missing; expected ${issue.message}`)
    else lines.push(`${where}: ${show(value)} is not allowed; expected ${issue.message}`)
  }
  return lines
}

