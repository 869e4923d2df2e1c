/**
 * `lab run my-app`: the student's own WSGI or ASGI app under the lab's real
 * engines (docs/my-app.md). This module is the pure part: reading `--app`,
 * `--path` and a `--requests` file, building the scenario the run engine
 * runs (its topologies from the app's interface), and reading the
 * calibration level (one connection per route) into what the model assumes
 * each route costs. The command (lab/commands/my-app.ts) does the I/O.
 */
import { z } from 'zod'
import type { RunResult } from './results.js'
import type { ScenarioInput } from './scenario.js'
import { HTTP_METHODS, intIn, requestFields, requestPath } from './schema-fields.js'
import { formatIssues, type Validated } from './zod-issues.js'
import type { AppInterface } from './vocabulary.js'

/** `--app` as typed, split: a file (`path/to/app.py`) or a dotted module (`project.wsgi`), and the attribute. */
export interface AppSpec {
  /** What was typed. */
  raw: string
  /** `file`: a path to a `.py` file; `module`: a dotted module name, imported from the working folder. */
  form: 'file' | 'module'
  /** The file path (form `file`) or the dotted module (form `module`). */
  target: string
  /** The attribute, possibly dotted (`app`, `application`, `api.app`). */
  attr: string
}

const IDENT = /^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/
const EXAMPLE = 'expected FILE.py:ATTR or MODULE:ATTR, e.g. app.py:app or mysite.wsgi:application'

/**
 * Reads `--app`: `path/to/app.py:app`, `module:attr`, `pkg.module:attr`
 * (Gunicorn's `APP_MODULE` and Uvicorn's `APP` forms, plus a file path).
 * @returns the spec, or one problem line naming what is wrong
 */
export function parseAppSpec(raw: string | undefined): Validated<AppSpec> {
  if (raw === undefined || raw.trim() === '') return { ok: false, problems: [`--app is missing; ${EXAMPLE}`] }
  const at = raw.lastIndexOf(':')
  const target = at > 0 ? raw.slice(0, at) : raw
  const attr = at > 0 ? raw.slice(at + 1) : ''
  if (!attr) return { ok: false, problems: [`--app ${raw}: no attribute after ':'; ${EXAMPLE}`] }
  if (!IDENT.test(attr)) return { ok: false, problems: [`--app ${raw}: ${JSON.stringify(attr)} is not a Python attribute name; ${EXAMPLE}`] }
  if (target.endsWith('.py') || target.includes('/')) {
    if (!target.endsWith('.py')) return { ok: false, problems: [`--app ${raw}: ${target} is not a .py file; ${EXAMPLE}`] }
    return { ok: true, value: { raw, form: 'file', target, attr } }
  }
  if (!IDENT.test(target)) return { ok: false, problems: [`--app ${raw}: ${JSON.stringify(target)} is not a Python module name; ${EXAMPLE}`] }
  return { ok: true, value: { raw, form: 'module', target, attr } }
}

/** One kind of request to send the app: a `path`, its method and body, its share of the requests. */
export interface AppRequest {
  path: string
  method?: (typeof HTTP_METHODS)[number]
  body?: string
  weight: number
  label?: string
}

/** The `--requests` file: a JSON array of request kinds (docs/my-app.md). */
export const requestsFileSchema = z
  .array(
    z.strictObject({
      path: requestPath(),
      ...requestFields,
      weight: intIn(1, 1000).default(1),
      label: z.string({ error: 'a short label' }).min(1, { error: 'a short label' }).max(40, { error: 'a label of at most 40 characters' }).optional(),
    }),
    { error: 'a JSON array of requests, e.g. [{ "path": "/", "weight": 9 }, { "method": "POST", "path": "/items", "body": "{}" }]' },
  )
  .min(1, { error: 'at least one request' })
  .max(16, { error: 'at most 16 requests' })

/** The lab answers `GET /health` itself (lab/apps/my_app.py), so it is never the student's route to measure. */
export const RESERVED_PATH = '/health'

