/**
 * Scenario definitions: the schema every `scenarios/<name>/scenario.ts` follows
 * (docs/scenario-format.md), and their validation.
 *
 * Pure: no I/O. Validation returns one line per problem, naming the path, the
 * value and what is allowed, e.g.
 * `topologies.prefork.server.workers: -1 is not allowed; expected an integer 1..64`.
 */
import { z } from 'zod'
import { BOUNDS } from '../contract/workload.js'
import { bool, intIn, numIn, param, pathEntryFields, pathEntryIssues, staticName } from './schema-fields.js'
import { clientId } from './operations-schema.js'
import { formatIssues, show, type Validated } from './zod-issues.js'
import { lessonProblems, lessonSchema } from './lesson.js'


export { proxySchema, serverSchema } from './topology-schema.js'
import { proxySchema, serverSchema } from './topology-schema.js'
import { slowClientsSchema } from './slow-clients-schema.js'

/**
 * Up to 10,000 connections: the event loop's point is that it holds ten
 * thousand (D. Kegel, "The C10K problem", 1999). Each takes a file
 * descriptor in the lab and one in the server: the run checks the
 * open-file limit (`RLIMIT_NOFILE`) first (lab/run/limits.ts).
 */
const connectionsSchema = z
  .array(intIn(1, 10_000), { error: 'a list of connection counts, e.g. [1, 16, 128]' })
  .min(1, { error: 'a non-empty list of connection counts, e.g. [1, 16, 128]' })

/**
 * The open-loop fields of a load (docs/open-loop.md), without defaults so a
 * `quick` or a topology's `load` overrides only what it names; the defaults
 * (`closed`, `poisson`, 256 connections) are applied by {@link effectiveLoad}.
 */
const openFields = {
  /** `closed` (default): each connection waits for its answer; `open`: requests arrive at `rates`, whatever the server does. */
  mode: z.enum(['closed', 'open'], { error: "'closed' or 'open'" }).optional(),
  /** Open loop: a ladder of offered rates, req/s (like `connections` for the closed loop). */
  rates: z
    .array(numIn(0.1, 100_000, ' req/s'), { error: 'a list of offered rates in req/s, e.g. [20, 60, 100]' })
    .min(1, { error: 'a non-empty list of offered rates in req/s, e.g. [20, 60, 100]' })
    .optional(),
  /** Open loop: `poisson` (default; exponential gaps) or `constant` (equal gaps). */
  arrival: z.enum(['poisson', 'constant'], { error: "'poisson' or 'constant'" }).optional(),
  /** Open loop: the client's pool bound; an arrival finding every connection busy is dropped (default 256). */
  max_connections: intIn(1, 4096).optional(),
}

/** A topology's own load (`topologies.<id>.load`, `.quick`): replaces those fields of the scenario's `load` for that topology. */
export const loadOverrideSchema = z.strictObject({ connections: connectionsSchema.optional(), ...openFields })

/**
 * A deploy during each level, `at_s` seconds after the level's load starts
 * (warm-up included): `restart` stops the server (SIGTERM, SIGKILL after 3 s)
 * and starts it again on the same port, so connections are refused in the gap;
 * `hup` sends SIGHUP to the master, Gunicorn's graceful reload (new workers
 * start, the old ones finish their requests, then exit; Gunicorn 20.1
 * docs/source/signals.rst); `usr2` is Gunicorn's binary upgrade (`USR2`, a
 * new master beside the old, then `TERM` to the old master;
 * lab/engines/upgrade.ts); `proxy-reload` sends SIGHUP to the proxy's master
 * (`nginx -s reload`: new workers with the configuration read again, the old
 * ones finish their requests; nginx 1.22 docs, "Controlling nginx").
 * Marked `deploy` on the timeline.
 */
export const deploySchema = z.strictObject({
  at_s: numIn(0, 600, ' s'),
  how: z.enum(['restart', 'hup', 'usr2', 'proxy-reload'], { error: "'restart', 'hup', 'usr2' or 'proxy-reload'" }),
})

/**
 * A topology: a server, optionally `upstreams` instances of it (default 1),
 * optionally a proxy in front. Several instances need a proxy to share the load.
 */
