/**
 * The demo's knobs: which fields of a scenario the live page may change, in
 * what ranges, and the validation of a "start a run" request from a browser.
 *
 * A knob is a dotted path into the scenario as written (the same paths as
 * `lab run --set`), so a demo run is a `lab run` with `--set`s and can be
 * reproduced from the command line. Knobs under `load.` apply to `quick.`
 * when the run is quick, because `--quick` takes its load from there.
 *
 * The ranges are the demo's, tighter than the scenario schema's (a classroom
 * machine shared by everyone): workers 1..64, connections 1..1024, an
 * open loop's offered rates 1..5 000 req/s, a level measured at most 60 s,
 * waits at most 5 000 ms. A request passes them, then
 * the scenario schema itself (`validateScenario`), then the plan's bounds.
 *
 * Pure: no I/O.
 */
import { z } from 'zod'
import type { Override } from './overrides.js'
import { applyOverrides } from './overrides.js'
import { makePlan, type Plan } from './plan.js'
import { effectiveLoad, formatIssues, validateScenario, type Scenario } from './scenario.js'

/** The demo's bounds (issue 7, "Safety"). */
export const DEMO_LIMITS = {
  workers: { min: 1, max: 64 },
  connections: { min: 1, max: 1024 },
  /**
   * An open loop's offered rates, req/s: the top keeps a level's requests
   * (5 000 × 60 s = 300 000) far below the driver's bound (lab/load/open-loop.ts)
   * and under what `npm run bench` shows the driver keeps up with on a small machine.
   */
  rates: { min: 1, max: 5000 },
  /** Offered rates in one open-loop ladder (open-vs-closed's full ladder has 8: the bend needs points on both sides). */
  rateLevels: { min: 1, max: 8 },
  /** Connection counts (or offered rates) in one ladder. */
  levels: { min: 1, max: 6 },
  io_ms: { min: 0, max: 5000 },
  cpu_ms: { min: 0, max: 1000 },
  bytes: { min: 0, max: 1_048_576 },
  warmup_s: { min: 0, max: 10 },
  duration_s: { min: 0.5, max: 60 },
  /** The whole run's load time (levels × (warm-up + duration)), in seconds. */
  estimatedS: { max: 600 },
} as const

/** A knob the live page shows as a slider or an input. */
export interface Knob {
  /** Dotted path in the scenario, e.g. `topologies.prefork.server.workers`. */
  id: string
  /** What the page writes beside it, e.g. `prefork workers`. */
  label: string
  /** The topology or workload it belongs to, or `load`. */
  group: string
  kind: 'int' | 'number' | 'int-list'
  min: number
  max: number
  step: number
  /** The unit shown beside the value: `workers`, `ms`, `s`, `bytes`, `connections`. */
  unit: string
  /** Default of a full run. */
  value: number | number[]
  /** Default of a quick run. */
  quickValue: number | number[]
  /** For `int-list`: at most this many values. */
  maxItems?: number
  /** One line: what turning it does. */
  help: string
}

