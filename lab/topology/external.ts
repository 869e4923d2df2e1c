/**
 * Topologies on real engines (docs/measurement.md, "Real engines").
 *
 * Which engine serves a part: the part's own `engine` when it names one,
 * otherwise the stack's engine for its model:
 *
 * | model        | `--stack node`    | `--stack python` |
 * |--------------|-------------------|------------------|
 * | `prefork`    | `node-prefork`    | `gunicorn` (sync worker; gthread when `threads` > 1) |
 * | `event-loop` | `node-event-loop` | `uvicorn`        |
 * | proxy part   | `node-reverse-proxy` | `nginx`       |
 *
 * so one scenario can put `node-prefork` and `gunicorn` side by side
 * (`server: { model: 'prefork', engine: 'gunicorn' }`). A topology with a
 * `proxy` part gets nginx in front of its server, whichever engine that is.
 *
 * Every engine needed is detected before anything starts; a missing one
 * throws {@link EngineMissingError} (the CLI exits 3 and prints the install
 * command).
 */
import { mkdirSync } from 'node:fs'
import type { ServerDef, TopologyDef } from '../core/scenario.js'
import { EngineMissingError, type Stack } from '../engines/types.js'
import { freePort, INSTALL_COMMAND, type DetectOptions, type EngineInfo, type EngineProcess, type RealEngine } from '../engines/common.js'
import { detectFlask, detectGunicorn, effectiveWorkerClass, startGunicorn, type WsgiApp } from '../engines/gunicorn.js'
import { detectNginx, startNginx, type NginxConfig } from '../engines/nginx.js'
import { detectUvicorn, startUvicorn } from '../engines/uvicorn.js'
import { startTopology, type ProcessInfo, type RunningTopology, type TopologyEvent } from './topology.js'

/** Engines that can serve a server part, by model. */
export const SERVER_ENGINES = {
  prefork: { node: 'node-prefork', python: 'gunicorn' },
  'event-loop': { node: 'node-event-loop', python: 'uvicorn' },
} as const

/** Every server engine name a topology may pin. */
export const KNOWN_SERVER_ENGINES = ['node-prefork', 'node-event-loop', 'gunicorn', 'uvicorn'] as const
/** Proxy engines a topology may pin (topologies with a proxy start through lab/topology/proxied.ts). */
export const KNOWN_PROXY_ENGINES = ['nginx', 'node-reverse-proxy'] as const

/**
 * Server settings real engines read that the scenario schema may not have yet;
 * read defensively from the server part (see the report for the zod lines).
 */
export interface ServerExtras {
  /** Gunicorn `--threads` (gthread when > 1). */
  threads?: number
  /** Gunicorn `--max-requests` (0: never recycle). */
  max_requests?: number
  /** Gunicorn `--max-requests-jitter`. */
  max_requests_jitter?: number
  /** Uvicorn `--limit-concurrency` (503 above it). */
  limit_concurrency?: number
  /** Seconds an idle keep-alive connection is held (Gunicorn `--keep-alive`, Uvicorn `--timeout-keep-alive`). */
  keep_alive_s?: number
  /** Which Python app Gunicorn serves: `wsgi` (stdlib, default) or `flask`. */
  app?: WsgiApp
}

/** The proxy part of a topology, read defensively until the schema has it. */
export interface ProxyPart {
  engine?: string
  /** `proxy_buffering` (default on). */
  buffering?: boolean
  /** `proxy_request_buffering` (default on). */
  request_buffering?: boolean
  /** Idle upstream connections to keep per nginx worker (default 0). */
  keepalive?: number
  /** nginx `worker_processes` (default 1). */
  workers?: number | 'auto'
  balance?: 'round-robin' | 'least_conn'
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined
}

/** The extra server settings of a part (absent or ill-typed ones are left out). */
export function serverExtras(server: ServerDef): ServerExtras {
  const raw = server as unknown as Record<string, unknown>
  const out: ServerExtras = {}
  for (const key of ['threads', 'max_requests', 'max_requests_jitter', 'limit_concurrency', 'keep_alive_s'] as const) {
    const v = num(raw[key])
    if (v !== undefined) out[key] = v
  }
  if (raw.app === 'wsgi' || raw.app === 'flask') out.app = raw.app
  return out
}

/** The proxy part of a topology, or undefined when it has none. */
export function proxyPart(def: TopologyDef): ProxyPart | undefined {
  const p = (def as unknown as Record<string, unknown>).proxy
  return p !== null && typeof p === 'object' ? (p as ProxyPart) : undefined
}

/**
 * The engine that serves a topology's server part on a stack.
 * @throws Error when the part names an unknown engine or one that does not run its model
 */
