/**
 * Finding an installed engine and reading its version ({@link detectCommand}),
 * and finding a Python app's package ({@link detectPythonModule}). Split from
 * lab/engines/common.ts, which re-exports it.
 *
 * Detection never trusts `$PATH` first: the `python3` (and a `gunicorn`) first
 * on a developer's PATH may belong to pyenv or a virtualenv without the lab's
 * modules. Engines are looked up in the Debian locations (or in
 * `$LAB_ENGINE_PATH`, a colon-separated list of folders, or an explicit
 * `searchPath` for tests) and started through their installed entry points.
 */
import { execFile } from 'node:child_process'
import { accessSync, constants, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import type { DetectOptions, EngineInfo } from './engine.js'

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
 * inside the server's workers, so that interpreter must find it): its
 * distribution's version and its package folder (memoized per interpreter).
 * Found (`importlib.util.find_spec`), not imported: importing the four
 * frameworks took 9 s of a quick run on the loaded 2-core machine, and each
 * server imports its own anyway (a broken install fails the start then).
 * @returns `found: false` with a `problem` when the interpreter has no such module
 */
export function detectPythonModule(name: string, module: string, interpreter: string): Promise<EngineInfo> {
  return memo(`${name}\0${interpreter}`, async () => {
    const script = [
      'import importlib.metadata as m, importlib.util as u, os',
      `s = u.find_spec(${JSON.stringify(module)})`,
      `print(m.version(${JSON.stringify(module)}))`,
      'print((s.submodule_search_locations or [os.path.dirname(s.origin)])[0])',
    ].join('\n')
    const r = await capture(interpreter, ['-I', '-c', script], 30_000)
    const [version, where] = r.stdout.trim().split('\n')
    if (r.code !== 0 || !version) return { name, found: false, interpreter, problem: `${interpreter} has no module ${module}` }
    return { name, found: true, version, interpreter, ...(where ? { path: where } : {}) }
  })
}

/**
 * The environment Python engines run in: the lab's, without what would make
 * `/usr/bin/python3` load another interpreter's modules (`PYTHONHOME`,
 * `PYTHONPATH`) or change the engines' configuration behind the lab's back
 * (`GUNICORN_CMD_ARGS`, `WEB_CONCURRENCY`, which both Gunicorn and Uvicorn read
 * as the default worker count, and `FORWARDED_ALLOW_IPS`, their default list of trusted proxies); with unbuffered output and no `__pycache__`
 * written into lab/apps.
 */
export function pythonEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' }
  for (const key of ['PYTHONHOME', 'PYTHONPATH', 'PYTHONSTARTUP', 'GUNICORN_CMD_ARGS', 'WEB_CONCURRENCY', 'FORWARDED_ALLOW_IPS']) delete env[key]
  return env
}