export const topologySchema = z
  .strictObject({
    server: serverSchema,
    proxy: proxySchema.optional(),
    /** Server instances behind the proxy, each with its own master and workers. */
    upstreams: intIn(1, 16).optional(),
    /** A new version deployed during every level (scenarios/graceful-reload): see {@link deploySchema}. */
    deploy: deploySchema.optional(),
    /** This topology's own load fields (e.g. `{ mode: 'open' }`), over the scenario's `load`. */
    load: loadOverrideSchema.optional(),
    /** This topology's own `--quick` fields, over everything else. */
    quick: loadOverrideSchema.optional(),
    /** The workloads this topology measures (default: all); e.g. a baseline measured with one workload only (scenarios/rate-limiting). */
    workloads: z.array(z.string({ error: 'a workload id' }), { error: 'a list of workload ids' }).min(1, { error: 'a non-empty list of workload ids' }).optional(),
  })
  .superRefine((t, ctx) => {
    if ((t.upstreams ?? 1) > 1 && !t.proxy) {
      ctx.addIssue({ code: 'custom', path: ['upstreams'], message: '1 without a proxy (several server instances need a proxy in front to share the load)' })
    }
  })

export { slowClientsSchema, type SlowClientsDef } from './slow-clients-schema.js'

/** One kind of request in a workload's `mix`: a `/work` request (missing fields from the workload) or a static file. */
export const mixEntrySchema = z
  .strictObject({
    /** Relative share of the requests (an integer). */
    weight: intIn(1, 1000).default(1),
    io_ms: param('io_ms').optional(),
    cpu_ms: param('cpu_ms').optional(),
    bytes: param('bytes').optional(),
    /** A file in the static folder, requested as `GET /static/<file>`. */
    static: staticName().optional(),
    ...pathEntryFields,
    /** Name in per-kind results (default: `io_ms=10`, `static:<file>`). */
    label: z.string({ error: 'a short label' }).min(1, { error: 'a short label' }).max(40, { error: 'a label of at most 40 characters' }).optional(),
    /** Who sends it: `&client=<id>` on the path, the key of a proxy's `limit_req` (lab/core/operations-schema.ts). */ client: clientId().optional(),
  })
  .superRefine((e, ctx) => {
    if (e.static !== undefined && (e.io_ms !== undefined || e.cpu_ms !== undefined || e.bytes !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['static'], message: 'either static (a file) or io_ms/cpu_ms/bytes (a /work request), not both' })
    }
    for (const issue of pathEntryIssues(e)) ctx.addIssue({ code: 'custom', ...issue })
  })

/** What every request of a workload asks the server to do (docs/workload-contract.md; bounds in lab/contract/bounds.json). */
export const workloadSchema = z.strictObject({
  /** Milliseconds of waiting (a simulated database call): blocks a sync worker, yields in an event loop. */
  io_ms: param('io_ms').default(BOUNDS.io_ms.default),
  /** Milliseconds of CPU time burnt after the wait. */
  cpu_ms: param('cpu_ms').default(BOUNDS.cpu_ms.default),
  /** Response body size in bytes. */
  bytes: param('bytes').default(BOUNDS.bytes.default),
  /** Percent of requests on which the worker process dies before answering (fault injection). */
  crash_pct: param('crash_pct').default(BOUNDS.crash_pct.default),
  /** Percent of requests that hang and never answer (a worker is freed only when the master kills it). */
  hang_pct: param('hang_pct').default(BOUNDS.hang_pct.default),
  /** KiB each request leaks: the worker keeps it until it exits (built-in servers and the Python apps; scenarios/worker-recycling). */
  leak_kb: param('leak_kb').default(BOUNDS.leak_kb.default),
  /** Server-sent event streams held open beside the load, each on its own connection (`GET /stream`). */
  streams: z
    .strictObject({
      count: intIn(1, 1000),
      /** Milliseconds between two events of a stream. */
      interval_ms: intIn(10, BOUNDS.interval_ms.max, ' ms').default(BOUNDS.interval_ms.default),
    })
    .optional(),
  /** WebSocket clients held open beside the load (`GET /ws?room=N`, lab/load/websockets.ts): each sends a message every `interval_ms` to its room; the server relays it to every socket of the room. */
  websockets: z
    .strictObject({
      clients: intIn(1, 5000),
      /** Sockets per broadcast room: each message is delivered room_size times. */
      room_size: intIn(1, 1000).default(10),
      interval_ms: intIn(10, 60_000, ' ms').default(1000),
    })
    .optional(),
  /** Several kinds of request in proportion (e.g. `[{ weight: 9, io_ms: 10 }, { weight: 1, io_ms: 500 }]`), instead of one. */
  mix: z
    .array(mixEntrySchema, { error: 'a list of request kinds, e.g. [{ weight: 9, io_ms: 10 }, { weight: 1, io_ms: 500 }]' })
    .min(1, { error: 'a non-empty list of request kinds' })
    .max(16, { error: 'at most 16 request kinds' })
    .refine((m) => m.reduce((s, e) => s + (e.weight ?? 1), 0) <= 1000, { error: 'weights adding up to at most 1000' })
    .optional(),
  /**
   * How the mix is shared out: `requests` (default): every connection cycles
   * through the kinds in proportion; `connections`: each connection sends one
   * kind, the connections shared out by weight (separate streams of users).
   */
  mix_split: z.enum(['requests', 'connections'], { error: "'requests' or 'connections'" }).optional(),
  /** Every request asks for `Connection: close`, so each opens a new TCP (and TLS) connection; closed loop only. */
  close_connections: bool().optional(),
  /** Slow clients beside this workload's load (replaces `load.slow_clients`). */
  slow_clients: slowClientsSchema.optional(),
})

