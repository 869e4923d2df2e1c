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
import type { ProcessInfo, TopologyEvent } from '../topology/topology.js'
import { childrenOf } from '../topology/proc.js'
import {
  APPS_DIR,
  APT_PACKAGES,
  capture,
  findExecutable,
  launch,
  memoDetect,
  pythonEnv,
  pythonVersions,
  shebangInterpreter,
  type DetectOptions,
  type EngineInfo,
  type EngineProcess,
  type RunPlace,
} from './common.js'

/** The Python app Gunicorn serves: plain WSGI (stdlib) or the Flask variant. */
export type WsgiApp = 'wsgi' | 'flask'

/** The WSGI entry point of each app, as Gunicorn's `APP_MODULE` (`module:callable`) in lab/apps. */
export const WSGI_APPS: Record<WsgiApp, string> = { wsgi: 'wsgi_app:application', flask: 'flask_app:application' }

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
  return memoDetect('gunicorn', opts, async (dirs) => {
    const packages = APT_PACKAGES.gunicorn
    const file = findExecutable('gunicorn', dirs)
    if (!file) return { name: 'gunicorn', found: false, packages, problem: `no gunicorn in ${dirs.join(':')}` }
    const r = await capture(file, ['--version'])
    const version = parseGunicornVersion(r.stdout + r.stderr)
    if (!version) return { name: 'gunicorn', found: false, path: file, packages, problem: `${file} --version failed: ${(r.error ?? r.stderr).trim()}` }
    const interpreter = shebangInterpreter(file)
    const components = interpreter ? await pythonVersions(interpreter, []) : {}
    return { name: 'gunicorn', found: true, version, path: file, packages, components, ...(interpreter ? { interpreter } : {}) }
  })
}

/**
 * Finds Flask as Gunicorn's interpreter sees it (the Flask app runs inside
 * Gunicorn's workers, so Flask must be importable by that interpreter).
 * @returns `found: false` when Gunicorn or Flask is missing
 */
export function detectFlask(opts: DetectOptions = {}): Promise<EngineInfo> {
  return memoDetect('flask', opts, async () => {
    const packages = APT_PACKAGES.flask
    const gunicorn = await detectGunicorn(opts)
    if (!gunicorn.interpreter) return { name: 'flask', found: false, packages, problem: 'needs gunicorn (and the interpreter it runs on)' }
    const script = 'import flask, importlib.metadata as m, os; print(m.version("flask")); print(os.path.dirname(flask.__file__))'
    const r = await capture(gunicorn.interpreter, ['-I', '-c', script])
    const [version, where] = r.stdout.trim().split('\n')
    if (r.code !== 0 || !version) {
      return { name: 'flask', found: false, packages, interpreter: gunicorn.interpreter, problem: `${gunicorn.interpreter} cannot import flask` }
    }
    return { name: 'flask', found: true, version, packages, interpreter: gunicorn.interpreter, ...(where ? { path: where } : {}) }
  })
}

/** How to run Gunicorn: its settings, in the lab's units. */
export interface GunicornConfig {
  /** Port on 127.0.0.1 (`--bind 127.0.0.1:PORT`). */
  port: number
  /** Which app to serve (default `wsgi`). */
  app?: WsgiApp
  /** Folder of the apps (`--chdir`); default lab/apps. */
  appsDir?: string
  /** `--workers` (Gunicorn default 1). */
  workers: number
  /** `--worker-class` (default `sync`). */
  workerClass?: 'sync' | 'gthread'
  /** `--threads` per worker (gthread; Gunicorn default 1). With `sync` and threads > 1 Gunicorn itself switches to gthread. */
  threads?: number
  /** `--timeout` seconds a worker may stay silent before the master kills it (default 30). */
  timeoutS: number
  /** `--backlog` (default 2048, capped by net.core.somaxconn). */
  backlog: number
  /** `--keep-alive` seconds (default 2; the sync worker ignores it; 0 makes gthread close after every response). */
  keepAliveS?: number
  /** `--max-requests` per worker before it is replaced (default 0: never). */
  maxRequests?: number
  /** `--max-requests-jitter` (default 0). */
  maxRequestsJitter?: number
  /** `--graceful-timeout` seconds to finish requests on stop (Gunicorn default 30; the lab's teardown kills sooner). */
  gracefulTimeoutS?: number
}

/** The worker class Gunicorn will really run: `sync` with threads > 1 becomes `gthread`, as Gunicorn does. */
export function effectiveWorkerClass(c: Pick<GunicornConfig, 'workerClass' | 'threads'>): 'sync' | 'gthread' {
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
  const workerClass = effectiveWorkerClass(c)
  const args = [
    '--bind', `127.0.0.1:${c.port}`,
    '--workers', String(c.workers),
    '--worker-class', workerClass,
  ]
  if (workerClass === 'gthread') args.push('--threads', String(c.threads ?? 1))
  args.push('--timeout', seconds(c.timeoutS), '--backlog', String(c.backlog))
  if (c.keepAliveS !== undefined) args.push('--keep-alive', seconds(c.keepAliveS))
  if (c.maxRequests) {
    args.push('--max-requests', String(c.maxRequests))
    if (c.maxRequestsJitter) args.push('--max-requests-jitter', String(c.maxRequestsJitter))
  }
  if (c.gracefulTimeoutS !== undefined) args.push('--graceful-timeout', seconds(c.gracefulTimeoutS))
  args.push(
    '--chdir', c.appsDir ?? APPS_DIR,
    '--error-logfile', '-',
    '--log-level', 'info',
    WSGI_APPS[c.app ?? 'wsgi'],
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

/** Gunicorn's processes: the arbiter (`master`) and its children (`worker`), read live from /proc. */
export function gunicornProcesses(masterPid: number): ProcessInfo[] {
  return [{ pid: masterPid, role: 'master' }, ...childrenOf(masterPid).map((pid) => ({ pid, role: 'worker' as const }))]
}

/**
 * Starts Gunicorn and waits until `GET /health` answers and all `workers` are forked.
 * @throws Error with Gunicorn's last log lines when it exits or is not ready in time
 */
export async function startGunicorn(c: GunicornConfig, place: RunPlace): Promise<EngineProcess> {
  const appsDir = c.appsDir ?? APPS_DIR
  if (!existsSync(path.join(appsDir, `${WSGI_APPS[c.app ?? 'wsgi'].split(':')[0]}.py`))) {
    throw new Error(`the WSGI app is missing from ${appsDir}`)
  }
  return launch({
    name: 'gunicorn',
    command: place.executable,
    args: gunicornArgs(c),
    env: pythonEnv(),
    cwd: place.runDir,
    port: c.port,
    logPath: path.join(place.runDir, place.logName),
    readyTimeoutMs: place.readyTimeoutMs ?? 15_000,
    processes: gunicornProcesses,
    ready: (pid) => childrenOf(pid).length >= c.workers,
    event: gunicornEvent,
  })
}
