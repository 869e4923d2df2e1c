/**
 * The development servers, as engines (`engine: 'wsgiref'`, `engine:
 * 'werkzeug'`, `--stack python`), so a scenario can show in numbers why they
 * are not for production (scenarios/dev-server). Both run in ONE process with
 * no master: nothing restarts it, nothing times a request out, and the
 * scenario's `workers` must be 1.
 *
 * - `wsgiref`: `wsgiref.simple_server` from Python's standard library (3.11):
 *   one request at a time (`model: 'prefork'` with one worker); it answers
 *   HTTP/1.0 and closes every connection; its `socketserver.TCPServer` listens
 *   with `request_queue_size = 5` (Lib/socketserver.py), so the part's
 *   `backlog` is not used. Its module docstring (Lib/wsgiref/simple_server.py,
 *   3.11): "we strongly recommend that you use a "real" web server for
 *   production use".
 * - `werkzeug`: `werkzeug.serving.run_simple` (Werkzeug 2.2), which `flask
 *   run` calls. `model: 'threaded'` runs it as Flask does by default
 *   (`threaded=True`: Flask 2.2's `flask run --with-threads` and `Flask.run`
 *   default; `run_simple`'s own default is `threaded=False`): a thread per
 *   connection, as many threads as connections, so the part's `threads` is
 *   not a limit (the model reads it as the number of threads; set it to the
 *   connections). `model: 'prefork'` runs `threaded=False`: one request at a
 *   time. Werkzeug listens with a backlog of 128 (`LISTEN_QUEUE`,
 *   werkzeug/serving.py 2.2.2).
 *
 * Neither reads `timeout_s`, `backlog`, `keep_alive_s` or `max_requests`: the
 * development servers have no such settings. The launcher is
 * lab/apps/dev_server.py.
 */
import path from 'node:path'
import { freePort } from '../contract/ports.js'
import type { ServerDef } from '../core/scenario.js'
import { APPS_DIR, appEnv, detectCommand, detectPythonModule, launch, runPlaceOf } from './common.js'
import type { DetectOptions, EngineInfo, Place, ServedApp, ServerEngine } from './engine.js'

/** Reads the version from `python3 --version` (`Python 3.11.2`). */
export function parsePythonVersion(output: string): string | undefined {
  return /Python (\d[\w.+-]*)/.exec(output)?.[1]
}

/** Debian's `python3`, found as `name` (the memo key), with itself as the interpreter. */
async function detectPython(name: string, opts: DetectOptions): Promise<EngineInfo> {
  const info = await detectCommand({ name, file: 'python3', args: ['--version'], parse: parsePythonVersion }, opts)
  return info.found && info.path ? { ...info, interpreter: info.path, components: { python: info.version ?? '' } } : info
}

/** Which development server, and how: `werkzeug` with `threaded` true is what `flask run` starts. */
export interface DevServerConfig {
  kind: 'wsgiref' | 'werkzeug'
  /** Port on 127.0.0.1. */
  port: number
  /** The WSGI app as `module:callable` in lab/apps. */
  app: string
  /** Werkzeug only: a thread per connection (Flask's default) or one request at a time. */
  threaded: boolean
}

/** The launcher's arguments (after the interpreter): `lab/apps/dev_server.py KIND PORT APP [threaded|single]`. */
export function devServerArgs(c: DevServerConfig, appsDir = APPS_DIR): string[] {
  return [path.join(appsDir, 'dev_server.py'), c.kind, String(c.port), c.app, ...(c.kind === 'werkzeug' ? [c.threaded ? 'threaded' : 'single'] : [])]
}

/**
 * A development server's settings for a server part.
 * @throws Error when the part asks for more than one worker (neither server forks) or wsgiref for threads
 */
export function devServerConfig(kind: DevServerConfig['kind'], server: Pick<ServerDef, 'model' | 'workers'>, app: string, port: number): DevServerConfig {
  if (server.workers !== 1) throw new Error(`server.workers: ${kind} runs in one process with no master; set workers: 1 (it is ${server.workers})`)
  if (kind === 'wsgiref' && server.model !== 'prefork') throw new Error(`server.model: wsgiref serves one request at a time; use model: 'prefork' with workers: 1`)
  return { kind, port, app, threaded: server.model === 'threaded' }
}

async function startDevServer(kind: DevServerConfig['kind'], server: ServerDef, app: ServedApp | undefined, place: Place) {
  if (!app) throw new Error(`${kind} needs a WSGI app`)
  const c = devServerConfig(kind, server, app.entry, place.port ?? (await freePort()))
  const p = runPlaceOf(place, kind)
  return launch({
    name: kind,
    command: place.info.interpreter ?? p.executable,
    args: devServerArgs(c),
    env: appEnv(server.static_dir, place.baseDir),
    cwd: p.runDir,
    port: c.port,
    logPath: path.join(p.runDir, p.logName),
    readyTimeoutMs: p.readyTimeoutMs ?? 15_000,
    processes: (pid) => [{ pid, role: 'server' }],
  })
}

/** wsgiref in the registry: the standard library's one-request-at-a-time server (Debian's `python3`). */
export const wsgiref: ServerEngine = {
  name: 'wsgiref',
  role: 'server',
  stack: 'python',
  source: { kind: 'debian', packages: ['python3'] },
  models: ['prefork'],
  serves: ['wsgi'],
  protocols: ['http'],
  detect: (opts = {}) => detectPython('wsgiref', opts),
  start: ({ server, app }, place) => startDevServer('wsgiref', server, app, place),
}

/** Werkzeug's development server in the registry (what `flask run` starts; Debian's `python3-werkzeug`). */
export const werkzeug: ServerEngine = {
  name: 'werkzeug',
  role: 'server',
  stack: 'python',
  source: { kind: 'debian', packages: ['python3-werkzeug'] },
  models: ['threaded', 'prefork'],
  serves: ['wsgi'],
  protocols: ['http'],
  async detect(opts = {}) {
    const py = await detectPython('werkzeug-python', opts)
    if (!py.found || !py.path) return { ...py, name: 'werkzeug' }
    const m = await detectPythonModule('werkzeug', 'werkzeug', py.path)
    return { ...py, name: 'werkzeug', found: m.found, ...(m.version ? { version: m.version } : {}), ...(m.problem ? { problem: m.problem } : {}) }
  },
  start: ({ server, app }, place) => startDevServer('werkzeug', server, app, place),
}
