/**
 * `lab run my-app --app FILE.py:ATTR --path / [--path /x] [--quick]`: the
 * student's own app under the lab's real engines (docs/my-app.md).
 *
 * 1. reads the options (lab/core/my-app.ts) and finds the app's folder and module;
 * 2. imports it once with the servers' interpreter (lab/apps/my_app_probe.py):
 *    a missing file, module or attribute, an import error, something not
 *    callable, or neither WSGI nor ASGI ends here with exit 2 and one line;
 * 3. a calibration level: each route at one connection on the first
 *    topology; a route never answered with a 2xx (404 on every request) is
 *    exit 2; the others give what the model assumes each costs;
 * 4. the run: every topology that fits the interface, through `lab run`'s
 *    own command (lab/commands/run.ts), so results and report are as usual.
 *
 * The servers load the app through lab/apps/my_app.py, told where by
 * `LAB_APP_*` variables in this process's environment (the engines inherit it).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Writable } from 'node:stream'
import { appRequests, calibrationDemands, calibrationScenario, myAppScenario, parseAppSpec, type AppServers, type AppSpec } from '../core/my-app.js'
import type { AppInterface } from '../core/vocabulary.js'
import { APPS_DIR, capture } from '../engines/common.js'
import { ENGINES } from '../engines/registry.js'
import { runScenario } from '../run/engine.js'
import { exitCode, type RunOutcome } from '../run/types.js'
import { runCommand, type RunOptions } from './run.js'

/** `lab run my-app`'s own options, as the CLI parsed them (the rest are `lab run`'s). */
export interface MyAppOptions extends Omit<RunOptions, 'target'> {
  /** `--app`: `path/to/app.py:attr` or `module:attr`. */
  app?: string
  /** `--path`, repeatable. */
  path?: string[]
  /** `--requests`: a JSON file of weighted method/path/body entries. */
  requests?: string
  /** `--python`: an interpreter (a virtualenv's) whose packages the app imports. */
  python?: string
  /** `--workers` (Gunicorn; default 2) and `--threads` (gthread; default 4). */
  workers?: number
  threads?: number
  /** `--nginx`: also run each topology behind nginx. */
  nginx?: boolean
}

/** Where the app is: the folder put on `sys.path`, the module to import, the attribute. */
export interface AppLocation {
  dir: string
  module: string
  attr: string
}

/**
 * The folder and module of an `--app`: a file's folder and name, climbing
 * out of packages (folders with `__init__.py`) so `mysite/mysite/wsgi.py`
 * imports as `mysite.wsgi` from `mysite/`, as Django's settings expect; a
 * module is imported from the working folder, as Gunicorn and Uvicorn do.
 * @returns the location, or the problem (`no such file`)
 */
export function locateApp(spec: AppSpec, cwd = process.cwd()): { ok: true; value: AppLocation } | { ok: false; problem: string } {
  if (spec.form === 'module') return { ok: true, value: { dir: cwd, module: spec.target, attr: spec.attr } }
  const file = path.resolve(cwd, spec.target)
  if (!existsSync(file) || !statSync(file).isFile()) return { ok: false, problem: `--app ${spec.raw}: no such file ${spec.target}` }
  let dir = path.dirname(file)
  const parts = [path.basename(file, '.py')]
  while (existsSync(path.join(dir, '__init__.py')) && path.dirname(dir) !== dir) {
    parts.unshift(path.basename(dir))
    dir = path.dirname(dir)
  }
  return { ok: true, value: { dir, module: parts.join('.'), attr: spec.attr } }
}

type Probe = { interface: AppInterface; python: string } | { problem: string; message: string; callables?: string[] }

/** Imports the app once with `interpreter` (lab/apps/my_app_probe.py) and reads its verdict. */
async function probe(interpreter: string, at: AppLocation, sysPath: string): Promise<Probe> {
  const r = await capture(interpreter, [path.join(APPS_DIR, 'my_app_probe.py'), at.dir, at.module, at.attr, sysPath], 60_000)
  const line = r.stdout.split('\n').reverse().find((l) => l.startsWith('LAB-PROBE '))
  if (!line) return { problem: 'import-error', message: `${interpreter} could not check it: ${(r.error ?? r.stderr).trim().split('\n').slice(-1)[0] ?? ''}` }
  return JSON.parse(line.slice('LAB-PROBE '.length)) as Probe
}

/** The probe's verdict as `lab run`'s one-line problem. */
export function probeProblem(spec: AppSpec, at: AppLocation, p: Exclude<Probe, { interface: AppInterface }>, interpreter: string): string {
  const head = `--app ${spec.raw}`
  switch (p.problem) {
    case 'module-missing':
      return `${head}: ${p.message}`
    case 'attribute-missing':
      return `${head}: ${p.message}${p.callables?.length ? ` (callables there: ${p.callables.join(', ')})` : ''}`
    case 'not-callable':
      return `${head}: ${p.message}; expected a WSGI or an ASGI application`
    case 'not-an-app':
      return `${head}: ${p.message}: neither WSGI (a callable of environ, start_response: PEP 3333) nor ASGI (an async callable of scope, receive, send)`
    default: {
      const missing = /^ModuleNotFoundError/.test(p.message) ? `; the servers run ${interpreter}: install the package from Debian, or pass --python with a virtualenv's interpreter that has it` : ''
      return `${head}: importing ${at.module} failed: ${p.message}${missing}`
    }
  }
}

