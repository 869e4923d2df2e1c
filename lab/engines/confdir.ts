/**
 * What the config-file proxies (apache.ts, caddy.ts) share: a fresh temp
 * folder for the generated config, pid file, logs and runtime files; the
 * engine started there through `launch()`; on stop, the config and the
 * engine's own error log appended to its log in the run folder and the temp
 * folder removed (also at process exit, when the lab is interrupted before
 * `stop()` ran: lab/topology/group.ts kills the processes).
 */
import { appendFileSync, chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { launch, type EngineProcess, type LaunchSpec, type RunPlace } from './common.js'

const liveDirs = new Set<string>()
let exitHook = false
function rememberDir(dir: string): void {
  liveDirs.add(dir)
  if (exitHook) return
  exitHook = true
  process.once('exit', () => {
    for (const d of liveDirs) rmSync(d, { recursive: true, force: true })
  })
}

/** What {@link launchInTempDir} needs beyond `launch()`'s spec. */
export interface ConfDirSpec extends Omit<LaunchSpec, 'args' | 'cwd' | 'logPath' | 'readyTimeoutMs' | 'command' | 'failureDetail' | 'cleanup' | 'env'> {
  /** Prefix of the temp folder, e.g. `lab-apache-`. */
  prefix: string
  /** The config's file name in the folder and its text (given the folder's absolute path). */
  confName: string
  conf(dir: string): string
  /** The environment, given the folder (default: the lab's own). */
  env?(dir: string): NodeJS.ProcessEnv
  /** The command line, given the folder. */
  args(dir: string): string[]
  /** The engine's own error log inside the folder (read for failures and kept on stop). */
  errorLog?: string
  /** Writes more files into the folder before the engine starts (e.g. a TLS certificate). */
  prepare?(dir: string): void
  /** Make the folder readable by other users (Apache's workers run as another user when the lab is root). */
  shared?: boolean
}

/**
 * Writes the config into a new temp folder and starts the engine there.
 * @throws Error with the engine's output and error log when it exits or is not ready in time (the folder is removed)
 */
export async function launchInTempDir(spec: ConfDirSpec, place: RunPlace): Promise<EngineProcess & { dir: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), spec.prefix))
  if (spec.shared) chmodSync(dir, 0o755)
  rememberDir(dir)
  spec.prepare?.(dir)
  const conf = spec.conf(dir)
  writeFileSync(path.join(dir, spec.confName), conf)
  const logPath = path.join(place.runDir, place.logName)
  const errorLog = spec.errorLog ? path.join(dir, spec.errorLog) : undefined
  const readErrorLog = () => (errorLog && existsSync(errorLog) ? readFileSync(errorLog, 'utf8') : '')
  const { prefix: _p, confName, conf: _c, args, env, errorLog: _e, shared: _s, prepare: _r, ...rest } = spec
  const engine = await launch({
    ...rest,
    command: place.executable,
    args: args(dir),
    env: env?.(dir) ?? process.env,
    cwd: dir,
    logPath,
    readyTimeoutMs: place.readyTimeoutMs ?? 15_000,
    failureDetail: readErrorLog,
    cleanup: () => {
      try {
        appendFileSync(logPath, `--- ${confName} ---\n${conf}--- error log ---\n${readErrorLog()}`)
      } catch {
        // the run folder is gone: nothing to keep
      }
      rmSync(dir, { recursive: true, force: true })
      liveDirs.delete(dir)
    },
  })
  return Object.assign(engine, { dir })
}