export function serverEngineOf(server: ServerDef, stack: Stack): string {
  const choices = SERVER_ENGINES[server.model]
  const engine = server.engine ?? choices[stack]
  if (!(KNOWN_SERVER_ENGINES as readonly string[]).includes(engine)) {
    throw new Error(`engine ${JSON.stringify(engine)} is unknown; expected one of ${KNOWN_SERVER_ENGINES.join(', ')}`)
  }
  if (engine !== choices.node && engine !== choices.python) {
    throw new Error(`engine ${engine} does not run model ${server.model}; use ${choices.node} or ${choices.python}`)
  }
  return engine
}

/**
 * The engine that serves a topology's proxy part, or null without one.
 * @throws Error when it names an unknown engine
 */
export function proxyEngineOf(def: TopologyDef, stack: Stack): string | null {
  const proxy = proxyPart(def)
  if (!proxy) return null
  const engine = proxy.engine ?? (stack === 'python' ? 'nginx' : 'node-reverse-proxy')
  if (!(KNOWN_PROXY_ENGINES as readonly string[]).includes(engine)) {
    throw new Error(`proxy engine ${JSON.stringify(engine)} is unknown; expected one of ${KNOWN_PROXY_ENGINES.join(', ')}`)
  }
  return engine
}

/** Whether a topology needs this module: its server runs on a real engine, or it has a proxy part. */
export function usesExternalEngine(def: TopologyDef, stack: Stack): boolean {
  if (proxyPart(def)) return true
  const engine = def.server.engine ?? SERVER_ENGINES[def.server.model][stack]
  return !engine.startsWith('node-')
}

/**
 * The real engines a topology needs on a stack (Flask counts as one: it must
 * be importable by Gunicorn's interpreter).
 * @throws Error as {@link serverEngineOf} and {@link proxyEngineOf} do
 */
export function realEnginesOf(def: TopologyDef, stack: Stack): RealEngine[] {
  const out: RealEngine[] = []
  const server = serverEngineOf(def.server, stack)
  if (server === 'gunicorn') {
    out.push('gunicorn')
    if (serverExtras(def.server).app === 'flask') out.push('flask')
  } else if (server === 'uvicorn') out.push('uvicorn')
  if (proxyEngineOf(def, stack) === 'nginx') out.push('nginx')
  return out
}

const DETECT: Record<RealEngine, (opts?: DetectOptions) => Promise<EngineInfo>> = {
  gunicorn: detectGunicorn,
  uvicorn: detectUvicorn,
  flask: detectFlask,
  nginx: detectNginx,
}

/**
 * Detects every real engine the topologies need, before anything starts.
 * @returns the engines found, by name
 * @throws EngineMissingError for the first one missing, with the command that installs them all
 * @throws Error when a topology names an unknown or mismatched engine
 */
export async function requireEngines(defs: readonly TopologyDef[], stack: Stack, opts: DetectOptions = {}): Promise<Partial<Record<RealEngine, EngineInfo>>> {
  const names = [...new Set(defs.flatMap((d) => realEnginesOf(d, stack)))]
  const infos = await Promise.all(names.map((n) => DETECT[n](opts)))
  const missing = infos.find((i) => !i.found)
  if (missing) throw new EngineMissingError(missing.name, INSTALL_COMMAND)
  return Object.fromEntries(infos.map((i) => [i.name, i])) as Partial<Record<RealEngine, EngineInfo>>
}

/**
 * `{ name: version }` of every real engine the topologies use, and of what
 * they run with (`python`, `uvloop`, `httptools`), for the results'
 * `env.engines`. Built-in engines are left out (`env.node` is their version).
 * Missing engines are left out too (they fail at start instead).
 */
export async function engineVersions(defs: readonly TopologyDef[], stack: Stack, opts: DetectOptions = {}): Promise<Record<string, string>> {
  const names = [...new Set(defs.flatMap((d) => realEnginesOf(d, stack)))]
  const out: Record<string, string> = {}
  for (const info of await Promise.all(names.map((n) => DETECT[n](opts)))) {
    if (!info.found || !info.version) continue
    out[info.name] = info.version
    Object.assign(out, info.components ?? {})
  }
  return out
}

/** Options of {@link startExternalTopology}. */
export interface ExternalStartOptions {
  stack: Stack
  /** Folder for engine logs (`<id>.<engine>.log`); created when missing. */
  runDir: string
  /** How long each engine may take to answer /health (default 15 000 ms). */
  readyTimeoutMs?: number
  /** Where to look for engines (tests); default as in engines/common.ts. */
  detect?: DetectOptions
}

interface Part {
  name: string
  url: string
  port: number
  processes(): ProcessInfo[]
  events(): TopologyEvent[]
  stop(): Promise<void>
}

