/**
 * What an engine is (docs/add-an-engine.md): the interface every file in
 * lab/engines/ implements and the types they share with lab/topology. A leaf
 * of the engines and topology modules: it imports only types from core.
 *
 * An engine serves one part of a topology: the `server` part (the built-in
 * Node servers, Gunicorn, Uvicorn) or the `proxy` part in front of it (the
 * built-in reverse proxy, nginx). Its capabilities say which parts it can
 * serve (models, app interfaces, protocols) and which `--stack` picks it; the
 * registry (registry.ts) lists every engine in one table and answers, from
 * those capabilities, which engine serves a part.
 */
import type { ProxyDef, ServerDef } from '../core/scenario.js'
import type {
  AppInterface,
  AppName,
  EngineName,
  ProcessRole,
  Protocol,
  ProxyEngineName,
  ProxyModel,
  ServerEngineName,
  ServerEventKind,
  ServerModel,
  Stack,
} from '../core/vocabulary.js'

/** A process of a running topology, as the results name it. */
export interface ProcessInfo {
  pid: number
  role: ProcessRole
}

/** An event a server reported, stamped with `performance.now()` ms. */
export interface TopologyEvent {
  at: number
  kind: ServerEventKind
  pid?: number
  message: string
}

/** One pre-fork worker as its master reports it. */
export interface WorkerStatus {
  pid: number
  /** Serving a connection right now. */
  busy: boolean
  /** Requests served since the worker started. */
  requests: number
}

/** Options of every `detect()`. */
export interface DetectOptions {
  /** Folders to look real engines up in, in order; default `$LAB_ENGINE_PATH` split on `:`, else Debian's (engines/common.ts). */
  searchPath?: readonly string[]
  /** Folder of the compiled built-in servers (default `<root>/dist/lab/servers`). */
  builtinDir?: string
}

/** An engine (or app) as found, or not, on this machine. */
export interface EngineInfo {
  /** The engine's or app's name, e.g. `gunicorn`, `flask`. */
  name: string
  found: boolean
  /** e.g. `20.1.0`; absent when missing. */
  version?: string
  /** The executable (for an app, its package folder; for a built-in server, its compiled program). */
  path?: string
  /** The interpreter that runs it (Python engines), e.g. `/usr/bin/python3`. */
  interpreter?: string
  /** Versions of what it runs with, for `env.engines`, e.g. `{ python: '3.11.2', uvloop: '0.17.0' }`. */
  components?: Record<string, string>
  /** Why it counts as missing, when it does (e.g. "gunicorn --version failed: ..."). */
  problem?: string
}

/** How an engine gets onto the machine: built with the lab (`npm run build`), or Debian's packages. */
export type Source = { kind: 'built-in' } | { kind: 'debian'; packages: readonly string[] }

/** Extra facts for the doctor's row of an engine (lab/commands/doctor.ts). */
export interface DoctorNotes {
  /** Short facts, e.g. `uvloop 0.17.0`, `httptools missing (slower fallback)`. */
  notes: string[]
  /** Debian packages to add although the engine was found (optional speed-ups). */
  install: string[]
}

/** What every engine declares. */
interface EngineBase {
  /** Its name in scenarios (`engine:`), results (`engines.server`) and `lab doctor`. */
  readonly name: EngineName
  /** The stack whose `--stack` picks it for its models (the first such engine in the registry's table wins). */
  readonly stack: Stack
  readonly source: Source
  /**
   * Protocols it speaks on the wire between proxy and server: a server
   * listens with them, a proxy talks them to its upstreams. Every engine
   * speaks `http`; `uwsgi` is uWSGI's binary protocol (nginx's `uwsgi_pass`).
   */
  readonly protocols: readonly Protocol[]
  /**
   * Finds it on this machine: executable, version, interpreter. Memoized per
   * search path for real engines (see engines/common.ts `memoDetect`).
   * Never throws: a missing engine comes back `found: false` with a `problem`.
   */
  detect(opts?: DetectOptions): Promise<EngineInfo>
  /** Engine-specific facts for the doctor (e.g. Uvicorn's uvloop and httptools). */
  doctorNotes?(info: EngineInfo): DoctorNotes
}

