/**
 * zod's validation issues in the lab's words: one line per problem, naming the
 * field by its dotted path, what was given, and what is allowed. Pure.
 */
import type { z } from 'zod'
import { distance } from 'fastest-levenshtein'

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

/** A schema's definition, as far as walking it to a field needs (zod 4's `_zod.def`). */
interface Def {
  type: string
  shape?: Record<string, z.ZodType>
  innerType?: z.ZodType
  in?: z.ZodType
  valueType?: z.ZodType
  element?: z.ZodType
  options?: z.ZodType[]
  left?: z.ZodType
  right?: z.ZodType
  getter?: () => z.ZodType
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def

/**
 * The field names an object schema allows at `path` (through optional,
 * default, pipe, record, array, union and intersection wrappers).
 * @returns the names, empty when the path leads to no object schema
 */
export function fieldsAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  const def = defOf(schema)
  const inner = def.innerType ?? def.in ?? (def.type === 'lazy' ? def.getter?.() : undefined)
  if (inner) return fieldsAt(inner, path)
  if (def.type === 'union') return [...new Set((def.options ?? []).flatMap((o) => fieldsAt(o, path)))]
  if (def.type === 'intersection') return [...new Set([def.left, def.right].flatMap((o) => (o ? fieldsAt(o, path) : [])))]
  const [key, ...rest] = path
  if (key === undefined) return def.type === 'object' ? Object.keys(def.shape ?? {}) : []
  if (def.type === 'object') return def.shape?.[String(key)] ? fieldsAt(def.shape[String(key)]!, rest) : []
  if (def.type === 'record' && def.valueType) return fieldsAt(def.valueType, rest)
  if (def.type === 'array' && def.element) return fieldsAt(def.element, rest)
  return []
}

/**
 * The allowed name nearest to a mistyped one, when it is near enough to be
 * the intended one: a Levenshtein distance of at most 2, and less than half
 * the name's length (so `worker` finds `workers`, `x` finds nothing).
 */
export function nearestField(typed: string, allowed: readonly string[]): string | undefined {
  let best: { name: string; d: number } | undefined
  for (const name of allowed) {
    const d = distance(typed.toLowerCase(), name.toLowerCase())
    if (!best || d < best.d) best = { name, d }
  }
  return best && best.d <= 2 && best.d < Math.max(typed.length, 2) / 2 ? best.name : undefined
}

/**
 * Formats zod issues as one line each: `path: value is not allowed; expected ...`.
 * @param input - the value that was validated (to quote the offending value)
 * @param schema - the schema it was validated with: an unknown field then suggests the nearest allowed name
 */
export function formatIssues(input: unknown, issues: readonly z.core.$ZodIssue[], schema?: z.ZodType): string[] {
  const lines: string[] = []
  for (const issue of issues) {
    const path = issue.path.map(String).join('.')
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const at = path ? `${path}.${key}` : key
        const near = schema ? nearestField(key, fieldsAt(schema, issue.path)) : undefined
        lines.push(near ? `${at}: unknown field; did you mean \`${near}\`?` : `${at}: unknown field; check the spelling`)
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