/** Knobs of a validated scenario, grouped: topologies, then workloads, then load. */
export function knobsFor(scenario: Scenario): Knob[] {
  const knobs: Knob[] = []
  for (const [id, t] of Object.entries(scenario.topologies)) {
    if (t.server.model !== 'prefork') continue
    const { min, max } = DEMO_LIMITS.workers
    knobs.push({
      id: `topologies.${id}.server.workers`,
      label: `${id} workers`,
      group: id,
      kind: 'int',
      min,
      max,
      step: 1,
      unit: 'workers',
      value: t.server.workers,
      quickValue: t.server.workers,
      help: 'Pre-forked worker processes; each serves one request at a time.',
    })
  }
  for (const [id, w] of Object.entries(scenario.workloads)) {
    const field = (name: 'io_ms' | 'cpu_ms' | 'bytes', label: string, unit: string, step: number, help: string): Knob => ({
      id: `workloads.${id}.${name}`,
      label: `${id} ${label}`,
      group: id,
      kind: 'int',
      min: DEMO_LIMITS[name].min,
      max: DEMO_LIMITS[name].max,
      step,
      unit,
      value: w[name],
      quickValue: w[name],
      help,
    })
    knobs.push(
      field('io_ms', 'wait', 'ms', 5, 'Simulated database call: blocks a sync worker, yields in an event loop.'),
      field('cpu_ms', 'CPU', 'ms', 1, 'CPU time burnt per request, after the wait.'),
      field('bytes', 'response', 'bytes', 256, 'Response body size.'),
    )
  }
  const quick = { ...scenario.load, ...Object.fromEntries(Object.entries(scenario.quick ?? {}).filter(([, v]) => v !== undefined)) }
  knobs.push(...rateKnobs(scenario))
  knobs.push(
    {
      id: 'load.connections',
      label: 'connections',
      group: 'load',
      kind: 'int-list',
      min: DEMO_LIMITS.connections.min,
      max: DEMO_LIMITS.connections.max,
      step: 1,
      unit: 'connections',
      value: scenario.load.connections,
      quickValue: quick.connections,
      maxItems: DEMO_LIMITS.levels.max,
      help: 'The ladder: concurrent connections of each level, each sending its next request when the answer arrives.',
    },
    {
      id: 'load.warmup_s',
      label: 'warm-up',
      group: 'load',
      kind: 'number',
      min: DEMO_LIMITS.warmup_s.min,
      max: DEMO_LIMITS.warmup_s.max,
      step: 0.5,
      unit: 's',
      value: scenario.load.warmup_s,
      quickValue: quick.warmup_s,
      help: 'Seconds discarded before each level is measured (longer when every connection has not answered yet).',
    },
    {
      id: 'load.duration_s',
      label: 'measured',
      group: 'load',
      kind: 'number',
      min: DEMO_LIMITS.duration_s.min,
      max: DEMO_LIMITS.duration_s.max,
      step: 0.5,
      unit: 's',
      value: scenario.load.duration_s,
      quickValue: quick.duration_s,
      help: 'Seconds measured at each level.',
    },
  )
  return knobs
}

/**
 * The offered-rate knobs of a scenario's open loops (docs/open-loop.md): one
 * `load.rates` when the scenario's own load is open, one
 * `topologies.<id>.load.rates` for each topology whose own `load` makes it open.
 */
function rateKnobs(scenario: Scenario): Knob[] {
  const knob = (id: string, group: string, value: number[] | undefined, quickValue: number[] | undefined): Knob => ({
    id,
    label: `${group === 'load' ? '' : `${group} `}offered rates`,
    group,
    kind: 'int-list',
    min: DEMO_LIMITS.rates.min,
    max: DEMO_LIMITS.rates.max,
    step: 1,
    unit: 'req/s',
    value: value ?? [],
    quickValue: quickValue ?? value ?? [],
    maxItems: DEMO_LIMITS.rateLevels.max,
    help: 'The open loop: requests offered per second at each level, sent on schedule whether or not earlier answers are back.',
  })
  const out: Knob[] = []
  if (scenario.load.mode === 'open') out.push(knob('load.rates', 'load', scenario.load.rates, effectiveLoad({ ...scenario, topologies: {} }, '', true).rates))
  for (const [id, t] of Object.entries(scenario.topologies)) {
    if (!t.load || effectiveLoad(scenario, id, false).mode !== 'open') continue
    out.push(knob(`topologies.${id}.load.rates`, id, effectiveLoad(scenario, id, false).rates, effectiveLoad(scenario, id, true).rates))
  }
  return out
}

/** A problem with a start request: the field it concerns (a knob id, or a request field) and a one-line message. */
export interface FieldProblem {
  field: string
  message: string
}

/** What a browser sends to start a run. */
export interface StartRequest {
  scenario: string
  quick?: boolean
  stack?: string
  /** Run only these topologies (all when absent or empty). */
  topologies?: string[]
  /** Run only these workloads (all when absent or empty). */
  workloads?: string[]
  /** Knob values by knob id. */
  knobs?: Record<string, number | number[]>
  /** Step mode: hold after each level until Next (lab/run/gate.ts); default false. */
  step?: boolean
}

/** A start request that passed every check: what to hand to the run engine (`runScenario`). */
export interface ValidStart {
  scenario: string
  quick: boolean
  stack: string
  topologies: string[]
  workloads: string[]
  /** `--set` arguments, `path=JSON`, in knob order. */
  set: string[]
  /** Step mode: hold after each level until Next. */
  step: boolean
  /** The scenario after the knobs, validated. */
  resolved: Scenario
  plan: Plan
}

const nameList = z.array(z.string({ error: 'a list of ids' }).max(100), { error: 'a list of ids' }).max(32, { error: 'at most 32 ids' })