/** The load: a ladder of connection counts (closed loop) or of offered rates (open loop), each level warmed up then measured. */
export const loadSchema = z.strictObject({
  connections: connectionsSchema,
  ...openFields,
  /** Minimum seconds of discarded warm-up before each measured level. */
  warmup_s: numIn(0, 60, ' s').default(1),
  /**
   * Seconds measured at each level, after the warm-up. A level shorter than
   * the window rules need (lab/core/window.ts: 2 whole seconds, 5 predicted
   * mean latencies, 5 responses per connection, 20 expected crashes or
   * hangs) is extended up to `max_duration_s`, and the results say so.
   */
  duration_s: numIn(0.5, 600, ' s').default(3),
  /** The longest a level's window may be extended to by the window rules, s; past it the level is marked too short to trust. */
  max_duration_s: numIn(1, 600, ' s').default(30),
  /** How many times each level is measured. */
  repeat: intIn(1, 20).default(1),
  /** Seconds before a request counts as timed out (autocannon `timeout`). */
  timeout_s: numIn(1, 600, ' s').default(10),
  /** A probe beside the load: one connection repeating `GET <path>`, its latency recorded apart (e.g. a health check). */
  probe: z
    .strictObject({
      path: z.string().regex(/^\/[\w\-./?=&%]*$/, { error: 'a path starting with /' }).default('/health'),
      /** Mean milliseconds between one probe's answer and the next probe (a health checker's polling interval); each pause is drawn from 0.5–1.5× (lab/load/side.ts, `probeGap`). */
      interval_ms: intIn(1, 60_000, ' ms').default(50),
    })
    .optional(),
  /** Slow clients beside the load generator at every level (a workload's own `slow_clients` replaces it). */
  slow_clients: slowClientsSchema.optional(),
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
  /**
   * Overrides of `load` used by `--quick`, and which topologies and workloads
   * a quick run measures (all when absent; `--topology` and `--workload` still choose).
   */
  quick: loadSchema
    .partial()
    .extend({
      topologies: z.array(name, { error: 'a list of topology ids' }).min(1, { error: 'a non-empty list of topology ids' }).optional(),
      workloads: z.array(name, { error: 'a list of workload ids' }).min(1, { error: 'a non-empty list of workload ids' }).optional(),
    })
    .optional(),
  /** What the scenario teaches: the metric that proves it, what is compared, one sentence (lab/core/lesson.ts). */
  lesson: lessonSchema.optional(),
})

/** A scenario as written (defaults not yet applied). */
export type ScenarioInput = z.input<typeof scenarioSchema>
/** A validated scenario with every default applied. */
export type Scenario = z.output<typeof scenarioSchema>
export type ServerDef = z.output<typeof serverSchema>
export type TopologyDef = z.output<typeof topologySchema>
export type ProxyDef = z.output<typeof proxySchema>
export type DeployDef = z.output<typeof deploySchema>
export type MixEntryDef = z.output<typeof mixEntrySchema>
export type Workload = z.output<typeof workloadSchema>
export type LoadDef = z.output<typeof loadSchema>
/** A topology's load with every field resolved: the closed-loop fields plus the open loop's, defaults applied. */
export type EffectiveLoad = LoadDef & { mode: 'closed' | 'open'; arrival: 'poisson' | 'constant'; max_connections: number }

/** The pool bound of an open loop when `load.max_connections` is not given. */
export const DEFAULT_MAX_CONNECTIONS = 256

/**
 * The load a topology runs: the scenario's `load`, then (with `quick`) the
 * scenario's `quick`, the topology's `load`, then (with `quick`) the
 * topology's `quick`; each replaces only the fields it names.
 * Defaults: `mode` closed, `arrival` poisson, `max_connections` {@link DEFAULT_MAX_CONNECTIONS}.
 */
