/**
 * Scenario definitions: the schema every `scenarios/<name>/scenario.ts` follows
 * (design.md, "Scenario files"), and their validation.
 *
 * Pure: no I/O. Validation returns one line per problem, naming the path, the
 * value and what is allowed, e.g.
 * `topologies.prefork.server.workers: -1 is not allowed; expected an integer 1..64`.
 */
import { z } from 'zod'

const intIn = (min: number, max: number, unit = '') => {
  const expected = `an integer ${min}..${max}${unit}`
  return z
    .number({ error: expected })
    .int({ error: expected })
    .min(min, { error: expected })
    .max(max, { error: expected })
}
const numIn = (min: number, max: number, unit = '') => {
  const expected = `a number ${min}..${max}${unit}`
  return z.number({ error: expected }).min(min, { error: expected }).max(max, { error: expected })
}
const bool = () => z.boolean({ error: 'true or false' })

/**
 * A server in a topology. `model` picks the architecture; `engine` (optional)
 * pins an implementation (`node-prefork`, `node-event-loop`, `gunicorn`,
 * `uvicorn`); `--stack python` maps every model to its real engine.
 * Defaults follow Gunicorn's documented ones where a default exists:
 * `timeout_s` 30 (Gunicorn `--timeout`), `backlog` 2048 (Gunicorn `--backlog`).
 */
export const serverSchema = z.strictObject({
  model: z.enum(['prefork', 'event-loop'], { error: "'prefork' or 'event-loop'" }),
  engine: z
    .enum(['node-prefork', 'node-event-loop', 'gunicorn', 'uvicorn'], { error: "'node-prefork', 'node-event-loop', 'gunicorn' or 'uvicorn'" })
    .optional(),
  /** Threads per worker (Gunicorn `--threads`; > 1 runs the gthread worker, as Gunicorn does). Real engines only. */
  threads: intIn(1, 256).optional(),
  /** Requests a worker serves before it is replaced (Gunicorn `--max-requests`; default 0 = never). Real engines only. */
  max_requests: intIn(0, 10_000_000).optional(),
  /** Random 0..N extra requests per worker, so workers do not recycle together (Gunicorn `--max-requests-jitter`). */
  max_requests_jitter: intIn(0, 10_000_000).optional(),
  /** Seconds an idle keep-alive connection is held (Gunicorn `--keep-alive` 2, ignored by sync; Uvicorn `--timeout-keep-alive` 5). */
  keep_alive_s: intIn(0, 3600, ' s').optional(),
  /** The Python app on real engines: plain WSGI (default) or Flask. */
  app: z.enum(['wsgi', 'flask'], { error: "'wsgi' or 'flask'" }).optional(),
  /** Pre-forked worker processes (prefork only). Gunicorn's default is 1; the lab's is 4. */
  workers: intIn(1, 64).default(4),
  /** Seconds a worker may stay busy on one request before the master kills and replaces it. */
  timeout_s: numIn(1, 3600, ' s').default(30),
  /** Length of the kernel's accept queue (listen backlog), capped by net.core.somaxconn. */
  backlog: intIn(1, 65535).default(2048),
  /** Keep connections open between requests (prefork default false, like Gunicorn sync; event loop true). */
  keepAlive: bool().optional(),
  /** Event loop: requests in progress beyond which it answers 503 at once (Uvicorn `--limit-concurrency`; none by default). */
  limit_concurrency: intIn(1, 100_000).optional(),
}).superRefine((s, ctx) => {
  const ok = { prefork: ['node-prefork', 'gunicorn'], 'event-loop': ['node-event-loop', 'uvicorn'] }[s.model]
  if (s.engine !== undefined && !ok.includes(s.engine)) {
    ctx.addIssue({ code: 'custom', path: ['engine'], message: `an engine that runs model ${s.model}: ${ok.join(' or ')}` })
  }
})

/** A topology: for now one server; the proxy issue adds `proxy`. */
export const topologySchema = z.strictObject({ server: serverSchema })

