/**
 * The engine registry (docs/add-an-engine.md): one table of every engine the
 * lab can run, one table of the Python apps real servers serve, and the
 * answers read from them: which engine serves a topology's part on a stack,
 * which app it serves, whether what a run needs is installed, and the
 * versions a results document records. Topology dispatch (lab/topology),
 * `lab doctor` and `lab run --stack` all ask here; nothing else names an
 * engine.
 *
 * An engine's stack default is the first engine in {@link ENGINES} that runs
 * the part's model on that stack, so a new engine appended to the table never
 * changes what existing scenarios run:
 *
 * | part                | `--stack node`       | `--stack python` |
 * |---------------------|----------------------|------------------|
 * | server `prefork`    | `node-prefork`       | `gunicorn` (sync worker) |
 * | server `threaded`   | `node-threaded`      | `gunicorn` (gthread worker) |
 * | server `event-loop` | `node-event-loop`    | `uvicorn`        |
 * | proxy               | `node-reverse-proxy` | `nginx`          |
 *
 * A part may pin its engine (`server: { model: 'prefork', engine: 'gunicorn' }`),
 * so one scenario can put `node-prefork` and `gunicorn` side by side.
 */
import type { ServerDef, TopologyDef } from '../core/scenario.js'
import type { AppInterface, AppName, ProxyEngineName, ServerEngineName, Stack } from '../core/vocabulary.js'
import { aptInstall, detectPythonModule } from './common.js'
import type { App, DetectOptions, Engine, EngineInfo, ProxyEngine, ServedApp, ServerEngine } from './engine.js'
import { apache } from './apache.js'
import { caddy } from './caddy.js'
import { gunicorn } from './gunicorn.js'
import { nginx } from './nginx.js'
import { nodeEventLoop } from './node-event-loop.js'
import { nodePrefork } from './node-prefork.js'
import { nodeReverseProxy } from './node-reverse-proxy.js'
import { EngineMissingError } from './types.js'
import { uvicorn } from './uvicorn.js'
import { uwsgi } from './uwsgi.js'
import { modWsgi, modWsgiEmbedded } from './mod-wsgi.js'
import { werkzeug, wsgiref } from './dev-servers.js'
import { nodeThreaded } from './node-threaded.js'
import { gunicornGevent, gunicornGthread, gunicornUvicorn } from './gunicorn-workers.js'

/** Every engine, one line each, keyed by its name (the vocabulary's `ENGINE_NAMES`); earlier lines are their stack's defaults. */
export const ENGINES: { readonly [K in ServerEngineName]: ServerEngine } & { readonly [K in ProxyEngineName]: ProxyEngine } = {
  'node-prefork': nodePrefork,
  'node-event-loop': nodeEventLoop,
  'node-reverse-proxy': nodeReverseProxy,
  gunicorn,
  uvicorn,
  nginx,
  uwsgi,
  'mod-wsgi': modWsgi,
  'mod-wsgi-embedded': modWsgiEmbedded,
  'gunicorn-gthread': gunicornGthread,
  'gunicorn-gevent': gunicornGevent,
  'gunicorn-uvicorn': gunicornUvicorn,
  apache,
  caddy,
  wsgiref,
  werkzeug,
  'node-threaded': nodeThreaded,
}

/** The Python apps in lab/apps, one line each, keyed by name (the vocabulary's `APP_NAMES`); the first with an interface is its default. */
export const APPS: { readonly [K in AppName]: App } = {
  wsgi: { name: 'wsgi', entries: { wsgi: 'wsgi_app:application' }, packages: [] },
  asgi: { name: 'asgi', entries: { asgi: 'asgi_app:app' }, packages: [] },
  flask: { name: 'flask', entries: { wsgi: 'flask_app:application' }, imports: 'flask', packages: ['python3-flask'] },
  django: { name: 'django', entries: { wsgi: 'django_app.wsgi:application', asgi: 'django_app.asgi:application' }, imports: 'django', packages: ['python3-django'] },
  fastapi: { name: 'fastapi', entries: { asgi: 'fastapi_app:app' }, imports: 'fastapi', packages: ['python3-fastapi'] },
  quart: { name: 'quart', entries: { asgi: 'quart_app:app' }, imports: 'quart', packages: ['python3-quart'] },
  'fastapi-def': { name: 'fastapi-def', entries: { asgi: 'fastapi_app:app_def' }, imports: 'fastapi', packages: ['python3-fastapi'] },
  // the student's app, loaded from $LAB_APP_DIR (lab/commands/my-app.ts checks its imports before the run)
  'my-app': { name: 'my-app', entries: { wsgi: 'my_app:application', asgi: 'my_app:app' }, packages: [] },
  // scenarios/preload: the wsgi app after importing a 32 MiB module; scenarios/proxy-headers: the standard apps saying what they were told about the client
  big: { name: 'big', entries: { wsgi: 'big_app:application' }, packages: [] },
  whoami: { name: 'whoami', entries: { wsgi: 'whoami_app:application', asgi: 'whoami_app:app' }, packages: [] },
  'wsgi-c-sleep': { name: 'wsgi-c-sleep', entries: { wsgi: 'wsgi_app:c_sleep_application' }, packages: [] },
  // scenarios/proxy-headers: the Flask app behind Werkzeug's ProxyFix(x_for=1, x_proto=1), saying what it was told about the client
  'whoami-proxyfix': { name: 'whoami-proxyfix', entries: { wsgi: 'proxyfix_app:application' }, imports: 'flask', packages: ['python3-flask'] },
}

