/**
 * What the real-engine adapters (gunicorn.ts, uvicorn.ts, nginx.ts) share:
 * finding an installed engine and reading its version ({@link detectCommand}),
 * finding a Python app's package ({@link detectPythonModule}), the
 * environment Python engines run in, and `launch()`: start the engine in its
 * own process group, keep its log in the run folder, and wait until it answers
 * `GET /health` over real HTTP.
 *
 * Detection never trusts `$PATH` first: the `python3` (and a `gunicorn`) first
 * on a developer's PATH may belong to pyenv or a virtualenv without the lab's
 * modules. Engines are looked up in the Debian locations (or in
 * `$LAB_ENGINE_PATH`, a colon-separated list of folders, or an explicit
 * `searchPath` for tests) and started through their installed entry points.
 */
import { execFile } from 'node:child_process'
import { accessSync, constants, createWriteStream, readFileSync, statSync, type WriteStream } from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { ROUTES } from '../contract/workload.js'
import type { EngineName } from '../core/vocabulary.js'
import { startGroup, type Group } from '../topology/group.js'
import { ROOT } from '../topology/paths.js'
import type { DetectOptions, EngineInfo, Place, ProcessInfo, RunningPart, TopologyEvent } from './engine.js'

/** `apt-get install -y <packages>`, each package once, in the order given. */
export function aptInstall(packages: readonly string[]): string {
  return `apt-get install -y ${[...new Set(packages)].join(' ')}`
}

/** Where engines are looked up when neither `searchPath` nor `$LAB_ENGINE_PATH` says otherwise (Debian's locations). */
export const DEFAULT_SEARCH_PATH: readonly string[] = ['/usr/sbin', '/usr/bin', '/sbin', '/bin']

/** The folders engines are looked up in. */
export function searchPathOf(opts: DetectOptions = {}): readonly string[] {
  if (opts.searchPath) return opts.searchPath
  const env = process.env.LAB_ENGINE_PATH
  return env ? env.split(':').filter(Boolean) : DEFAULT_SEARCH_PATH
}

/** The first executable regular file `name` in `dirs`, or undefined. */
export function findExecutable(name: string, dirs: readonly string[]): string | undefined {
  for (const dir of dirs) {
    const file = path.join(dir, name)
    try {
      if (!statSync(file).isFile()) continue
      accessSync(file, constants.X_OK)
      return file
    } catch {
      // not here
    }
  }
  return undefined
}

/**
 * The interpreter a script's `#!` line names (`#!/usr/bin/python3` → `/usr/bin/python3`;
 * `#!/usr/bin/env python3` → undefined, because that would pick whatever is first on PATH).
 */
export function shebangInterpreter(file: string): string | undefined {
  let head: string
  try {
    head = readFileSync(file, 'latin1').slice(0, 256)
  } catch {
    return undefined
  }
  const m = /^#!\s*(\S+)/.exec(head)
  if (!m?.[1] || path.basename(m[1]) === 'env') return undefined
  return m[1]
}

/** Output of a short command. */
export interface Captured {
  code: number | null
  stdout: string
  stderr: string
  error?: string
}

/** Runs a short command (a `--version`), with `timeoutMs` (default 10 000 ms) and `env` (default {@link pythonEnv}); never throws. */
export function capture(command: string, args: readonly string[], timeoutMs = 10_000, env: NodeJS.ProcessEnv = pythonEnv()): Promise<Captured> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: timeoutMs, env, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : null) : 0
      resolve({ code, stdout, stderr, ...(err ? { error: err.message } : {}) })
    })
  })
}

/**
 * Versions of Python distributions as `interpreter` sees them
 * (`importlib.metadata.version`), plus `python` (the interpreter's own).
 * A distribution that is not installed is left out.
 */
export async function pythonVersions(interpreter: string, distributions: readonly string[]): Promise<Record<string, string>> {
  const script = [
    'import importlib.metadata as m, json, platform',
    'out = {"python": platform.python_version()}',
    `for d in ${JSON.stringify(distributions)}:`,
    '    try: out[d] = m.version(d)',
    '    except Exception: pass',
    'print(json.dumps(out))',
  ].join('\n')
  const r = await capture(interpreter, ['-I', '-c', script])
  if (r.code !== 0) return {}
  try {
    return JSON.parse(r.stdout.trim()) as Record<string, string>
  } catch {
    return {}
  }
}

