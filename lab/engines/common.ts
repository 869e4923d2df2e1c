/**
 * What the real-engine adapters (gunicorn.ts, uvicorn.ts, nginx.ts) share:
 * detection (lab/engines/detect.ts, re-exported here), the
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
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import path from 'node:path'
import { ROUTES } from '../contract/workload.js'
import type { EngineName } from '../core/vocabulary.js'
import { startGroup, type Group } from '../topology/group.js'
import { binaryUpgrade } from './upgrade.js'
import { ROOT } from '../topology/paths.js'
import { EventLog, watchProcesses, type ProcessWatch } from '../topology/watch.js'
import type { Place, ProcessInfo, RunningPart, TopologyEvent } from './engine.js'

export * from './detect.js'
import { pythonEnv } from './detect.js'


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
    // https: the run's own self-signed certificate (lab/engines/tls.ts), so it is not verified
    const get = url.startsWith('https:') ? (u: string, o: https.RequestOptions, cb: (res: http.IncomingMessage) => void) => https.get(u, { ...o, rejectUnauthorized: false }, cb) : http.get
    const req = get(url, { agent: false, timeout: timeoutMs }, (res) => {
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
export async function waitForHealth(
  url: string,
  opts: { timeoutMs: number; exited: Promise<unknown>; ready?: () => boolean; probe?: (timeoutMs: number) => Promise<number> },
): Promise<void> {
  const get = opts.probe ?? ((ms: number) => httpGet(url, ms))
  const deadline = performance.now() + opts.timeoutMs
  let dead = false
  void opts.exited.then(() => (dead = true))
  let last = 'no attempt'
  while (!dead) {
    const left = deadline - performance.now()
    if (left <= 0) throw new Error(`not ready within ${opts.timeoutMs} ms (last: ${last})`)
    try {
      const status = await get(Math.max(50, Math.min(left, 5000)))
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
  /** `https` when the engine terminates TLS on its port (health checks and the topology's URL follow); default `http`. */
  scheme?: 'http' | 'https'
  command: string
  args: string[]
  env?: NodeJS.ProcessEnv
  /** Working directory (the run folder, so no stray `gunicorn.conf.py` is picked up). */
  cwd: string
  port: number
  logPath: string
  readyTimeoutMs: number
  processes(pid: number): ProcessInfo[]
  /** Asks for `GET /health` another way than HTTP and resolves with the status (uWSGI's `--socket` speaks the uwsgi protocol); default: over HTTP. */
  probe?(timeoutMs: number): Promise<number>
  /** Extra readiness condition, checked after /health answered 200 (e.g. all workers forked). */
  ready?(pid: number): boolean
  /** Turns a log line into an event, or not. */
  event?(line: string): Omit<TopologyEvent, 'at'> | undefined
  /** Extra text for the error when the start fails (e.g. nginx's error.log). */
  failureDetail?(): string
  /** Workers a new master must have before the old one is stopped, for engines that do a binary upgrade on `USR2` (Gunicorn; lab/engines/upgrade.ts). */
  upgradeWorkers?: number
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
  // Exits and boots come from the process table (topology/watch.ts); log lines add why, and timeouts.
  const events = new EventLog()
  let watch: ProcessWatch | undefined
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
      if (!e || (e.kind === 'worker-spawn' && e.pid !== undefined && initial.has(e.pid))) continue
      watch?.poll() // the table first, so the exit a boot replaces is never stamped after the boot
      events.fromLog(e, performance.now())
    }
  }
  group.child.stdout?.on('data', onData)
  group.child.stderr?.on('data', onData)
  // The current master: the group's leader, or the new master of a binary upgrade (which the leader's exit then is no news of).
  let master = group.pid
  let upgrading = false
  // The master (or only process) itself ending while recording is an exit nothing will answer (unless an upgrade replaced it).
  void group.exited.then(({ code, signal }) => {
    if (recording && !upgrading) events.fromLog({ kind: 'worker-exit', pid: group.pid, message: `${spec.name} (pid ${group.pid}) exited (${signal ?? `code ${code}`}); nothing restarts it` }, performance.now())
  })

  let stopping: Promise<void> | undefined
  const stop = () =>
    (stopping ??= (async () => {
      recording = false
      watch?.stop()
      await group.stop()
      await new Promise<void>((resolve) => log.end(resolve))
      await spec.cleanup?.()
    })())

  try {
    await waitForHealth(`${spec.scheme ?? 'http'}://127.0.0.1:${spec.port}${ROUTES.health}`, {
      timeoutMs: spec.readyTimeoutMs,
      exited: group.exited,
      ready: spec.ready ? () => spec.ready!(group.pid) : undefined,
      ...(spec.probe ? { probe: spec.probe } : {}),
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
  const atReady = spec.processes(group.pid)
  initial = new Set(atReady.map((p) => p.pid))
  recording = !stopping
  if (recording) watch = watchProcesses(() => spec.processes(master), atReady, (c) => recording && events.fromTable(c, performance.now()))
  const workers = spec.upgradeWorkers
  return {
    engine: spec.name,
    port: spec.port,
    ...(spec.scheme ? { scheme: spec.scheme } : {}),
    group,
    logPath: spec.logPath,
    processes: () => (stopping ? [] : spec.processes(master)),
    events: () => events.events(),
    stop,
    signal: (s) => process.kill(master, s),
    ...(workers !== undefined
      ? {
          upgrade: async (mark: (message: string) => void) => {
            // the old master's exit must not take the group (and the new master in it) down
            group.handOver()
            upgrading = true
            master = await binaryUpgrade(master, workers, spec.readyTimeoutMs, mark)
          },
        }
      : {}),
  }
}