const requestSchema = z.strictObject({
  scenario: z.string({ error: 'a scenario name from the catalogue' }).max(100),
  quick: z.boolean({ error: 'true or false' }).optional(),
  stack: z.string({ error: 'a stack name' }).max(20).optional(),
  topologies: nameList.optional(),
  workloads: nameList.optional(),
  knobs: z.record(z.string().max(200), z.unknown(), { error: 'an object of knob values by knob id' }).optional(),
  step: z.boolean({ error: 'true or false' }).optional(),
})

function knobSchema(k: Knob): z.ZodType {
  const what = k.kind === 'number' ? 'a number' : 'an integer'
  const unit = k.unit === 'workers' || k.unit === 'connections' ? '' : ` ${k.unit}`
  const expected = `${what} ${k.min}..${k.max}${unit}`
  let n = z.number({ error: expected }).min(k.min, { error: expected }).max(k.max, { error: expected })
  if (k.kind !== 'number') n = n.int({ error: expected })
  if (k.kind !== 'int-list') return n
  const max = k.maxItems ?? DEMO_LIMITS.levels.max
  const list = `a list of 1..${max} ${k.unit === 'req/s' ? 'offered rates' : 'connection counts'}, each ${k.min}..${k.max}${k.unit === 'req/s' ? ' req/s' : ''}`
  return z.array(n, { error: list }).min(1, { error: list }).max(max, { error: list })
}

/** `load.x` → `quick.x` and `topologies.<id>.load.x` → `topologies.<id>.quick.x` for a quick run; other paths unchanged. */
function targetPath(id: string, quick: boolean): string {
  if (!quick) return id
  return id.startsWith('load.') ? `quick.${id.slice('load.'.length)}` : id.replace(/^(topologies\.[^.]+\.)load\./, '$1quick.')
}

/**
 * Checks a start request from the browser against the catalogue and the demo's
 * bounds, then the scenario schema and the plan.
 * @param body - the parsed JSON body (untrusted)
 * @param catalogue - validated scenarios by name (the built-in ones, as written in scenarios/)
 * @param raw - the scenarios as written (before defaults), by name, to apply the knobs to
 * @param stacks - the stacks the lab knows
 * @returns what to run, or one problem per bad field, naming it
 */
export function validateStart(
  body: unknown,
  catalogue: ReadonlyMap<string, { raw: unknown; scenario: Scenario }>,
  stacks: readonly string[],
): { ok: true; value: ValidStart } | { ok: false; problems: FieldProblem[] } {
  const parsed = requestSchema.safeParse(body)
  if (!parsed.success) {
    return {
      ok: false,
      problems: formatIssues(body, parsed.error.issues, requestSchema).map((message) => ({ field: message.slice(0, message.indexOf(':')) || '(request)', message })),
    }
  }
  const req = parsed.data
  const entry = catalogue.get(req.scenario)
  if (!entry) {
    return {
      ok: false,
      problems: [{ field: 'scenario', message: `scenario: ${JSON.stringify(req.scenario).slice(0, 60)} is not in the catalogue; expected one of ${[...catalogue.keys()].join(', ')}` }],
    }
  }
  const problems: FieldProblem[] = []
  const quick = req.quick ?? true
  const stack = req.stack ?? 'node'
  if (!stacks.includes(stack)) problems.push({ field: 'stack', message: `stack: ${JSON.stringify(stack)} is not allowed; expected one of ${stacks.join(', ')}` })
  const pick = (field: 'topologies' | 'workloads', known: string[]) => {
    const wanted = req[field] ?? []
    for (const w of wanted) if (!known.includes(w)) problems.push({ field, message: `${field}: ${JSON.stringify(w).slice(0, 60)} is not in this scenario; expected some of ${known.join(', ')}` })
    return known.filter((k) => wanted.length === 0 || wanted.includes(k))
  }
  const topologies = pick('topologies', Object.keys(entry.scenario.topologies))
  const workloads = pick('workloads', Object.keys(entry.scenario.workloads))

  const knobs = new Map(knobsFor(entry.scenario).map((k) => [k.id, k]))
  const overrides: Override[] = []
  for (const [id, value] of Object.entries(req.knobs ?? {})) {
    const knob = knobs.get(id)
    if (!knob) {
      problems.push({ field: id, message: `${id.slice(0, 80)}: unknown knob; expected one of ${[...knobs.keys()].join(', ')}` })
      continue
    }
    const checked = knobSchema(knob).safeParse(value)
    if (!checked.success) {
      for (const line of formatIssues({ [id]: value }, checked.error.issues.map((i) => ({ ...i, path: [id, ...i.path] })))) {
        problems.push({ field: id, message: `${line} (demo limit)` })
      }
      continue
    }
    const path = targetPath(id, quick)
    overrides.push({ path: path.split('.'), value: checked.data, raw: `${path}=${JSON.stringify(checked.data)}` })
  }
  if (problems.length) return { ok: false, problems }

  const applied = applyOverrides(entry.raw, overrides)
  if (!applied.ok) return { ok: false, problems: applied.problems.map((message) => ({ field: 'knobs', message })) }
  const valid = validateScenario(applied.value, req.scenario)
  if (!valid.ok) {
    // a knob under load. was applied to quick.: name the knob
    const field = (message: string) => {
      const f = message.slice(0, Math.max(0, message.indexOf(':')))
      return quick ? f.replace(/^quick\./, 'load.').replace(/^(topologies\.[^.]+\.)quick\./, '$1load.') : f
    }
    return { ok: false, problems: valid.problems.map((message) => ({ field: field(message), message })) }
  }
  const plan = makePlan(valid.value, { quick, topologies, workloads })
  if (!plan.ok) return { ok: false, problems: plan.problems.map((message) => ({ field: 'plan', message })) }
  problems.push(...planProblems(plan.value))
  if (problems.length) return { ok: false, problems }
  return {
    ok: true,
    value: { scenario: req.scenario, quick, stack, step: req.step ?? false, topologies, workloads, set: overrides.map((o) => o.raw), resolved: valid.value, plan: plan.value },
  }
}

