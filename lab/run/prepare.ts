/**
 * A run's first step: find and load the scenario, apply the `--set`
 * overrides, validate it, choose the topologies and workloads, plan the
 * levels, then detect every real engine the plan needs before anything starts
 * (so a missing one ends the run with its install command, not halfway).
 */
import path from 'node:path'
import { applyOverrides, parseOverride, quickOverrides, type Override } from '../core/overrides.js'
import { makePlan, type Plan } from '../core/plan.js'
import { validateScenario, type Scenario, type TopologyDef } from '../core/scenario.js'
import { EngineMissingError, STACKS, type Stack } from '../engines/types.js'
import type { Lang } from '../core/i18n-lang.js'
import { loadScenarioFile, readHandout, readLocalized, resolveScenario } from '../store/scenarios.js'
import { engineVersions, requireEngines } from '../engines/registry.js'
import type { RunRequest } from './types.js'

/** A scenario ready to run. */
export interface Prepared {
  ok: true
  scenario: Scenario
  plan: Plan
  stack: Stack
  /** The scenario's notes.md (markdown), if any: `notes.<lang>.md` when translated. */
  notes?: string
  /** The scenario's handout.md (markdown, its prediction marker not yet filled), if any. */
  handout?: string
  /** The language the run was asked in (`--lang`), recorded in the document. */
  lang?: Lang
  /** The scenario's folder (relative paths such as `static_dir` start there). */
  dir: string
  /** Topologies left out because an engine they pin is not installed (`id: why`). */
  skipped: string[]
  /** What the lab did with the request that the user should know (e.g. a `--set load.*` applied to the quick run too). */
  notices: string[]
}

/** A request refused before anything started: one line per problem. */
export interface Refused {
  ok: false
  status: 'bad-input' | 'engine-missing'
  problems: string[]
}

const badInput = (problems: string[]): Refused => ({ ok: false, status: 'bad-input', problems })

/**
 * Loads, overrides, validates and plans the request's scenario.
 * @returns the scenario and its plan, or `bad-input` with one line per problem
 *   (unknown scenario, a file that does not load, a bad `--set`, `--stack`,
 *   `--topology` or `--workload`, a scenario or plan out of bounds)
 */
export async function prepare(req: RunRequest): Promise<Prepared | Refused> {
  let resolved: { file: string; folderName: string }
  let raw: unknown
  try {
    // a scenario made in memory has no file: relative paths start at the working folder
    resolved = req.scenario !== undefined ? { file: path.resolve('scenario.ts'), folderName: req.target } : resolveScenario(req.target)
    raw = req.scenario ?? (await loadScenarioFile(resolved.file))
  } catch (err) {
    return badInput([(err as Error).message])
  }
  const problems: string[] = []
  const overrides: Override[] = []
  for (const s of req.set ?? []) {
    const o = parseOverride(s)
    if (o.ok) overrides.push(o.value)
    else problems.push(o.problem)
  }
  const stack = (req.stack ?? 'node') as Stack
  if (!STACKS.includes(stack)) problems.push(`--stack ${req.stack}: unknown; expected one of ${STACKS.join(', ')}`)
  if (problems.length) return badInput(problems)
  const applied = applyOverrides(raw, overrides)
  if (!applied.ok) return badInput(applied.problems)
  let valid = validateScenario(applied.value, resolved.folderName)
  if (!valid.ok) return badInput(valid.problems)
  // under --quick, a --set load.* would be undone by the scenario's quick fields: apply it there too
  // (once the overrides are known to be valid, so a bad value is reported once)
  const mirrored = req.quick ? quickOverrides(raw, overrides) : { overrides, notices: [] }
  if (mirrored.notices.length) {
    const again = applyOverrides(raw, mirrored.overrides)
    if (!again.ok) return badInput(again.problems)
    valid = validateScenario(again.value, resolved.folderName)
    if (!valid.ok) return badInput(valid.problems)
  }
  const optional = req.start || stack !== 'node' || req.topology?.length ? { keep: undefined, skipped: [] } : await withoutMissingPinned(valid.value)
  // topologies left out for a missing engine stay out of a quick run's own choice too
  const quickIds = req.quick ? valid.value.quick?.topologies : undefined
  const keep = optional.keep && quickIds ? optional.keep.filter((id) => quickIds.includes(id)) : optional.keep
  const plan = makePlan(valid.value, { quick: req.quick, topologies: req.topology?.length ? req.topology : keep, workloads: req.workload, ...(req.repeat !== undefined ? { repeat: req.repeat } : {}) })
  if (!plan.ok) return badInput(plan.problems)
  const localized = req.scenario !== undefined ? undefined : readLocalized(path.join(path.dirname(resolved.file), 'notes.md'), req.lang)
  const notes = localized?.text
  const handoutFile = req.scenario !== undefined ? undefined : readHandout(resolved.file, req.lang)
  const handout = handoutFile?.text
  const notices = [...mirrored.notices, ...(localized?.notice ? [localized.notice] : []), ...(handoutFile?.notice ? [handoutFile.notice] : [])]
  return { ok: true, scenario: valid.value, plan: plan.value, stack, ...(notes ? { notes } : {}), ...(handout ? { handout } : {}), ...(req.lang ? { lang: req.lang } : {}), dir: path.dirname(resolved.file), skipped: optional.skipped, notices }
}

/**
 * On `--stack node` without `--topology`: the topologies to run, leaving out
 * those that pin a real engine (`proxy: { engine: 'nginx' }`) that is not
 * installed, so a scenario that compares the built-in proxy with nginx still
 * runs where nginx is missing. When every topology needs a missing engine,
 * none is left out (the run then exits 3 naming it); naming a topology with
 * `--topology`, or `--stack python`, makes its engines required.
 * @returns the ids to keep (undefined: all) and one `id: why` per topology left out
 */
export async function withoutMissingPinned(scenario: Scenario): Promise<{ keep: string[] | undefined; skipped: string[] }> {
  const keep: string[] = []
  const skipped: string[] = []
  for (const [id, def] of Object.entries(scenario.topologies)) {
    try {
      await requireEngines([def], 'node')
      keep.push(id)
    } catch (err) {
      if (err instanceof EngineMissingError) skipped.push(`${id}: ${err.message}`)
      else keep.push(id)
    }
  }
  return keep.length > 0 && skipped.length > 0 ? { keep, skipped } : { keep: undefined, skipped: [] }
}

/**
 * Detects every real engine the topologies need on `stack`.
 * @returns engine name → version, or `engine-missing` (with the install
 *   command in the message) / `bad-input` for any other detection error
 */
export async function detectEngines(defs: readonly TopologyDef[], stack: Stack): Promise<{ ok: true; engines: Record<string, string> } | Refused> {
  try {
    await requireEngines(defs, stack)
    return { ok: true, engines: await engineVersions(defs, stack) }
  } catch (err) {
    return { ok: false, status: err instanceof EngineMissingError ? 'engine-missing' : 'bad-input', problems: [(err as Error).message] }
  }
}