/** The interfaces an app implements, e.g. `['wsgi']`. */
export function interfacesOf(app: App): AppInterface[] {
  return (Object.keys(app.entries) as AppInterface[]).filter((i) => app.entries[i] !== undefined)
}

/** The engines in table order. */
export function engines(): Engine[] {
  return Object.values(ENGINES)
}

/** Whether `name` is one of the lab's own engines (built with it, versioned with it). */
export function isBuiltinEngine(name: string): boolean {
  return engines().some((e) => e.name === name && e.source.kind === 'built-in')
}

/** The command that installs an engine: `npm run build` for built-ins, `apt-get install -y <its packages>` for Debian's. */
export function installCommand(engine: Engine): string {
  return engine.source.kind === 'built-in' ? 'npm run build' : aptInstall(engine.source.packages)
}

/** Debian packages of an engine (none for built-ins). */
export function packagesOf(engine: Engine): readonly string[] {
  return engine.source.kind === 'debian' ? engine.source.packages : []
}

const names = (list: readonly Engine[]) => list.map((e) => e.name).join(', ')

/**
 * The engine that serves a server part on a stack: the one it pins, else the
 * stack's first engine for its model.
 * @throws Error when the pinned engine does not run the model, or no engine of the stack does
 */
export function serverEngineOf(server: Pick<ServerDef, 'model' | 'engine'>, stack: Stack): ServerEngine {
  const able = engines().filter((e): e is ServerEngine => e.role === 'server' && e.models.includes(server.model))
  if (server.engine !== undefined) {
    const pinned = ENGINES[server.engine]
    if (!able.includes(pinned)) throw new Error(`server.engine: ${server.engine} does not run model ${server.model}; engines that do: ${names(able) || 'none'}`)
    return pinned
  }
  const found = able.find((e) => e.stack === stack)
  if (!found) throw new Error(`server.model: no engine of --stack ${stack} runs model ${server.model}; pin one with server.engine: ${names(able) || 'none yet'}`)
  return found
}

/**
 * The engine that serves a topology's proxy part on a stack, or null without one.
 * @throws Error when the stack has no proxy engine
 */
export function proxyEngineOf(def: Pick<TopologyDef, 'proxy'>, stack: Stack): ProxyEngine | null {
  if (!def.proxy) return null
  if (def.proxy.engine !== undefined) return ENGINES[def.proxy.engine]
  const found = engines().find((e): e is ProxyEngine => e.role === 'proxy' && e.stack === stack)
  if (!found) throw new Error(`proxy: no proxy engine on --stack ${stack}`)
  return found
}

/** An app through the first of the engine's interfaces it implements, or undefined. */
function served(app: App, engine: ServerEngine): ServedApp | undefined {
  for (const i of engine.serves) {
    const entry = app.entries[i]
    if (entry !== undefined) return { app, interface: i, entry }
  }
  return undefined
}

/**
 * The app a server engine serves for a part: the part's `app`, else the
 * table's first app of an interface the engine serves; undefined for engines
 * that serve no apps (the built-in servers, which implement the contract
 * themselves, and ignore `app`).
 * @throws Error when the app implements no interface the engine serves
 */
export function appOf(server: Pick<ServerDef, 'app'>, engine: ServerEngine): ServedApp | undefined {
  if (engine.serves.length === 0) return undefined
  const upper = (list: readonly string[]) => list.join(', ').toUpperCase()
  if (server.app !== undefined) {
    const app = APPS[server.app]
    const s = served(app, engine)
    if (!s) throw new Error(`server.app: ${app.name} implements ${upper(interfacesOf(app))}; ${engine.name} serves ${upper(engine.serves)}`)
    return s
  }
  for (const app of Object.values(APPS)) {
    const s = served(app, engine)
    if (s) return s
  }
  throw new Error(`server.app: no app in lab/apps implements ${upper(engine.serves)}, which ${engine.name} serves`)
}

/** The engines and app of a topology on a stack. */
export interface Resolved {
  server: ServerEngine
  app?: ServedApp
  proxy: ProxyEngine | null
}

/** Proxies with nginx's `limit_req` and `limit_conn` (the built-in one implements both: lab/servers/rate-limit.ts). */
const LIMITING_PROXIES: readonly string[] = ['nginx', 'node-reverse-proxy']

/**
 * Which engines serve a topology's parts on a stack, and which app.
 * @throws Error naming the field when a part asks for what no engine gives
 *   (a model the pinned engine does not run, an app it cannot serve, a proxy
 *   that cannot talk to the server)
 */
