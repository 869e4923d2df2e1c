/**
 * The lab's vocabulary: every word that names a concept the lab, its results
 * and its pages share, as a zod enum (so a schema can check it, a type can be
 * inferred from it, and an unknown word fails with the allowed ones listed).
 * The scenario schema (scenario.ts), the results schema (results.ts), the
 * warnings catalogue (warnings.ts), the engine registry
 * (lab/engines/registry.ts, checked against {@link ENGINE_NAMES} by
 * test/unit/registry.test.ts) and the pages (web/src) read them from here.
 *
 * Process roles and event kinds are the built-in servers' words too, so their
 * lists live in the workload contract (lab/contract/workload.ts) and are
 * wrapped here.
 *
 * Pure: no I/O.
 */
import { z } from 'zod'
import { PROCESS_ROLES, SERVER_EVENT_KINDS } from '../contract/workload.js'

/** `'a', 'b' or 'c'`: the allowed values, as validation messages quote them. */
export function oneOf(values: readonly string[]): string {
  const quoted = values.map((v) => `'${v}'`)
  return quoted.length < 2 ? (quoted[0] ?? 'nothing') : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`
}

/** A zod enum whose error lists the allowed values. */
function words<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: oneOf(values) })
}

/** The role of a process in a topology: `master`, `worker`, `server`, `proxy` (lab/contract/workload.ts). */
export const processRole = words(PROCESS_ROLES)
export type ProcessRole = z.infer<typeof processRole>

/** What a server reported during a level: `worker-spawn`, `worker-exit`, `worker-timeout`, `upstream-down`. */
export const serverEventKind = words(SERVER_EVENT_KINDS)
export type ServerEventKind = z.infer<typeof serverEventKind>

/**
 * The stacks `--stack` picks engines from: `node`, the lab's built-in Node
 * servers; `python`, the real engines from Debian's packages (Gunicorn,
 * Uvicorn, nginx). Which engine a stack picks for a part is the registry's
 * business (lab/engines/registry.ts).
 */
export const STACKS = ['node', 'python'] as const
export const stack = words(STACKS)
export type Stack = z.infer<typeof stack>

/**
 * How a server serves concurrent requests (docs/architecture.md):
 * `prefork`, W processes each serving one request at a time; `threaded`,
 * W processes × T threads under one interpreter lock per process;
 * `event-loop`, one process interleaving every connection on one loop.
 */
export const serverModel = words(['prefork', 'threaded', 'event-loop'])
export type ServerModel = z.infer<typeof serverModel>

/** What a proxy part is: a reverse proxy in front of the server instances. */
export const proxyModel = words(['reverse-proxy'])
export type ProxyModel = z.infer<typeof proxyModel>

/** Where an engine stands in a topology: the `server` part or the `proxy` part in front of it. */
export const engineRole = words(['server', 'proxy'])
export type EngineRole = z.infer<typeof engineRole>

/** Engines that can serve a topology's `server` part (one file each in lab/engines/). */
export const SERVER_ENGINE_NAMES = ['node-prefork', 'node-event-loop', 'gunicorn', 'uvicorn', 'uwsgi', 'mod-wsgi', 'mod-wsgi-embedded', 'wsgiref', 'werkzeug', 'node-threaded', 'gunicorn-gthread', 'gunicorn-gevent', 'gunicorn-uvicorn'] as const
/** Server engines whose `event-loop` runs one loop per worker under Gunicorn's arbiter (lab/engines/gunicorn-workers.ts), read by the model (model.ts `loops`). */
export const MULTI_LOOP_ENGINES = ['gunicorn-gevent', 'gunicorn-uvicorn'] as const satisfies readonly (typeof SERVER_ENGINE_NAMES)[number][]
/** Engines that can serve a topology's `proxy` part. */
export const PROXY_ENGINE_NAMES = ['node-reverse-proxy', 'nginx', 'apache', 'caddy'] as const
export const serverEngineName = words(SERVER_ENGINE_NAMES)
export const proxyEngineName = words(PROXY_ENGINE_NAMES)
export type ServerEngineName = z.infer<typeof serverEngineName>
export type ProxyEngineName = z.infer<typeof proxyEngineName>
/** Every engine in the registry (lab/engines/registry.ts), servers first. */
export const ENGINE_NAMES = [...SERVER_ENGINE_NAMES, ...PROXY_ENGINE_NAMES] as const
export const engineName = words(ENGINE_NAMES)
export type EngineName = z.infer<typeof engineName>

/** The Python app interfaces a server engine may serve: WSGI (PEP 3333) and ASGI (asgiref's spec). */
export const appInterface = words(['wsgi', 'asgi'])
export type AppInterface = z.infer<typeof appInterface>

/**
 * The Python apps in lab/apps a real server engine can serve (`server.app`):
 * `wsgi` and `asgi`, the standard-library apps; `flask`, `django`, `fastapi`
 * and `quart`, the same contract on each framework; `my-app`, the student's own
 * app (`lab run my-app`, lab/apps/my_app.py). The built-in servers
 * implement the workload contract themselves and ignore it.
 */
export const APP_NAMES = ['wsgi', 'asgi', 'flask', 'django', 'fastapi', 'quart', 'fastapi-def', 'my-app', 'big', 'whoami', 'wsgi-c-sleep', 'whoami-proxyfix'] as const
/** Apps whose waits are a C call no monkey patch can see (lab/apps/serving.py `c_sleep`): on an event loop a wait holds the loop. */
export const UNPATCHED_WAIT_APPS = ['wsgi-c-sleep'] as const satisfies readonly (typeof APP_NAMES)[number][]
export const appName = words(APP_NAMES)
export type AppName = z.infer<typeof appName>

/** Wire protocols between a proxy and a server: HTTP/1.x, and uWSGI's binary `uwsgi` protocol. */
export const protocol = words(['http', 'uwsgi'])
export type Protocol = z.infer<typeof protocol>

/** The codes of the warnings catalogue (lab/core/warnings.ts) and of the diagnoses (lab/core/diagnosis.ts). */
export const warningCode = words([
  'littles-law-mismatch',
  'client-saturated',
  'errors-seen',
  'spread-too-wide',
  'run-too-short',
  'model-mismatch',
  'no-responses',
  'cpu-saturated',
  'cores-saturated',
  'too-short-to-trust',
])
export type WarningCode = z.infer<typeof warningCode>

/** What a warning means, for a reader of the report: a title and a paragraph. */
export interface WarningText {
  title: string
  explanation: string
}

/** The text of every warning code; a code without its text does not compile. */
export const WARNING_TEXT: Readonly<Record<WarningCode, WarningText>> = {
  'littles-law-mismatch': {
    title: "Little's law does not hold",
    explanation:
      'In a closed loop the mean latency must equal connections ÷ throughput. It does not here, so the measurement itself is wrong (the load generator timed something else); do not trust this run’s latencies.',
  },
  'client-saturated': {
    title: 'The load generator was the bottleneck',
    explanation:
      'autocannon runs on one core and used most of it, so these numbers measure the client, not the server. Use fewer connections or a heavier workload per request.',
  },
  'errors-seen': {
    title: 'Some requests failed',
    explanation:
      'Timeouts, resets or non-2xx answers were counted. Throughput and latency only describe the requests that succeeded; look at the errors table.',
  },
  'spread-too-wide': {
    title: 'Throughput never settled',
    explanation:
      'Requests per second changed a lot from second to second, so the mean hides an unstable run. Look at its timeline, then measure longer or repeat.',
  },
  'run-too-short': {
    title: 'Too few responses',
    explanation: 'So few responses were measured that the percentiles are noise. Measure longer, or drop --quick.',
  },
  'model-mismatch': {
    title: 'Theory and measurement disagree',
    explanation:
      'The queueing model’s req/s is more than 15 % away from what was measured: the model calibrated to this machine (the dotted lines) where the run was calibrated, else the textbook one (the dashed lines). Either the measurement is off (a saturated client, errors, a short run) or the model leaves out something that happened: that difference is worth explaining.',
  },
  'no-responses': {
    title: 'Nothing was answered',
    explanation:
      'Not one response completed in the measured window: every connection was waiting on a request that never came back (held workers, hung requests, a dead server). Its latencies are empty, not zero.',
  },
  'cpu-saturated': {
    title: 'A process ran out of CPU',
    explanation:
      'A server process (or the proxy) used a whole core for the whole window: it was computing, not waiting, and it set the pace. An event loop can use one core only; more workers help only while there are idle cores. The message says whose CPU ran out.',
  },
  'cores-saturated': {
    title: 'Every core was busy',
    explanation:
      'The servers and the load generator together used all of the machine’s cores, so the machine’s CPU set the pace, not the server’s design. Compare with the “this machine” prediction, which gives the servers only the CPU the load generator leaves them.',
  },
  'too-short-to-trust': {
    title: 'Too short to trust',
    explanation:
      'The measured window broke one of the lab’s window rules (docs/measurement.md): too few predicted latencies, too few responses per connection, too few whole seconds, or too few of the crashes or hangs the workload injects. Measure longer or repeat before trusting this level.',
  },
}