/** Where and how a part is started. */
export interface Place {
  /** The topology's id (with `-N` for the N-th of several server instances): names log files, appears in errors. */
  id: string
  /** What {@link EngineBase.detect} found (the executable to run). */
  info: EngineInfo
  /** The run's folder for logs and generated configs: created on first call (engines that write nothing never call it). */
  runDir(): string
  /** The folder relative paths (`static_dir`) start from: the scenario's folder. */
  baseDir: string
  /** How long the part may take to be ready, ms. */
  readyTimeoutMs: number
  /** The port to listen on (a restart keeps its port); absent: a free one. Engines that cannot take it ignore it. */
  port?: number
  /**
   * A second address to listen on, same port, beside 127.0.0.1: the host's end of the run's
   * link into a network namespace (lab/topology/netns.ts; docs/network-links.md). Engines that
   * can (the proxies, Gunicorn, see `alsoListening`) do; the others ignore it.
   */
  alsoListen?: string
}

/** A started part: its processes, what it reported, and how to stop it. */
export interface RunningPart {
  engine: EngineName
  /** The port it listens on, on 127.0.0.1. */
  port: number
  /** `https` when it terminates TLS on that port (a proxy part with `tls`); default `http`. */
  scheme?: 'http' | 'https'
  /** The address it listens on too, same port (`Place.alsoListen`, when the engine can); absent: 127.0.0.1 only. */
  alsoListening?: string
  /** Its processes now, with their roles. */
  processes(): ProcessInfo[]
  /** What it reported since it was ready, in arrival order. */
  events(): TopologyEvent[]
  /** What each pre-fork worker is doing (engines that can tell: the built-in pre-fork server); undefined when it does not answer within 1 s. */
  status?(): Promise<WorkerStatus[] | undefined>
  /** Stops every process of the part (SIGTERM, SIGKILL after a grace period) and removes its temp files; idempotent. */
  stop(): Promise<void>
  /** Sends a signal to its master (e.g. `SIGHUP`: Gunicorn's graceful reload); engines started as one process group have it. */
  signal?(signal: NodeJS.Signals): void
  /**
   * Binary upgrade on the fly (Gunicorn's `USR2`, then `TERM` to the old
   * master; lab/engines/upgrade.ts): resolves once the new master serves
   * alone; from then on `processes()`, `signal()` and `stop()` reach the new
   * master. `mark` records each step as a `deploy` event.
   * @throws Error when the new master or its workers do not come up, or the old master does not exit
   */
  upgrade?(mark: (message: string) => void): Promise<void>
}

/** A Python app in lab/apps that real server engines serve. */
export interface App {
  name: AppName
  /**
   * Its entry point for each interface it implements (`wsgi`, PEP 3333;
   * `asgi`), as `module:attribute` in lab/apps (Gunicorn's `APP_MODULE`,
   * Uvicorn's `APP`), e.g. `{ wsgi: 'flask_app:application' }`; an app with
   * both (Django) names both.
   */
  entries: Partial<Record<AppInterface, string>>
  /** The module the server's interpreter must import for it (detected with that interpreter); absent: standard library only. */
  imports?: string
  /** Debian packages it needs beyond the server's (empty: standard library only). */
  packages: readonly string[]
}

/** An app as a server engine serves it: through one of its interfaces. */
export interface ServedApp {
  app: App
  interface: AppInterface
  /** The entry point for that interface, `module:attribute`. */
  entry: string
}

/** An engine that serves a topology's server part. */
export interface ServerEngine extends EngineBase {
  readonly name: ServerEngineName
  readonly role: 'server'
  /** The server models it runs (`server.model`). */
  readonly models: readonly ServerModel[]
  /** App interfaces it serves (`server.app`); empty for the built-in servers, which implement the contract themselves. */
  readonly serves: readonly AppInterface[]
  /**
   * Starts one instance of the server part and resolves once it answers
   * (`/health` or its ready message).
   * @param app - the app to serve (engines that serve apps), resolved by the registry
   * @param protocol - what to listen with, one of its `protocols` (default `http`): the topology's `proxy.protocol`
   * @throws Error with the engine's own last output when it exits or is not ready in time; nothing is left running
   */
  start(part: { server: ServerDef; app?: ServedApp; protocol?: Protocol }, place: Place): Promise<RunningPart>
}

/** An engine that serves a topology's proxy part. */
export interface ProxyEngine extends EngineBase {
  readonly name: ProxyEngineName
  readonly role: 'proxy'
  readonly models: readonly ProxyModel[]
  /**
   * Starts the proxy in front of upstreams that already listen, and resolves
   * once `/health` answers through it (or it reports ready).
   * @param upstreams - ports on 127.0.0.1
   * @throws Error with the proxy's own output when it does not start; nothing is left running
   */
  start(part: { proxy: ProxyDef; upstreams: readonly number[] }, place: Place): Promise<RunningPart>
}

/** Any engine of the registry. */
export type Engine = ServerEngine | ProxyEngine
