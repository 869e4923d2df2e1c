/**
 * `--set path=value` overrides (docs/scenario-format.md, "--set overrides"): applied to the
 * scenario as written, before validation, so the validator judges the result.
 *
 * Pure: no I/O.
 */

/** One parsed `--set`: the dotted path split into keys, and the value. */
export interface Override {
  path: string[]
  value: unknown
  /** The argument as given, for messages. */
  raw: string
}

/**
 * Parses `path=value`. The value is read as JSON when it parses as JSON
 * (`8`, `true`, `[64]`, `{"io_ms": 5}`), otherwise kept as a string.
 * @returns the override, or a one-line problem
 */
export function parseOverride(raw: string): { ok: true; value: Override } | { ok: false; problem: string } {
  const eq = raw.indexOf('=')
  if (eq <= 0) return { ok: false, problem: `--set ${raw}: expected path=value, e.g. --set topologies.prefork.server.workers=8` }
  const path = raw.slice(0, eq).split('.')
  if (path.some((k) => k.length === 0)) {
    return { ok: false, problem: `--set ${raw}: the path has an empty part; expected keys joined by dots` }
  }
  const text = raw.slice(eq + 1)
  let value: unknown = text
  try {
    value = JSON.parse(text)
  } catch {
    // not JSON: keep the string
  }
  return { ok: true, value: { path, value, raw } }
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object'

/**
 * Applies overrides to a deep copy of `input`, creating missing objects on the
 * way. Array elements are addressed by index (`load.connections.0=4`).
 * @returns the new object, or one problem per override that cannot apply
 */
export function applyOverrides(
  input: unknown,
  overrides: readonly Override[],
): { ok: true; value: unknown } | { ok: false; problems: string[] } {
  const root: unknown = structuredClone(input)
  const problems: string[] = []
  for (const o of overrides) {
    let node: unknown = root
    let failed = false
    for (let i = 0; i < o.path.length - 1; i++) {
      const key = o.path[i] as string
      if (!isObject(node)) {
        failed = true
        break
      }
      if (node[key] === undefined) node[key] = {}
      node = node[key]
    }
    const last = o.path[o.path.length - 1] as string
    if (failed || !isObject(node)) {
      problems.push(`--set ${o.raw}: ${o.path.slice(0, -1).join('.')} is not an object, so it has no field ${last}`)
      continue
    }
    node[last] = o.value
  }
  return problems.length ? { ok: false, problems } : { ok: true, value: root }
}

/**
 * Under `--quick`, the scenario's `quick` fields replace those of `load`, so a
 * `--set load.<field>=…` would be silently undone. This makes such an
 * override apply to the quick run too: where the scenario's `quick` (or a
 * topology's) sets that field, it adds `quick.<field>` (or
 * `topologies.<id>.quick.<field>`) after it, and says so in a notice.
 * @param scenario - the scenario as written (before overrides)
 * @returns the overrides to apply, in order, and one notice per mirrored `--set`
 */
export function quickOverrides(scenario: unknown, overrides: readonly Override[]): { overrides: Override[]; notices: string[] } {
  const out: Override[] = []
  const notices: string[] = []
  const topologies = isObject(scenario) && isObject(scenario.topologies) ? scenario.topologies : {}
  for (const o of overrides) {
    out.push(o)
    const [head, field, ...rest] = o.path
    if (head !== 'load' || field === undefined || field === 'repeat') continue
    const also: string[][] = isObject(scenario) && isObject(scenario.quick) && field in scenario.quick ? [['quick', field, ...rest]] : []
    for (const [id, def] of Object.entries(topologies)) {
      if (isObject(def) && isObject(def.quick) && field in def.quick) also.push(['topologies', id, 'quick', field, ...rest])
    }
    if (also.length === 0) continue
    for (const path of also) out.push({ path, value: o.value, raw: `${path.join('.')}=${JSON.stringify(o.value)}` })
    notices.push(`--set ${o.raw} applies to the quick run too (as ${also.map((p) => p.join('.')).join(', ')})`)
  }
  return { overrides: out, notices }
}