/**
 * The request kinds of a run: each `--path` once (weight 1), or the
 * `--requests` file's list; not both, and at least one.
 * @param file - the parsed JSON of `--requests`, when given
 * @returns one problem line per problem (a bad path, a bad file entry, `/health`)
 */
export function appRequests(paths: readonly string[], file: unknown, fileName?: string): Validated<AppRequest[]> {
  if (paths.length > 0 && file !== undefined) return { ok: false, problems: ['--path and --requests: give one or the other'] }
  let out: AppRequest[]
  if (file !== undefined) {
    const parsed = requestsFileSchema.safeParse(file)
    if (!parsed.success) return { ok: false, problems: formatIssues(file, parsed.error.issues).map((p) => `--requests ${fileName ?? ''}: ${p}`) }
    out = parsed.data
  } else {
    if (paths.length === 0) return { ok: false, problems: ['--path is missing: name at least one route to load, e.g. --path / (repeatable), or a --requests file'] }
    const problems = paths.flatMap((p) => (requestPath().safeParse(p).success ? [] : [`--path ${p}: expected a path starting with /, e.g. / or /items?id=3 (no spaces)`]))
    if (problems.length) return { ok: false, problems }
    out = paths.map((path) => ({ path, weight: 1 }))
  }
  const health = out.filter((r) => r.path.split('?')[0] === RESERVED_PATH && (r.method ?? 'GET') === 'GET')
  if (health.length) return { ok: false, problems: [`${RESERVED_PATH}: the lab answers GET ${RESERVED_PATH} itself to know the server is ready; load another route`] }
  return { ok: true, value: out }
}

/** The server settings of a run: `--workers`, `--threads`, `--nginx`. */
export interface AppServers {
  /** Gunicorn's worker processes (WSGI). */
  workers: number
  /** gthread's threads per worker (WSGI). */
  threads: number
  /** Also run each topology behind nginx. */
  nginx: boolean
}

/** The topology ids a run has for an interface, in order. */
export function appTopologies(iface: AppInterface, s: AppServers): ScenarioInput['topologies'] {
  const base: ScenarioInput['topologies'] =
    iface === 'wsgi'
      ? {
          'gunicorn-sync': { server: { model: 'prefork', engine: 'gunicorn', workers: s.workers, app: 'my-app' } },
          'gunicorn-gthread': { server: { model: 'threaded', engine: 'gunicorn', workers: s.workers, threads: s.threads, app: 'my-app' } },
        }
      : { uvicorn: { server: { model: 'event-loop', engine: 'uvicorn', app: 'my-app' } } }
  if (!s.nginx) return base
  const behind = Object.fromEntries(Object.entries(base).map(([id, t]) => [`nginx-${id}`, { ...t, proxy: { engine: 'nginx' as const } }]))
  return { ...base, ...behind }
}

/** What the model assumes one request of a kind costs, ms: the wait and the server's CPU. */
export interface Demand {
  io_ms: number
  cpu_ms: number
}

/** The workload id of the i-th request kind on the calibration level. */
export const calibrationWorkload = (i: number): string => `route-${i + 1}`

const mixOf = (requests: readonly AppRequest[], demands?: readonly Demand[]) =>
  requests.map((r, i) => ({
    path: r.path,
    weight: r.weight,
    ...(r.method ? { method: r.method } : {}),
    ...(r.body !== undefined ? { body: r.body } : {}),
    ...(r.label ? { label: r.label } : {}),
    ...(demands?.[i] ? { demand: demands[i] } : {}),
  }))

/**
 * The calibration run: the first topology only, one workload per request
 * kind, one connection (no queue: the latency is the service time), a short
 * window (the window rules still make it 2 whole seconds: lab/core/window.ts).
 */
