/**
 * Gunicorn: the pre-fork WSGI server (`model: 'prefork'` on `--stack python`).
 *
 * Gunicorn's arbiter (master) binds the listening socket, forks W workers that
 * all accept from it, restarts workers that exit, and kills a worker that has
 * not notified it for `--timeout` seconds. The `sync` worker serves one
 * request at a time and closes the connection after every response (it
 * ignores `--keep-alive`); the `gthread` worker runs T threads per process and
 * keeps connections alive for `--keep-alive` seconds.
 *
 * Defaults quoted below are Gunicorn 20.1's, from its settings reference
 * (https://docs.gunicorn.org/en/20.1.0/settings.html): `--workers 1`,
 * `--worker-class sync`, `--threads 1`, `--timeout 30`, `--backlog 2048`,
 * `--keep-alive 2`, `--max-requests 0` (off), `--max-requests-jitter 0`.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { freePort } from '../contract/ports.js'
import type { ServerDef } from '../core/scenario.js'
import type { ServerEngineName } from '../core/vocabulary.js'
import { childrenOf } from '../topology/proc.js'
import { isReexecMaster } from './upgrade.js'
import { APPS_DIR, capture, detectCommand, launch, pythonEnv, runPlaceOf, type EngineProcess, type RunPlace } from './common.js'
import type { DetectOptions, DoctorNotes, EngineInfo, ProcessInfo, ServerEngine, TopologyEvent } from './engine.js'

/** Reads the version from `gunicorn --version` (`gunicorn (version 20.1.0)`). */
export function parseGunicornVersion(output: string): string | undefined {
  return /gunicorn \(version ([^)\s]+)\)/.exec(output)?.[1]
}

/**
 * Finds Gunicorn: the `gunicorn` entry point in the search path, its version
 * (`gunicorn --version`), and the interpreter its `#!` line names (with that
 * interpreter's Python version in `components.python`).
 * @returns `found: false` with a `problem` when it is absent or does not run
 */
export function detectGunicorn(opts: DetectOptions = {}): Promise<EngineInfo> {
  return detectCommand({ name: 'gunicorn', file: 'gunicorn', args: ['--version'], parse: parseGunicornVersion, python: ['gevent', 'uvicorn'] }, opts)
}

/** How to run Gunicorn: its settings, in the lab's units. */
export interface GunicornConfig {
  /** Port on 127.0.0.1 (`--bind 127.0.0.1:PORT`). */
  port: number
  /** A second `--bind ADDRESS:PORT` (Gunicorn takes several: docs, "bind"): the host's end of the run's link (lab/topology/netns.ts). */
  alsoListen?: string
  /** The WSGI app, as `APP_MODULE` (`module:callable` in `appsDir`), e.g. `wsgi_app:application`. */
  app: string
  /** Folder of the apps (`--chdir`); default lab/apps. */
  appsDir?: string
  /** Absolute folder the app serves `GET /static/<file>` from (`$LAB_STATIC_DIR`); absent: 404. */
  staticDir?: string
  /** `--workers` (Gunicorn default 1). */
  workers: number
  /** `--worker-class` (default `sync`); `gevent` and Uvicorn's `uvicorn.workers.UvicornWorker` are registry engines of their own (gunicorn-workers.ts). */
  workerClass?: GunicornWorkerClass
  /** `--threads` per worker (gthread; Gunicorn default 1). With `sync` and threads > 1 Gunicorn itself switches to gthread. */
  threads?: number
  /** `--timeout` seconds a worker may stay silent before the master kills it (default 30). */
  timeoutS: number
  /** `--backlog` (default 2048, capped by net.core.somaxconn). */
  backlog: number
  /** `--keep-alive` seconds (default 2; the sync worker ignores it; 0 makes gthread close after every response). */
  keepAliveS?: number
  /** `--worker-connections` (default 1000; gthread and gevent only): connections a worker accepts before it leaves the rest in the backlog. */
  workerConnections?: number
  /** `--max-requests` per worker before it is replaced (default 0: never). */
  maxRequests?: number
  /** `--max-requests-jitter` (default 0). */
  maxRequestsJitter?: number
  /** `--preload`: import the app in the master, before forking the workers (default off). */
  preload?: boolean
  /** `--forwarded-allow-ips` (20.1 default: `$FORWARDED_ALLOW_IPS`, else `127.0.0.1`): peers whose X-Forwarded-Proto sets `wsgi.url_scheme` (REMOTE_ADDR stays the peer's: gunicorn/http/message.py, wsgi.py). */
  forwardedAllowIps?: string
  /** `--graceful-timeout` seconds to finish requests on stop (Gunicorn default 30; the lab's teardown kills sooner). */
  gracefulTimeoutS?: number
  /**
   * Absolute path of a `gunicorn.conf.py` run with `-c` (a scenario's
   * `server.config_file`): it sets the workers, threads, timeout and the
   * rest, so the lab passes only `--bind 127.0.0.1:PORT`, `--chdir`, the log
   * options and the app; Gunicorn 20.1 lets the command line override the
   * file (gunicorn/app/base.py `load_config`), so the bind stays on loopback.
   * The other settings above are then ignored.
   */
  configFile?: string
}