/**
 * With `--python`: that interpreter's `site-packages` folders, for the
 * servers' workers to import the app's packages from; it must be the
 * servers' Python version (compiled packages are built for one).
 * @returns the folders joined with `:`, or a problem
 */
async function sitePackages(python: string, serversPython: string): Promise<{ ok: true; value: string } | { ok: false; problem: string }> {
  const r = await capture(python, ['-c', 'import sys, json; print(json.dumps(["%d.%d" % sys.version_info[:2], [p for p in sys.path if p.endswith(("site-packages", "dist-packages"))]]))'])
  if (r.code !== 0) return { ok: false, problem: `--python ${python}: does not run (${(r.stderr.trim() || r.error || '').split('\n')[0]})` }
  const [version, dirs] = JSON.parse(r.stdout.trim()) as [string, string[]]
  const servers = serversPython.split('.').slice(0, 2).join('.')
  if (version !== servers) return { ok: false, problem: `--python ${python}: Python ${version}; the servers run Python ${servers}, so make the virtualenv with it (python${servers} -m venv)` }
  return { ok: true, value: dirs.join(path.delimiter) }
}

/**
 * Runs `lab run my-app`.
 * @returns the outcome; `code` 2 for bad input (one line on stderr), 3 when Gunicorn or Uvicorn is missing
 */
export async function myAppCommand(o: MyAppOptions): Promise<RunOutcome> {
  const stderr: Writable = o.stderr ?? process.stderr
  const refuse = (problems: string[], status: 'bad-input' | 'engine-missing' = 'bad-input'): RunOutcome => {
    for (const p of problems) stderr.write(`lab run: ${p}\n`)
    return { status, code: exitCode(status), problems, skipped: [], saved: false }
  }
  const spec = parseAppSpec(o.app)
  if (!spec.ok) return refuse(spec.problems)
  let file: unknown
  if (o.requests !== undefined) {
    try {
      file = JSON.parse(readFileSync(o.requests, 'utf8'))
    } catch (err) {
      return refuse([`--requests ${o.requests}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`])
    }
  }
  const requests = appRequests(o.path ?? [], file, o.requests)
  if (!requests.ok) return refuse(requests.problems)
  const servers: AppServers = { workers: o.workers ?? 2, threads: o.threads ?? 4, nginx: o.nginx === true }
  const counts = [['--workers', servers.workers, 64], ['--threads', servers.threads, 256]] as const
  const badCount = counts.filter(([, n, max]) => !Number.isInteger(n) || n < 1 || n > max).map(([flag, n, max]) => `${flag} ${n}: expected an integer 1..${max}`)
  if (badCount.length) return refuse(badCount)
  const at = locateApp(spec.value)
  if (!at.ok) return refuse([at.problem])

  // the servers' interpreter imports the app: check it with that one
  const info = (await ENGINES.gunicorn.detect()).interpreter ? await ENGINES.gunicorn.detect() : await ENGINES.uvicorn.detect()
  if (!info.found || !info.interpreter) return refuse([`no Python server engine: ${info.problem ?? 'no interpreter'}; install them with: apt-get install -y gunicorn uvicorn`], 'engine-missing')
  const serversPython = info.components?.python ?? ''
  let sysPath = ''
  if (o.python) {
    const site = await sitePackages(o.python, serversPython)
    if (!site.ok) return refuse([site.problem])
    sysPath = site.value
  }
  const verdict = await probe(info.interpreter, at.value, sysPath)
  if ('problem' in verdict) return refuse([probeProblem(spec.value, at.value, verdict, info.interpreter)])
  const iface = verdict.interface
  Object.assign(process.env, { LAB_APP_DIR: at.value.dir, LAB_APP_MODULE: at.value.module, LAB_APP_ATTR: at.value.attr, LAB_APP_SYSPATH: sysPath })
  stderr.write(`${spec.value.raw}: ${iface.toUpperCase()} (${at.value.module}:${at.value.attr} from ${at.value.dir})\n`)

  // calibration: one connection per route on the first topology, into a folder thrown away
  const calDir = mkdtempSync(path.join(os.tmpdir(), 'lab-my-app-'))
  let cal: RunOutcome
  try {
    stderr.write('calibration: each route at one connection (the service time the model uses)\n')
    cal = await runScenario({ target: 'my-app', scenario: calibrationScenario(iface, servers, requests.value), stack: 'python', calibrate: false, out: calDir, ...(o.signal ? { signal: o.signal } : {}) })
  } finally {
    rmSync(calDir, { recursive: true, force: true })
  }
  if (cal.status !== 'done' || !cal.doc) return refuse(cal.problems.length ? cal.problems : ['the calibration level did not finish'], cal.status === 'engine-missing' ? 'engine-missing' : 'bad-input')
  const demands = calibrationDemands(requests.value, cal.doc.runs)
  if (!demands.ok) return refuse(demands.problems)
  requests.value.forEach((r, i) => {
    const d = demands.value[i] as { io_ms: number; cpu_ms: number }
    stderr.write(`  ${r.method ?? 'GET'} ${r.path}: ${(d.io_ms + d.cpu_ms).toFixed(2)} ms at one connection, of which ${d.cpu_ms.toFixed(2)} ms server CPU\n`)
  })
  const scenario = myAppScenario(spec.value, iface, servers, requests.value, demands.value)
  // the calibration level measured each route's whole cost on this machine, the engine's included: no hello-world engine calibration on top
  return runCommand({ ...o, target: 'my-app', scenario, stack: 'python', calibrate: false })
}