export function calibrationScenario(iface: AppInterface, s: AppServers, requests: readonly AppRequest[]): ScenarioInput {
  const [id, first] = Object.entries(appTopologies(iface, { ...s, nginx: false }))[0] as [string, ScenarioInput['topologies'][string]]
  return {
    name: 'my-app',
    title: 'Calibration: each route of your app at one connection',
    summary: 'One connection, no queue: the mean latency is the service time the model uses.',
    topologies: { [id]: first },
    workloads: Object.fromEntries(requests.map((r, i) => [calibrationWorkload(i), { mix: mixOf([{ ...r, weight: 1 }]) }])),
    load: { connections: [1], warmup_s: 0.3, duration_s: 1 },
  }
}

/**
 * What each request kind costs, from the calibration level: the server's CPU
 * per answered response (`cpuPerResponseUs`), and the rest of the mean
 * latency at one connection as the wait (the loopback round trip included).
 * @param runs - the calibration's runs, one per workload {@link calibrationWorkload}
 * @returns the demands in request order, or one problem per kind that was never
 *   answered with a 2xx (`GET /nope answered 404 on every request (37 of 37)`)
 */
export function calibrationDemands(requests: readonly AppRequest[], runs: readonly RunResult[]): Validated<Demand[]> {
  const problems: string[] = []
  const demands = requests.map((r, i): Demand => {
    const run = runs.find((x) => x.workload === calibrationWorkload(i))
    const what = `${r.method ?? 'GET'} ${r.path}`
    if (!run) {
      problems.push(`${what}: the calibration level did not run`)
      return { io_ms: 0, cpu_ms: 0 }
    }
    const total = run.requests.total
    const ok = run.requests.ok ?? total - run.errors.non2xx
    if (ok === 0) {
      const statuses = Object.entries(run.errors.byStatus).sort((a, b) => b[1] - a[1])
      const top = statuses[0]
      if (top && top[1] === total && total > 0) {
        const hint = top[0] === '404' ? ': the app has no such route' : top[0].startsWith('3') ? ': give the path it redirects to' : top[0] === '405' ? ': the route does not take this method' : ''
        problems.push(`${what} answered ${top[0]} on every request (${total} of ${total})${hint}`)
      } else problems.push(`${what} was never answered with a 2xx status (${total} responses, ${run.errors.timeouts} timeouts, ${run.errors.resets} resets)`)
      return { io_ms: 0, cpu_ms: 0 }
    }
    const cpu = (run.cpuPerResponseUs ?? 0) / 1000
    return { cpu_ms: round3(cpu), io_ms: round3(Math.max(0, run.latencyMs.mean - cpu)) }
  })
  return problems.length ? { ok: false, problems } : { ok: true, value: demands }
}

/** To the µs: the demands are measured, not rounded to whole ms. */
const round3 = (x: number): number => Math.round(x * 1000) / 1000

/**
 * The scenario `lab run my-app` runs: every topology that fits the
 * interface, one workload `requests` mixing the kinds by weight, each with
 * the demand its calibration measured, and a connection ladder from 1 past
 * the workers (full) or one loaded level (`--quick`).
 */
export function myAppScenario(spec: AppSpec, iface: AppInterface, s: AppServers, requests: readonly AppRequest[], demands: readonly Demand[]): ScenarioInput {
  const servers = iface === 'wsgi' ? 'Gunicorn (sync and gthread)' : 'Uvicorn'
  return {
    name: 'my-app',
    title: `Your app ${spec.raw} (${iface.toUpperCase()}) under ${servers}${s.nginx ? ', alone and behind nginx' : ''}`,
    summary: `${requests.map((r) => `${r.method ?? 'GET'} ${r.path}`).join(', ')}; the model's service times come from a calibration level at one connection.`,
    topologies: appTopologies(iface, s),
    workloads: { requests: { mix: mixOf(requests, demands) } },
    load: { connections: [1, 4, 16, 64], warmup_s: 1, duration_s: 3 },
    quick: { connections: [16], warmup_s: 0.3, duration_s: 1 },
  }
}