/** Gunicorn's worker classes the lab runs (`--worker-class`; Gunicorn 20.1 docs, "worker_class"). */
export type GunicornWorkerClass = 'sync' | 'gthread' | 'gevent' | 'uvicorn.workers.UvicornWorker'

/** The worker class Gunicorn will really run: `sync` with threads > 1 becomes `gthread`, as Gunicorn does; the others as asked. */
export function effectiveWorkerClass(c: Pick<GunicornConfig, 'workerClass' | 'threads'>): GunicornWorkerClass {
  if (c.workerClass === 'gevent' || c.workerClass === 'uvicorn.workers.UvicornWorker') return c.workerClass
  return c.workerClass === 'gthread' || (c.threads ?? 1) > 1 ? 'gthread' : 'sync'
}

/** Gunicorn's timeouts take whole seconds in 20.1 (`int`); rounds up so a timeout is never shortened. */
function seconds(s: number): string {
  return String(Math.max(0, Math.ceil(s)))
}

/**
 * Gunicorn's command-line arguments (after the executable) for a config.
 * Every setting the lab controls is passed explicitly, even when it equals
 * Gunicorn's default, so the log's first line shows the whole configuration.
 */
export function gunicornArgs(c: GunicornConfig): string[] {
  const also = c.alsoListen ? ['--bind', `${c.alsoListen}:${c.port}`] : []
  if (c.configFile) return ['-c', c.configFile, '--bind', `127.0.0.1:${c.port}`, ...also, '--chdir', c.appsDir ?? APPS_DIR, '--error-logfile', '-', '--log-level', 'info', c.app]
  const workerClass = effectiveWorkerClass(c)
  const args = [
    '--bind', `127.0.0.1:${c.port}`,
    ...also,
    '--workers', String(c.workers),
    '--worker-class', workerClass,
  ]
  if (workerClass === 'gthread') args.push('--threads', String(c.threads ?? 1))
  args.push('--timeout', seconds(c.timeoutS), '--backlog', String(c.backlog))
  if (c.keepAliveS !== undefined) args.push('--keep-alive', seconds(c.keepAliveS))
  if (c.workerConnections !== undefined) args.push('--worker-connections', String(c.workerConnections))
  if (c.maxRequests) {
    args.push('--max-requests', String(c.maxRequests))
    if (c.maxRequestsJitter) args.push('--max-requests-jitter', String(c.maxRequestsJitter))
  }
  if (c.gracefulTimeoutS !== undefined) args.push('--graceful-timeout', seconds(c.gracefulTimeoutS))
  if (c.preload) args.push('--preload')
  if (c.forwardedAllowIps !== undefined) args.push('--forwarded-allow-ips', c.forwardedAllowIps)
  args.push(
    '--chdir', c.appsDir ?? APPS_DIR,
    '--error-logfile', '-',
    '--log-level', 'info',
    c.app,
  )
  return args
}

