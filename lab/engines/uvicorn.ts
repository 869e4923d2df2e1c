/**
 * Uvicorn: the ASGI server (`model: 'event-loop'` on `--stack python`).
 *
 * One process runs one event loop (uvloop when installed) and parses HTTP with
 * httptools when installed (`--loop auto`, `--http auto`); every connection is
 * a task on that loop. Waits overlap; CPU work blocks the loop.
 *
 * Defaults quoted below are Uvicorn 0.17's, from `uvicorn --help` and its
 * settings page (https://www.uvicorn.org/settings/): `--workers 1` (or
 * `$WEB_CONCURRENCY`), `--backlog 2048`, `--timeout-keep-alive 5`,
 * `--limit-concurrency` none, `--limit-max-requests` none, access log on.
 */
import path from 'node:path'
import { freePort } from '../contract/ports.js'
import type { ServerDef } from '../core/scenario.js'
import { APPS_DIR, detectCommand, launch, pythonEnv, runPlaceOf, type EngineProcess, type RunPlace } from './common.js'
import type { DetectOptions, DoctorNotes, EngineInfo, ProcessInfo, ServerEngine } from './engine.js'

/** Reads the version from `uvicorn --version` (`Running uvicorn 0.17.6 with CPython 3.11.2 on Linux`). */
export function parseUvicornVersion(output: string): string | undefined {
  return /uvicorn ([0-9][^\s]*)/.exec(output)?.[1]
}

/** Modules that make Uvicorn fast when installed, and their Debian packages. */
const SPEEDUPS = { uvloop: 'python3-uvloop', httptools: 'python3-httptools' } as const

/**
 * Finds Uvicorn: the `uvicorn` entry point in the search path, its version
 * (`uvicorn --version`), its interpreter, and the versions of `uvloop` and
 * `httptools` that interpreter has (they decide Uvicorn's speed; absent ones
 * are left out of `components`).
 * @returns `found: false` with a `problem` when it is absent or does not run
 */
export function detectUvicorn(opts: DetectOptions = {}): Promise<EngineInfo> {
  return detectCommand({ name: 'uvicorn', file: 'uvicorn', args: ['--version'], parse: parseUvicornVersion, python: Object.keys(SPEEDUPS) }, opts)
}

/** How to run Uvicorn, in the lab's units. */
export interface UvicornConfig {
  /** Port on 127.0.0.1 (`--host 127.0.0.1 --port PORT`). */
  port: number
  /** The ASGI app, `module:attribute` in `appsDir`, e.g. `asgi_app:app`. */
  app: string
  /** Folder of the apps (`--app-dir`); default lab/apps. */
  appsDir?: string
  /** Absolute folder the app serves `GET /static/<file>` from (`$LAB_STATIC_DIR`); absent: 404. */
  staticDir?: string
  /** `--backlog` (default 2048). */
  backlog: number
  /** `--timeout-keep-alive` seconds (default 5; whole seconds in 0.17, rounded up). */
  keepAliveTimeoutS?: number
  /**
   * false: answer every response with `Connection: close` (`--header connection:close`,
   * which Uvicorn's protocol honours by closing after the response), like Gunicorn's
   * sync worker. Default true: keep-alive, Uvicorn's own behaviour.
   */
  keepAlive?: boolean
  /** `--limit-concurrency`: above this many connections plus tasks, answer 503 (default: no limit). */
  limitConcurrency?: number
  /** `--limit-max-requests`: exit after this many requests (default: never; nothing restarts it). */
  limitMaxRequests?: number
  /** `--proxy-headers --forwarded-allow-ips LIST` (0.17 default: proxy headers on, `$FORWARDED_ALLOW_IPS` else `127.0.0.1`): peers whose X-Forwarded-For/Proto set the client and scheme. */
  forwardedAllowIps?: string
  /** Log every request (`--access-log`); default false, because logging costs CPU per request and skews the lesson. */
  accessLog?: boolean
}

/**
 * Uvicorn's command-line arguments (after the executable). `--workers 1` is
 * explicit (the event-loop model is one process; the scenario's `workers`
 * does not apply), as are `--loop auto --http auto` (uvloop and httptools when
 * installed) and `--lifespan auto` (Uvicorn's default: the lifespan protocol
 * for apps that speak it; Django 3.2's ASGI handler refuses it with a
 * ValueError, which `on` would make fatal).
 */
