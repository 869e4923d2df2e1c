/**
 * What the built-in engines (node-prefork.ts, node-event-loop.ts,
 * node-reverse-proxy.ts) share: each is a Node program from lab/servers,
 * compiled into dist/, started in its own process group with an IPC channel.
 * It binds 127.0.0.1 port 0 and reports `{type:'ready', port, processes}`
 * (a handshake: nothing polls, nothing sleeps), then its processes, events
 * and worker status as they change (lab/contract/workload.ts, `ServerMessage`).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { BuiltinServerConfig, ServerMessage } from '../contract/workload.js'
import type { ServerDef } from '../core/scenario.js'
import type { EngineName } from '../core/vocabulary.js'
import { startGroup } from '../topology/group.js'
import { serverProgram, SERVERS_DIR } from '../topology/paths.js'
import type { DetectOptions, EngineInfo, Place, ProcessInfo, RunningPart, TopologyEvent, WorkerStatus } from './engine.js'

/**
 * Finds a built-in engine's compiled program (in `opts.builtinDir`, default
 * dist/lab/servers); its version is the Node that runs it.
 * @returns `found: false` with what to run when it is not built
 */
export async function detectBuiltin(name: EngineName, program: string, opts: DetectOptions = {}): Promise<EngineInfo> {
  const dir = opts.builtinDir ?? SERVERS_DIR
  try {
    return { name, found: true, version: `node ${process.version}`, path: serverProgram(program, dir) }
  } catch {
    return { name, found: false, problem: `${path.join(dir, `${program}.js`)} is not built: run \`npm run build\`` }
  }
}

/** How to start a built-in program. */
export interface BuiltinSpec {
  engine: EngineName
  /** The program in lab/servers, e.g. `prefork`. */
  program: string
  /** What errors call it, e.g. `the prefork server`. */
  what: string
  /** The topology id (prefixes errors). */
  id: string
  /** Its configuration, as environment variables (e.g. `LAB_SERVER_CONFIG`). */
  env: Record<string, string>
  readyTimeoutMs: number
  /** Runs after its process group stopped (e.g. remove a state folder). */
  cleanup?(): void
  /** Options for node itself, before the program (e.g. V8's heap sizes). */
  nodeFlags?: string[]
  /** It answers `{type:'status'}` with its workers' state (the pre-fork master). */
  reportsStatus?: boolean
}

/**
 * Starts a built-in program and waits for its ready message.
 * @returns the running part, with `status()` when it `reportsStatus`
 * @throws Error with the program's last output when it exits or is not ready in time
 */
export async function startBuiltin(spec: BuiltinSpec): Promise<RunningPart> {
  const group = startGroup(process.execPath, [...(spec.nodeFlags ?? []), serverProgram(spec.program)], { ipc: true, env: { ...process.env, ...spec.env } })
  let processes: ProcessInfo[] = []
  const events: TopologyEvent[] = []
  const statusWaiters: Array<(w: WorkerStatus[] | undefined) => void> = []
  const stop = async () => {
    await group.stop()
    spec.cleanup?.()
  }
  let port: number
  try {
    port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${spec.id}: ${spec.what} did not report ready within ${spec.readyTimeoutMs} ms`)), spec.readyTimeoutMs)
      group.child.on('message', (m: ServerMessage) => {
        if (m.type === 'ready') {
          clearTimeout(timer)
          processes = m.processes
          resolve(m.port)
        } else if (m.type === 'processes') processes = m.processes
        else if (m.type === 'event') events.push({ at: performance.now(), kind: m.kind, pid: m.pid ?? group.pid, message: m.message })
        else if (m.type === 'status') for (const answer of statusWaiters.splice(0)) answer(m.workers)
      })
      group.exited.then(({ code, signal }) => {
        clearTimeout(timer)
        reject(new Error(`${spec.id}: ${spec.what} exited before it was ready (${signal ?? `code ${code}`})`))
      })
    })
  } catch (err) {
    await stop()
    const tail = group.tail()
    throw new Error(`${(err as Error).message}${tail ? `\n--- ${spec.engine} output ---\n${tail}` : ''}`)
  }

  const status = () =>
    new Promise<WorkerStatus[] | undefined>((resolve) => {
      if (!group.child.connected) return resolve(undefined)
      let timer: NodeJS.Timeout | undefined
      const answer = (w: WorkerStatus[] | undefined) => {
        clearTimeout(timer)
        resolve(w)
      }
      statusWaiters.push(answer)
      timer = setTimeout(() => {
        const i = statusWaiters.indexOf(answer)
        if (i >= 0) statusWaiters.splice(i, 1)
        resolve(undefined)
      }, 1000)
      // one question answers every waiter: ask only when no question is out
      if (statusWaiters.length === 1) group.child.send({ type: 'status' }, (err) => err && answer(undefined))
    })
  const signal = (s: NodeJS.Signals) => process.kill(group.pid, s)
  return { engine: spec.engine, port, processes: () => processes, events: () => events, stop, signal, ...(spec.reportsStatus ? { status } : {}) }
}

/**
 * Starts a built-in server (`prefork`, `event-loop` or `threaded`) for a server part:
 * its settings go in `LAB_SERVER_CONFIG`; the master's worker-state file
 * lives in a temp folder removed after the stop. Keep-alive defaults to off
 * for pre-fork (like Gunicorn's sync worker) and threaded (every request a new
 * connection, spread over the processes by `accept`), on for the event loop.
 */
export function startBuiltinServer(engine: EngineName, program: 'prefork' | 'event-loop' | 'threaded', server: ServerDef, place: Place) {
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'lab-state-'))
  const config: BuiltinServerConfig = {
    workers: server.workers,
    ...(server.threads ? { threads: server.threads } : {}),
    timeout_s: server.timeout_s,
    backlog: server.backlog,
    keepAlive: server.keepAlive ?? program === 'event-loop',
    limitConcurrency: server.limit_concurrency ?? 0,
    stateDir,
    ...(place.port !== undefined ? { port: place.port } : {}),
    ...(server.max_requests ? { maxRequests: server.max_requests, maxRequestsJitter: server.max_requests_jitter ?? 0 } : {}),
    ...(server.static_dir ? { staticDir: path.resolve(place.baseDir, server.static_dir) } : {}),
    // the pre-fork server listens on the run's link too; the others stay on 127.0.0.1 (docs/network-links.md)
    ...(program === 'prefork' && place.alsoListen ? { alsoListen: place.alsoListen } : {}),
  }
  const linked = config.alsoListen
  return startBuiltin({
    engine,
    program,
    what: `the ${program} server`,
    id: place.id,
    env: { LAB_SERVER_CONFIG: JSON.stringify(config) },
    readyTimeoutMs: place.readyTimeoutMs,
    cleanup: () => rmSync(stateDir, { recursive: true, force: true }),
    reportsStatus: program === 'prefork',
  }).then((part) => (linked ? { ...part, alsoListening: linked } : part))
}