/**
 * Turns a Gunicorn log line into a lab event: a worker booting
 * (`Booting worker with pid: N`), timing out (`WORKER TIMEOUT (pid:N)`),
 * being killed (`Worker with pid N was terminated due to signal S`) or exiting
 * (`Worker exiting (pid: N)`, e.g. after `--max-requests`).
 */
export function gunicornEvent(line: string): Omit<TopologyEvent, 'at'> | undefined {
  let m: RegExpExecArray | null
  if ((m = /Booting worker with pid: (\d+)/.exec(line))) return { kind: 'worker-spawn', pid: Number(m[1]), message: `worker ${m[1]} booted` }
  if ((m = /WORKER TIMEOUT \(pid:(\d+)\)/.exec(line))) return { kind: 'worker-timeout', pid: Number(m[1]), message: `worker ${m[1]} timed out; killed` }
  if ((m = /Worker with pid (\d+) was terminated due to signal (\d+)/.exec(line))) {
    return { kind: 'worker-exit', pid: Number(m[1]), message: `worker ${m[1]} killed by signal ${m[2]}` }
  }
  if ((m = /Worker exiting \(pid: (\d+)\)/.exec(line))) return { kind: 'worker-exit', pid: Number(m[1]), message: `worker ${m[1]} exited` }
  return undefined
}

/**
 * Gunicorn's processes: the arbiter (`master`) and its children (`worker`),
 * read live from /proc; during a binary upgrade (`USR2`, lab/engines/upgrade.ts)
 * the new master forked from it is a `master` too, with its own workers.
 */
export function gunicornProcesses(masterPid: number): ProcessInfo[] {
  return [
    { pid: masterPid, role: 'master' },
    ...childrenOf(masterPid).flatMap((pid): ProcessInfo[] => (isReexecMaster(pid, masterPid) ? gunicornProcesses(pid) : [{ pid, role: 'worker' }])),
  ]
}

/** The environment Gunicorn runs in: an app outside lab/apps still imports the workload modules from there. */
function gunicornEnv(c: GunicornConfig): NodeJS.ProcessEnv {
  return { ...pythonEnv(), ...(c.staticDir ? { LAB_STATIC_DIR: c.staticDir } : {}), ...(c.appsDir && c.appsDir !== APPS_DIR ? { PYTHONPATH: APPS_DIR } : {}) }
}

/**
 * `gunicorn --print-config` for a config (with a `configFile`, its settings as
 * Gunicorn resolves them; it also imports the app): Gunicorn's own verdict,
 * e.g. `Invalid value for workers: two`.
 * @param executable - Gunicorn's path (as detected)
 * @returns `ok`, Gunicorn's output, and the settings it printed (`name = value`, values as printed)
 */
export async function gunicornPrintConfig(c: GunicornConfig, executable: string): Promise<{ ok: boolean; output: string; settings: Record<string, string> }> {
  const r = await capture(executable, ['--print-config', ...gunicornArgs(c)], 30_000, gunicornEnv(c))
  const settings: Record<string, string> = {}
  for (const m of r.stdout.matchAll(/^(\w+)\s+= (.*)$/gm)) settings[m[1]!] = m[2]!
  return { ok: r.code === 0, output: (r.stderr + (r.code === 0 ? '' : r.stdout)).trim(), settings }
}

/**
 * Starts Gunicorn and waits until `GET /health` answers and all `workers` are
 * forked (with a `configFile`, the workers it sets, read with `--print-config`).
 * @param name - the registry engine it runs as (`gunicorn`, or a worker class's: gunicorn-workers.ts)
 * @throws Error with Gunicorn's last log lines when it exits or is not ready in time, or its verdict on a bad `configFile`
 */
