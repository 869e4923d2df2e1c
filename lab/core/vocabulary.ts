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
import { en } from '../i18n/en.js'
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
  'machine-busy',
  'slow-link-unavailable',
])
export type WarningCode = z.infer<typeof warningCode>

/** What a warning means, for a reader of the report: a title and a paragraph. */
export interface WarningText {
  title: string
  explanation: string
}

/**
 * The English text of every warning code (lab/i18n/en.ts `warning`, which the
 * translations follow); a code without its text does not compile.
 */
export const WARNING_TEXT: Readonly<Record<WarningCode, WarningText>> = en.warning