export function resolveTopology(def: Pick<TopologyDef, 'server' | 'proxy'>, stack: Stack): Resolved {
  const server = serverEngineOf(def.server, stack)
  const app = appOf(def.server, server)
  const proxy = proxyEngineOf(def, stack)
  const wire = def.proxy?.protocol ?? 'http'
  if (proxy && !(proxy.protocols.includes(wire) && server.protocols.includes(wire))) {
    throw new Error(`proxy.protocol: ${wire} needs a proxy and a server that both speak it; ${proxy.name} speaks ${proxy.protocols.join(', ')}, ${server.name} listens with ${server.protocols.join(', ')}`)
  }
  // the operations fields are engine settings only some engines have (lab/core/operations-schema.ts)
  if (def.proxy?.limit_conn && !LIMITING_PROXIES.includes(proxy?.name ?? '')) throw new Error(`proxy.limit_conn: only ${LIMITING_PROXIES.join(' and ')} limit connections; this proxy is ${proxy?.name}: pin proxy.engine: 'nginx' or 'node-reverse-proxy'`)
  if (def.proxy?.limit_req && !LIMITING_PROXIES.includes(proxy?.name ?? '')) throw new Error(`proxy.limit_req: only ${LIMITING_PROXIES.join(' and ')} limit requests; this proxy is ${proxy?.name}: pin proxy.engine: 'nginx' or 'node-reverse-proxy'`)
  if (def.server.preload && server.name !== 'gunicorn') throw new Error(`server.preload: only gunicorn preloads the app; this server is ${server.name}: pin server.engine: 'gunicorn'`)
  // uWSGI 2.0.21 has --max-requests but no --max-requests-delta (it came in 2.1): no jitter there
  if (def.server.max_requests_jitter && server.name === 'uwsgi') throw new Error(`server.max_requests_jitter: uWSGI 2.0 has no jitter for max-requests (no --max-requests-delta); use gunicorn or node-prefork`)
  if (def.server.forwarded_allow_ips !== undefined && !['gunicorn', 'uvicorn'].includes(server.name)) throw new Error(`server.forwarded_allow_ips: only gunicorn and uvicorn read it; this server is ${server.name}`)
  return { server, proxy, ...(app ? { app } : {}) }
}

/**
 * Finds an app as the server engine that serves it sees it (its framework
 * must be importable by that engine's interpreter).
 * @returns found at once for standard-library apps
 */
export async function detectApp(app: App, server: EngineInfo): Promise<EngineInfo> {
  if (!app.imports) return { name: app.name, found: true }
  if (!server.interpreter) return { name: app.name, found: false, problem: `needs ${server.name} (and the interpreter it runs on)` }
  return detectPythonModule(app.name, app.imports, server.interpreter)
}

interface Need {
  info: EngineInfo
  packages: readonly string[]
}

/** Detects what the topologies need from Debian (engines, then the apps with those engines' interpreters). */
async function needs(defs: readonly TopologyDef[], stack: Stack, opts: DetectOptions): Promise<Need[]> {
  const out = new Map<string, Promise<Need>>()
  for (const def of defs) {
    const { server, app, proxy } = resolveTopology(def, stack)
    for (const e of [server, proxy]) {
      if (e && e.source.kind === 'debian' && !out.has(e.name)) out.set(e.name, e.detect(opts).then((info) => ({ info, packages: packagesOf(e) })))
    }
    const needed = app?.app
    if (needed?.imports && !out.has(needed.name)) {
      out.set(needed.name, server.detect(opts).then(async (s) => ({ info: await detectApp(needed, s), packages: needed.packages })))
    }
  }
  return Promise.all(out.values())
}

/**
 * Detects every Debian engine and app the topologies need, before anything starts.
 * @returns what was found, by name
 * @throws EngineMissingError naming the first one missing, with the command that installs all that are
 * @throws Error when a topology asks for what no engine gives (see {@link resolveTopology})
 */
export async function requireEngines(defs: readonly TopologyDef[], stack: Stack, opts: DetectOptions = {}): Promise<Record<string, EngineInfo>> {
  const found = await needs(defs, stack, opts)
  const missing = found.filter((n) => !n.info.found)
  const first = missing[0]
  if (first) throw new EngineMissingError(first.info.name, aptInstall(missing.flatMap((n) => n.packages)))
  return Object.fromEntries(found.map((n) => [n.info.name, n.info]))
}

/**
 * `{ name: version }` of every Debian engine and app the topologies use, and
 * of what they run with (`python`, `uvloop`, `httptools`), for the results'
 * `env.engines`. Built-in engines are left out (`env.node` and `env.lab` are
 * their versions); missing ones too (they fail at start instead).
 */
export async function engineVersions(defs: readonly TopologyDef[], stack: Stack, opts: DetectOptions = {}): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const { info } of await needs(defs, stack, opts)) {
    if (!info.found || !info.version) continue
    out[info.name] = info.version
    Object.assign(out, info.components ?? {})
  }
  return out
}