const cache = new Map<string, Promise<EngineInfo>>()

/** Memoizes a detection per engine and search path, so a scenario spawns each `--version` once. */
export function memoDetect(name: string, opts: DetectOptions, detect: (dirs: readonly string[]) => Promise<EngineInfo>): Promise<EngineInfo> {
  return memo(`${name}\0${searchPathOf(opts).join(':')}`, () => detect(searchPathOf(opts)))
}

function memo(key: string, detect: () => Promise<EngineInfo>): Promise<EngineInfo> {
  let p = cache.get(key)
  if (!p) cache.set(key, (p = detect()))
  return p
}

/** Forgets memoized detections (for tests, or after installing an engine). */
export function clearDetectCache(): void {
  cache.clear()
}

/** How to find an engine that is a command with a version option. */
export interface CommandDetection {
  /** The engine's name (the memo key and `EngineInfo.name`). */
  name: string
  /** The executable's file name, e.g. `gunicorn`, `nginx`. */
  file: string
  /** The arguments that print its version, e.g. `['--version']`. */
  args: readonly string[]
  /** Reads the version from what it printed (stdout and stderr together); undefined when absent. */
  parse(output: string): string | undefined
  /** A Python entry point: read its interpreter from the `#!` line, and these distributions' versions with it (`python` always). */
  python?: readonly string[]
}

/**
 * Finds an engine's executable in the search path and reads its version
 * (memoized per search path). A Python engine also gets its interpreter and
 * `components` (the interpreter's version and those of `python`'s distributions).
 * @returns `found: false` with a `problem` when it is absent or its version option fails
 */
export function detectCommand(d: CommandDetection, opts: DetectOptions = {}): Promise<EngineInfo> {
  return memoDetect(d.name, opts, async (dirs) => {
    const file = findExecutable(d.file, dirs)
    if (!file) return { name: d.name, found: false, problem: `no ${d.file} in ${dirs.join(':')}` }
    const r = await capture(file, d.args)
    const version = d.parse(r.stdout + r.stderr)
    if (!version) return { name: d.name, found: false, path: file, problem: `${file} ${d.args.join(' ')} failed: ${(r.error ?? r.stderr).trim()}` }
    if (!d.python) return { name: d.name, found: true, version, path: file }
    const interpreter = shebangInterpreter(file)
    const components = interpreter ? await pythonVersions(interpreter, d.python) : {}
    return { name: d.name, found: true, version, path: file, components, ...(interpreter ? { interpreter } : {}) }
  })
}

/**
 * Finds a Python module as `interpreter` sees it (an app's framework runs
 * inside the server's workers, so that interpreter must import it): its
 * distribution's version and its package folder (memoized per interpreter).
 * @returns `found: false` with a `problem` when the module cannot be imported
 */
export function detectPythonModule(name: string, module: string, interpreter: string): Promise<EngineInfo> {
  return memo(`${name}\0${interpreter}`, async () => {
    const script = `import ${module}, importlib.metadata as m, os; print(m.version(${JSON.stringify(module)})); print(os.path.dirname(${module}.__file__))`
    const r = await capture(interpreter, ['-I', '-c', script], 30_000) // importing a framework takes seconds on a loaded machine
    const [version, where] = r.stdout.trim().split('\n')
    if (r.code !== 0 || !version) return { name, found: false, interpreter, problem: `${interpreter} cannot import ${module}` }
    return { name, found: true, version, interpreter, ...(where ? { path: where } : {}) }
  })
}

/**
 * The environment Python engines run in: the lab's, without what would make
 * `/usr/bin/python3` load another interpreter's modules (`PYTHONHOME`,
 * `PYTHONPATH`) or change the engines' configuration behind the lab's back
 * (`GUNICORN_CMD_ARGS`, `WEB_CONCURRENCY`, which both Gunicorn and Uvicorn read
 * as the default worker count); with unbuffered output and no `__pycache__`
 * written into lab/apps.
 */