export async function startGunicorn(c: GunicornConfig, place: RunPlace, name: ServerEngineName = 'gunicorn'): Promise<EngineProcess> {
  const appsDir = c.appsDir ?? APPS_DIR
  if (!existsSync(`${path.join(appsDir, ...(c.app.split(':')[0] ?? '').split('.'))}.py`)) throw new Error(`the WSGI app ${c.app} is missing from ${appsDir}`)
  let workers = c.workers
  if (c.configFile) {
    const printed = await gunicornPrintConfig(c, place.executable)
    if (!printed.ok) throw new Error(`${path.basename(c.configFile)}: ${printed.output}`)
    workers = Number(printed.settings.workers ?? 1)
  }
  return launch({
    name,
    command: place.executable,
    args: gunicornArgs(c),
    env: gunicornEnv(c),
    cwd: place.runDir,
    port: c.port,
    logPath: path.join(place.runDir, place.logName),
    readyTimeoutMs: place.readyTimeoutMs ?? 15_000,
    processes: gunicornProcesses,
    ready: (pid) => childrenOf(pid).length >= workers,
    event: gunicornEvent,
    upgradeWorkers: workers,
  })
}

/**
 * Gunicorn's settings for a server part serving `app` (`module:callable`): `threaded` (or `threads` > 1) runs
 * the gthread worker; with `keepAlive: false` gthread closes after every
 * response (`--keep-alive 0`; the sync worker always does); `static_dir` is
 * resolved from `baseDir` (the scenario's folder).
 */
export function gunicornConfig(server: ServerDef, app: string, port: number, baseDir = '.'): GunicornConfig {
  const workerClass = server.model === 'threaded' ? 'gthread' : effectiveWorkerClass({ threads: server.threads })
  return {
    port,
    app,
    workers: server.workers,
    workerClass,
    threads: server.threads,
    timeoutS: server.timeout_s,
    backlog: server.backlog,
    keepAliveS: server.keep_alive_s ?? (server.keepAlive === false && workerClass === 'gthread' ? 0 : undefined),
    ...(server.worker_connections !== undefined ? { workerConnections: server.worker_connections } : {}),
    maxRequests: server.max_requests,
    maxRequestsJitter: server.max_requests_jitter,
    ...(server.preload ? { preload: true } : {}),
    ...(server.forwarded_allow_ips !== undefined ? { forwardedAllowIps: server.forwarded_allow_ips } : {}),
    ...(server.static_dir ? { staticDir: path.resolve(baseDir, server.static_dir) } : {}),
    ...(server.config_file ? { configFile: path.resolve(baseDir, server.config_file) } : {}),
    ...(server.app_file ? { app: `${server.app_file.replace(/\.py$/, '')}:application`, appsDir: path.resolve(baseDir) } : {}),
  }
}

/** Gunicorn in the registry: pre-fork (sync) and threaded (gthread) WSGI server, Debian's `gunicorn`. */
export const gunicorn: ServerEngine = {
  name: 'gunicorn',
  role: 'server',
  stack: 'python',
  source: { kind: 'debian', packages: ['gunicorn'] },
  models: ['prefork', 'threaded'],
  serves: ['wsgi'],
  protocols: ['http'],
  detect: detectGunicorn,
  async start({ server, app }, place) {
    if (!app) throw new Error('gunicorn needs a WSGI app')
    const config = { ...gunicornConfig(server, app.entry, place.port ?? (await freePort()), place.baseDir), ...(place.alsoListen ? { alsoListen: place.alsoListen } : {}) }
    const part = await startGunicorn(config, runPlaceOf(place, 'gunicorn'))
    return place.alsoListen ? Object.assign(part, { alsoListening: place.alsoListen }) : part
  },
  doctorNotes: gunicornWorkerClasses,
}

/**
 * The doctor's facts about Gunicorn's worker classes: `sync` and `gthread`
 * ship with it; `gevent` needs the gevent library (Debian's `python3-gevent`)
 * importable by Gunicorn's interpreter.
 */
export function gunicornWorkerClasses(info: EngineInfo): DoctorNotes {
  const gevent = info.components?.gevent
  return {
    notes: ['worker classes: sync, gthread', gevent ? `gevent ${gevent}` : 'gevent worker class missing'],
    install: gevent ? [] : ['python3-gevent'],
  }
}