function fromEngine(e: EngineProcess): Part {
  return { name: e.name, url: `http://127.0.0.1:${e.port}`, port: e.port, processes: e.processes, events: e.events, stop: e.stop }
}

async function startServer(id: string, def: TopologyDef, engine: string, infos: Partial<Record<RealEngine, EngineInfo>>, opts: ExternalStartOptions): Promise<Part> {
  const server = def.server
  const extras = serverExtras(server)
  const readyTimeoutMs = opts.readyTimeoutMs ?? 15_000
  if (engine.startsWith('node-')) {
    const t = await startTopology(id, { server: { ...server, engine: engine as ServerDef['engine'] } }, { stack: 'node', runDir: opts.runDir, readyTimeoutMs })
    return { name: engine, url: t.url, port: Number(new URL(t.url).port), processes: t.processes, events: t.events, stop: t.stop }
  }
  const port = await freePort()
  if (engine === 'gunicorn') {
    const workerClass = effectiveWorkerClass({ threads: extras.threads })
    const keepAliveS = extras.keep_alive_s ?? (server.keepAlive === false && workerClass === 'gthread' ? 0 : undefined)
    const e = await startGunicorn(
      {
        port,
        app: extras.app ?? 'wsgi',
        workers: server.workers,
        workerClass,
        threads: extras.threads,
        timeoutS: server.timeout_s,
        backlog: server.backlog,
        keepAliveS,
        maxRequests: extras.max_requests,
        maxRequestsJitter: extras.max_requests_jitter,
      },
      { executable: infos.gunicorn?.path ?? 'gunicorn', runDir: opts.runDir, logName: `${id}.gunicorn.log`, readyTimeoutMs },
    )
    return fromEngine(e)
  }
  const e = await startUvicorn(
    {
      port,
      backlog: server.backlog,
      keepAliveTimeoutS: extras.keep_alive_s,
      keepAlive: server.keepAlive,
      limitConcurrency: extras.limit_concurrency,
    },
    { executable: infos.uvicorn?.path ?? 'uvicorn', runDir: opts.runDir, logName: `${id}.uvicorn.log`, readyTimeoutMs },
  )
  return fromEngine(e)
}

/**
 * Starts a topology on real engines (and built-in servers behind nginx).
 * @param id - the topology's id (names its log files)
 * @returns the running topology; `url` is nginx's when there is a proxy part, else the server's;
 *   `engines.server` is the engine's name (`gunicorn`, `uvicorn`, `node-prefork`, ...)
 * @throws EngineMissingError before anything starts when an engine is not installed
 * @throws Error with the engine's log tail when an engine fails to start (nothing is left running)
 */
export async function startExternalTopology(id: string, def: TopologyDef, opts: ExternalStartOptions): Promise<RunningTopology> {
  const serverEngine = serverEngineOf(def.server, opts.stack)
  const proxyEngine = proxyEngineOf(def, opts.stack)
  const infos = await requireEngines([def], opts.stack, opts.detect)
  mkdirSync(opts.runDir, { recursive: true })

  const server = await startServer(id, def, serverEngine, infos, opts)
  let proxy: Part | undefined
  if (proxyEngine === 'nginx') {
    const p = proxyPart(def) ?? {}
    const config: NginxConfig = {
      port: 0,
      upstreams: [server.port],
      ...(p.workers !== undefined ? { workerProcesses: p.workers } : {}),
      ...(p.buffering !== undefined ? { buffering: p.buffering } : {}),
      ...(p.request_buffering !== undefined ? { requestBuffering: p.request_buffering } : {}),
      ...(p.keepalive !== undefined ? { upstreamKeepalive: p.keepalive } : {}),
      ...(p.balance !== undefined ? { balance: p.balance } : {}),
    }
    try {
      config.port = await freePort()
      const e = await startNginx(config, {
        executable: infos.nginx?.path ?? 'nginx',
        runDir: opts.runDir,
        logName: `${id}.nginx.log`,
        readyTimeoutMs: opts.readyTimeoutMs ?? 15_000,
      })
      proxy = fromEngine(e)
    } catch (err) {
      await server.stop()
      throw err
    }
  }

  let stopping: Promise<void> | undefined
  return {
    id,
    url: proxy?.url ?? server.url,
    engines: { server: server.name, proxy: proxy?.name ?? null },
    processes: () => [...server.processes(), ...(proxy?.processes() ?? [])],
    events: () => [...server.events(), ...(proxy?.events() ?? [])].sort((a, b) => a.at - b.at),
    // The proxy first, so it does not log the server's going away as upstream errors.
    stop: () => (stopping ??= (async () => {
      await proxy?.stop()
      await server.stop()
    })()),
  }
}