/**
 * The demo's bounds on what will actually run (knobs or not): a scenario's own
 * values may exceed them, e.g. a full-length load of 120 s per level.
 */
export function planProblems(plan: Plan): FieldProblem[] {
  const out: FieldProblem[] = []
  const over = (field: string, value: number, limit: { min?: number; max: number }, unit = '') => {
    if (value > limit.max || (limit.min !== undefined && value < limit.min)) {
      out.push({ field, message: `${field}: ${value} is not allowed in the demo; expected ${limit.min ?? 0}..${limit.max}${unit}` })
    }
  }
  for (const t of plan.topologies) if (t.def.server.model === 'prefork') over(`topologies.${t.id}.server.workers`, t.def.server.workers, DEMO_LIMITS.workers)
  for (const [id, w] of Object.entries(plan.workloads)) {
    over(`workloads.${id}.io_ms`, w.io_ms, DEMO_LIMITS.io_ms, ' ms')
    over(`workloads.${id}.cpu_ms`, w.cpu_ms, DEMO_LIMITS.cpu_ms, ' ms')
    over(`workloads.${id}.bytes`, w.bytes, DEMO_LIMITS.bytes, ' bytes')
  }
  for (const c of plan.load.connections) over('load.connections', c, DEMO_LIMITS.connections)
  for (const t of plan.topologies) {
    if (t.load.mode !== 'open') continue
    const field = t.def.load ? `topologies.${t.id}.load.rates` : 'load.rates'
    for (const r of t.load.rates ?? []) over(field, r, DEMO_LIMITS.rates, ' req/s')
    if ((t.load.rates?.length ?? 0) > DEMO_LIMITS.rateLevels.max) {
      out.push({ field, message: `${field}: ${t.load.rates?.length} levels are too many for the demo; expected at most ${DEMO_LIMITS.rateLevels.max}` })
    }
  }
  if (plan.load.connections.length > DEMO_LIMITS.levels.max) {
    out.push({ field: 'load.connections', message: `load.connections: ${plan.load.connections.length} levels are too many for the demo; expected at most ${DEMO_LIMITS.levels.max}` })
  }
  over('load.warmup_s', plan.load.warmup_s, DEMO_LIMITS.warmup_s, ' s')
  over('load.duration_s', plan.load.duration_s, DEMO_LIMITS.duration_s, ' s')
  if (plan.estimatedS > DEMO_LIMITS.estimatedS.max) {
    out.push({
      field: 'load',
      message: `load: the run would take at least ${Math.round(plan.estimatedS)} s; the demo allows ${DEMO_LIMITS.estimatedS.max} s (fewer levels, topologies or workloads, or a shorter duration)`,
    })
  }
  return out
}