export function uvicornArgs(c: UvicornConfig): string[] {
  const args = [
    c.app,
    '--app-dir', c.appsDir ?? APPS_DIR,
    '--host', '127.0.0.1',
    '--port', String(c.port),
    '--workers', '1',
    '--loop', 'auto',
    '--http', 'auto',
    '--lifespan', 'auto',
    '--backlog', String(c.backlog),
  ]
  if (c.keepAliveTimeoutS !== undefined) args.push('--timeout-keep-alive', String(Math.max(0, Math.ceil(c.keepAliveTimeoutS))))
  if (c.keepAlive === false) args.push('--header', 'connection:close')
  if (c.limitConcurrency !== undefined) args.push('--limit-concurrency', String(c.limitConcurrency))
  if (c.limitMaxRequests !== undefined) args.push('--limit-max-requests', String(c.limitMaxRequests))
  if (c.forwardedAllowIps !== undefined) args.push('--proxy-headers', '--forwarded-allow-ips', c.forwardedAllowIps)
  args.push(c.accessLog ? '--access-log' : '--no-access-log', '--no-use-colors', '--log-level', 'info')
  return args
}

/** Uvicorn's one process, as `server`. */
export function uvicornProcesses(pid: number): ProcessInfo[] {
  return [{ pid, role: 'server' }]
}

/**
 * Starts Uvicorn and waits until `GET /health` answers.
 * @throws Error with Uvicorn's last log lines when it exits or is not ready in time
 */
export async function startUvicorn(c: UvicornConfig, place: RunPlace): Promise<EngineProcess> {
  return launch({
    name: 'uvicorn',
    command: place.executable,
    args: uvicornArgs(c),
    // an app outside lab/apps (a scenario's app_file) still imports the workload modules from there
    env: { ...pythonEnv(), ...(c.staticDir ? { LAB_STATIC_DIR: c.staticDir } : {}), ...(c.appsDir && c.appsDir !== APPS_DIR ? { PYTHONPATH: APPS_DIR } : {}) },
    cwd: place.runDir,
    port: c.port,
    logPath: path.join(place.runDir, place.logName),
    readyTimeoutMs: place.readyTimeoutMs ?? 15_000,
    processes: uvicornProcesses,
  })
}

/**
 * Uvicorn's settings for a server part serving `app` (`module:attribute`;
 * keep-alive on unless `keepAlive: false`, as Uvicorn itself); `static_dir`
 * is resolved from `baseDir` (the scenario's folder).
 */
export function uvicornConfig(server: ServerDef, app: string, port: number, baseDir = '.'): UvicornConfig {
  return {
    port,
    app,
    backlog: server.backlog,
    keepAliveTimeoutS: server.keep_alive_s,
    keepAlive: server.keepAlive,
    limitConcurrency: server.limit_concurrency,
    ...(server.forwarded_allow_ips !== undefined ? { forwardedAllowIps: server.forwarded_allow_ips } : {}),
    ...(server.static_dir ? { staticDir: path.resolve(baseDir, server.static_dir) } : {}),
    ...(server.app_file ? { app: `${server.app_file.replace(/\.py$/, '')}:app`, appsDir: path.resolve(baseDir) } : {}),
  }
}

/** Uvicorn in the registry: the ASGI event-loop server, Debian's `uvicorn` (uvloop and httptools recommended). */
export const uvicorn: ServerEngine = {
  name: 'uvicorn',
  role: 'server',
  stack: 'python',
  source: { kind: 'debian', packages: ['uvicorn', ...Object.values(SPEEDUPS)] },
  models: ['event-loop'],
  serves: ['asgi'],
  protocols: ['http'],
  detect: detectUvicorn,
  async start({ server, app }, place) {
    if (!app) throw new Error('uvicorn needs an ASGI app')
    return startUvicorn(uvicornConfig(server, app.entry, await freePort(), place.baseDir), runPlaceOf(place, 'uvicorn'))
  },
  doctorNotes(info): DoctorNotes {
    const out: DoctorNotes = { notes: [], install: [] }
    for (const [module, pkg] of Object.entries(SPEEDUPS)) {
      const version = info.components?.[module]
      if (version) out.notes.push(`${module} ${version}`)
      else {
        out.notes.push(`${module} missing (slower fallback)`)
        out.install.push(pkg)
      }
    }
    return out
  },
}