export function pythonEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' }
  for (const key of ['PYTHONHOME', 'PYTHONPATH', 'PYTHONSTARTUP', 'GUNICORN_CMD_ARGS', 'WEB_CONCURRENCY']) delete env[key]
  return env
}

/**
 * {@link pythonEnv} plus `LAB_STATIC_DIR`, the folder the app serves
 * `GET /static/<file>` from (a server part's `static_dir`, resolved from the
 * scenario's folder `baseDir`; lab/apps/workload.py). For engines whose app
 * processes inherit the environment (uWSGI's workers, mod_wsgi's daemons).
 */
export function appEnv(staticDir: string | undefined, baseDir: string): NodeJS.ProcessEnv {
  return { ...pythonEnv(), ...(staticDir ? { LAB_STATIC_DIR: path.resolve(baseDir, staticDir) } : {}) }
}

/** The folder holding the workload apps (wsgi_app.py, asgi_app.py, flask_app.py). */
export const APPS_DIR = path.join(ROOT, 'lab', 'apps')

/**
 * Where a real engine runs a part: its executable (as detected), the run
 * folder, and its log file `<id>.<engine>.log` there.
 */
export function runPlaceOf(place: Place, engine: EngineName): RunPlace {
  return { executable: place.info.path ?? engine, runDir: place.runDir(), logName: `${place.id}.${engine}.log`, readyTimeoutMs: place.readyTimeoutMs }
}

/** One `GET` on 127.0.0.1; resolves with the status, rejects with the socket error (e.g. ECONNREFUSED). */
export function httpGet(url: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: timeoutMs }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
      res.on('error', reject)
    })
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })))
    req.on('error', reject)
  })
}

/**
 * Waits until `GET url` answers 200 and `ready()` (if given) is true: retries
 * every 20 ms while the port refuses connections, for at most `timeoutMs` in
 * all. Gives up at once when `exited` settles (the engine died).
 * @throws Error naming the last failure
 */
export async function waitForHealth(url: string, opts: { timeoutMs: number; exited: Promise<unknown>; ready?: () => boolean }): Promise<void> {
  const deadline = performance.now() + opts.timeoutMs
  let dead = false
  void opts.exited.then(() => (dead = true))
  let last = 'no attempt'
  while (!dead) {
    const left = deadline - performance.now()
    if (left <= 0) throw new Error(`not ready within ${opts.timeoutMs} ms (last: ${last})`)
    try {
      const status = await httpGet(url, Math.max(50, Math.min(left, 5000)))
      if (status === 200 && (!opts.ready || opts.ready())) return
      last = status === 200 ? 'not every process is up yet' : `HTTP ${status}`
    } catch (err) {
      last = (err as NodeJS.ErrnoException).code ?? (err as Error).message
    }
    await new Promise((r) => setTimeout(r, 20))
  }
  throw new Error(`exited before it was ready (last: ${last})`)
}

/** A started real engine: a running part with its process group and log file. */
export interface EngineProcess extends RunningPart {
  /** Its process group (the engine's master or only process leads it). */
  group: Group
  /** The log file in the run folder (the engine's stdout and stderr). */
  logPath: string
}

/** Where an engine runs and how long it may take to start. */
export interface RunPlace {
  /** The executable (from the engine's `detect*()`). */
  executable: string
  /** Folder for the log; also the working directory. */
  runDir: string
  /** Log file name inside `runDir`, e.g. `prefork.gunicorn.log`. */
  logName: string
  /** Readiness limit in ms (default 15 000). */
  readyTimeoutMs?: number
}

/** What {@link launch} needs. */
export interface LaunchSpec {
  name: EngineName
  command: string
  args: string[]
  env?: NodeJS.ProcessEnv
  /** Working directory (the run folder, so no stray `gunicorn.conf.py` is picked up). */
  cwd: string
  port: number
  logPath: string
  readyTimeoutMs: number
  processes(pid: number): ProcessInfo[]
  /** Extra readiness condition, checked after /health answered 200 (e.g. all workers forked). */
  ready?(pid: number): boolean
  /** Turns a log line into an event, or not. */
  event?(line: string): Omit<TopologyEvent, 'at'> | undefined
  /** Extra text for the error when the start fails (e.g. nginx's error.log). */
  failureDetail?(): string
  /** Runs after the group stopped (e.g. remove a temp folder). */
  cleanup?(): void | Promise<void>
}