export function effectiveLoad(s: Scenario, topology: string, quick: boolean): EffectiveLoad {
  const t = s.topologies[topology]
  // the quick choice of topologies and workloads is the plan's, not a load field
  const { topologies: _t, workloads: _w, ...quickLoad } = s.quick ?? {}
  const layers = [s.load, quick ? quickLoad : undefined, t?.load, quick ? t?.quick : undefined]
  const merged = Object.assign({}, ...layers.map((l) => definedOnly(l ?? {}))) as LoadDef
  return { ...merged, mode: merged.mode ?? 'closed', arrival: merged.arrival ?? 'poisson', max_connections: merged.max_connections ?? DEFAULT_MAX_CONNECTIONS }
}

/** The fields of `o` that are not undefined. */
export function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}

/** An open loop needs its rates: one line per topology (and `--quick`) whose effective load is open without `rates`. */
function openLoadProblems(s: Scenario): string[] {
  const missing = Object.keys(s.topologies).flatMap((id) => [false, true].filter((q) => effectiveLoad(s, id, q).mode === 'open' && !effectiveLoad(s, id, q).rates).map((q) => `${id}${q ? ' (--quick)' : ''}`))
  return missing.map((at) => `topologies.${at}: load.rates missing; expected a list of offered rates in req/s, e.g. [20, 60, 100], because load.mode is 'open'`)
}

/**
 * Marks a scenario file's default export; returns its argument unchanged so
 * the file stays plain data with type checking.
 */
export function defineScenario(input: ScenarioInput): ScenarioInput {
  return input
}

export { formatIssues, type Validated }

/** `quick.topologies`, `quick.workloads` and a topology's `workloads` name ids the scenario has. */
function quickIdProblems(s: Scenario): string[] {
  const out: string[] = []
  for (const [tid, t] of Object.entries(s.topologies)) {
    ;(t.workloads ?? []).forEach((id, i) => {
      if (!(id in s.workloads)) out.push(`topologies.${tid}.workloads.${i}: ${show(id)} is not allowed; expected one of ${Object.keys(s.workloads).join(', ')}`)
    })
  }
  for (const [field, known] of [['topologies', Object.keys(s.topologies)], ['workloads', Object.keys(s.workloads)]] as const) {
    ;(s.quick?.[field] ?? []).forEach((id, i) => {
      if (!known.includes(id)) out.push(`quick.${field}.${i}: ${show(id)} is not allowed; expected one of ${known.join(', ')}`)
    })
  }
  return out
}

/** A workload that asks for static files needs every topology to have a static folder (the server's or the proxy's). */
function staticDirProblems(s: Scenario): string[] {
  const asking = Object.entries(s.workloads).filter(([, w]) => w.mix?.some((e) => e.static !== undefined)).map(([id]) => id)
  if (asking.length === 0) return []
  return Object.entries(s.topologies)
    .filter(([, t]) => t.server.static_dir === undefined && t.proxy?.static_dir === undefined)
    .map(([id]) => `topologies.${id}: no static_dir is not allowed; expected server.static_dir or proxy.static_dir, because workload ${asking.join(', ')} requests static files`)
}

/**
 * Validates a scenario and applies its defaults.
 * @param input - the scenario file's default export, after `--set` overrides
 * @param folderName - when given, the scenario's `name` must equal it
 * @returns the scenario, or the problems (one line each)
 */
export function validateScenario(input: unknown, folderName?: string): Validated<Scenario> {
  const parsed = scenarioSchema.safeParse(input)
  if (!parsed.success) return { ok: false, problems: formatIssues(input, parsed.error.issues, scenarioSchema) }
  const staticProblems = [...staticDirProblems(parsed.data), ...quickIdProblems(parsed.data)]
  if (staticProblems.length) return { ok: false, problems: staticProblems }
  const openProblems = openLoadProblems(parsed.data)
  if (openProblems.length) return { ok: false, problems: openProblems }
  const isOpen = (t: string) => [false, true].some((q) => effectiveLoad(parsed.data, t, q).mode === 'open')
  const lesson = parsed.data.lesson ? lessonProblems(parsed.data.lesson, { ...parsed.data, isOpen }) : []
  if (lesson.length) return { ok: false, problems: lesson }
  if (folderName !== undefined && parsed.data.name !== folderName) {
    return {
      ok: false,
      problems: [`name: ${show(parsed.data.name)} is not allowed; expected the folder's name ${show(folderName)}`],
    }
  }
  return { ok: true, value: parsed.data }
}