/** What every request of a workload asks the server to do (design.md, "The workload contract"). */
export const workloadSchema = z.strictObject({
  /** Milliseconds of waiting (a simulated database call): blocks a sync worker, yields in an event loop. */
  io_ms: intIn(0, 60_000, ' ms').default(0),
  /** Milliseconds of CPU time burnt after the wait. */
  cpu_ms: intIn(0, 10_000, ' ms').default(0),
  /** Response body size in bytes. */
  bytes: intIn(0, 10_000_000, ' bytes').default(1024),
  /** Percent of requests on which the worker process dies before answering (fault injection). */
  crash_pct: numIn(0, 100, ' %').default(0),
  /** Percent of requests that hang and never answer (a worker is freed only when the master kills it). */
  hang_pct: numIn(0, 100, ' %').default(0),
  /** Server-sent event streams held open beside the load, each on its own connection (`GET /stream`). */
  streams: z
    .strictObject({
      count: intIn(1, 1000),
      /** Milliseconds between two events of a stream. */
      interval_ms: intIn(10, 60_000, ' ms').default(1000),
    })
    .optional(),
})

const connectionsSchema = z
  .array(intIn(1, 4096), { error: 'a list of connection counts, e.g. [1, 16, 128]' })
  .min(1, { error: 'a non-empty list of connection counts, e.g. [1, 16, 128]' })

/** The closed-loop load: a ladder of connection counts, each level warmed up then measured. */
export const loadSchema = z.strictObject({
  connections: connectionsSchema,
  /** Minimum seconds of discarded warm-up before each measured level. */
  warmup_s: numIn(0, 60, ' s').default(1),
  /** Seconds measured at each level. */
  duration_s: numIn(0.5, 600, ' s').default(3),
  /** How many times each level is measured. */
  repeat: intIn(1, 20).default(1),
  /** Seconds before a request counts as timed out (autocannon `timeout`). */
  timeout_s: numIn(1, 600, ' s').default(10),
  /** A probe beside the load: one connection repeating `GET <path>`, its latency recorded apart (e.g. a health check). */
  probe: z.strictObject({ path: z.string().regex(/^\/[\w\-./?=&%]*$/, { error: 'a path starting with /' }).default('/health') }).optional(),
})

const name = z
  .string({ error: 'a kebab-case name' })
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { error: 'a kebab-case name (a-z, 0-9, -)' })

/** A whole scenario, as written in scenario.ts. */
export const scenarioSchema = z.strictObject({
  name,
  title: z.string({ error: 'a one-line title' }).min(1, { error: 'a one-line title' }),
  summary: z.string({ error: 'a one-line summary' }).min(1, { error: 'a one-line summary' }),
  topologies: z
    .record(name, topologySchema, { error: 'an object of topologies by id' })
    .refine((t) => Object.keys(t).length > 0, { error: 'at least one topology' }),
  workloads: z
    .record(name, workloadSchema, { error: 'an object of workloads by id' })
    .refine((w) => Object.keys(w).length > 0, { error: 'at least one workload' }),
  load: loadSchema,
  /** Overrides of `load` used by `--quick`. */
  quick: loadSchema.partial().optional(),
})

/** A scenario as written (defaults not yet applied). */
export type ScenarioInput = z.input<typeof scenarioSchema>
/** A validated scenario with every default applied. */
export type Scenario = z.output<typeof scenarioSchema>
export type ServerDef = z.output<typeof serverSchema>
export type TopologyDef = z.output<typeof topologySchema>
export type Workload = z.output<typeof workloadSchema>
export type LoadDef = z.output<typeof loadSchema>

/**
 * Marks a scenario file's default export; returns its argument unchanged so
 * the file stays plain data with type checking.
 */
export function defineScenario(input: ScenarioInput): ScenarioInput {
  return input
}

/** Result of {@link validateScenario}. */
export type Validated<T> = { ok: true; value: T } | { ok: false; problems: string[] }

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined
    v = (v as Record<PropertyKey, unknown>)[key]
  }
  return v
}

function show(value: unknown): string {
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

/**
 * Validates a scenario and applies its defaults.
 * @param input - the scenario file's default export, after `--set` overrides
 * @param folderName - when given, the scenario's `name` must equal it
 * @returns the scenario, or the problems (one line each)
 */
export function validateScenario(input: unknown, folderName?: string): Validated<Scenario> {
  const parsed = scenarioSchema.safeParse(input)
  if (!parsed.success) return { ok: false, problems: formatIssues(input, parsed.error.issues) }
  if (folderName !== undefined && parsed.data.name !== folderName) {
    return {
      ok: false,
      problems: [`name: ${show(parsed.data.name)} is not allowed; expected the folder's name ${show(folderName)}`],
    }
  }
  return { ok: true, value: parsed.data }
}