/**
 * The first line of an engine's output that states an error: a Python
 * exception (`RuntimeError: boom`, the last line of a traceback) or a log line
 * at error level (Gunicorn's `[ERROR]`, `[CRITICAL]`; nginx's `[emerg]`, `[alert]`, `[crit]`, `[error]`).
 */
export function firstError(text: string): string | undefined {
  const lines = text.split('\n')
  return (
    lines.find((l) => /^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt)\b.*:/.test(l.trim()) || /^ModuleNotFoundError/.test(l.trim())) ??
    lines.find((l) => /\[(emerg|alert|crit|error|ERROR|CRITICAL)\]/.test(l))
  )?.trim()
}

function tailOf(text: string, lines = 30): string {
  return text.split('\n').filter((l) => l.trim()).slice(-lines).join('\n')
}

/**
 * Starts an engine in its own process group, copies its stdout and stderr to
 * `logPath`, waits for `GET /health` on its port (see {@link waitForHealth}).
 * @throws Error with the engine's last output when it exits or is not ready
 *   in time; everything it started is stopped first
 */
export async function launch(spec: LaunchSpec): Promise<EngineProcess> {
  const log: WriteStream = createWriteStream(spec.logPath)
  log.write(`$ ${[spec.command, ...spec.args].join(' ')}\n`)
  const group = startGroup(spec.command, spec.args, { env: spec.env ?? process.env, cwd: spec.cwd })
  const events: TopologyEvent[] = []
  let partial = ''
  // Events count between ready and stop, like the built-in servers' (the
  // initial boots and the teardown's exits are not news).
  let recording = false
  let initial = new Set<number>()
  const onData = (chunk: Buffer) => {
    log.write(chunk)
    if (!spec.event) return
    const text = partial + chunk.toString('utf8')
    const lines = text.split('\n')
    partial = lines.pop() ?? ''
    for (const line of lines) {
      const e = recording ? spec.event(line) : undefined
      // A boot line of a process that was up at ready time may arrive late through the pipe.
      if (e && !(e.kind === 'worker-spawn' && e.pid !== undefined && initial.has(e.pid))) events.push({ at: performance.now(), ...e })
    }
  }
  group.child.stdout?.on('data', onData)
  group.child.stderr?.on('data', onData)

  let stopping: Promise<void> | undefined
  const stop = () =>
    (stopping ??= (async () => {
      recording = false
      await group.stop()
      await new Promise<void>((resolve) => log.end(resolve))
      await spec.cleanup?.()
    })())

  try {
    await waitForHealth(`http://127.0.0.1:${spec.port}${ROUTES.health}`, {
      timeoutMs: spec.readyTimeoutMs,
      exited: group.exited,
      ready: spec.ready ? () => spec.ready!(group.pid) : undefined,
    })
  } catch (err) {
    const detail = spec.failureDetail?.() ?? ''
    await stop()
    let logged = group.tail()
    try {
      logged = readFileSync(spec.logPath, 'utf8').split('\n').slice(1).join('\n') // without the command line
    } catch {
      // keep the in-memory tail
    }
    // (a cleanup may have copied the detail into the log already, as nginx's does)
    const all = detail.trim() && !logged.includes(detail.trim()) ? `${logged}\n${detail}` : logged
    const first = firstError(all)
    const output = tailOf(all)
    throw new Error(
      `${spec.name} did not start: ${(err as Error).message}\n` +
        (first ? `first error: ${first}\n` : '') +
        `command: ${[spec.command, ...spec.args].join(' ')}\nlog: ${spec.logPath}` +
        (output ? `\n--- ${spec.name} output (last lines) ---\n${output}` : ''),
    )
  }
  initial = new Set(spec.processes(group.pid).map((p) => p.pid))
  recording = !stopping
  return {
    engine: spec.name,
    port: spec.port,
    group,
    logPath: spec.logPath,
    processes: () => (stopping ? [] : spec.processes(group.pid)),
    events: () => events,
    stop,
    signal: (s) => process.kill(group.pid, s),
  }
}
