/**
 * Starts a topology's processes and hands back what the load driver needs:
 * the URL, the current processes (for /proc sampling), the lab events the
 * servers report, and `stop()`.
 *
 * Built-in servers are Node programs started in their own process group with
 * an IPC channel; they bind 127.0.0.1 port 0 and report `{type:'ready', port}`
 * (a handshake: nothing polls, nothing sleeps).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { TopologyDef } from '../core/scenario.js'
import type { ServerMessage, BuiltinServerConfig } from '../servers/workload.js'
import type { Stack } from '../engines/types.js'
import { startExternalTopology, usesExternalEngine } from './external.js'
import { startGroup, type Group } from './group.js'
import { startProxiedTopology } from './proxied.js'
import { serverProgram } from './paths.js'

/** A server process as the results name it. */
export interface ProcessInfo {
  pid: number
  role: 'master' | 'worker' | 'server' | 'proxy'
}

/** An event a server reported, stamped with `performance.now()` ms. */
export interface TopologyEvent {
  at: number
  kind: string
  pid?: number
  message: string
}

/** A started topology. */
export interface RunningTopology {
  id: string
  /** Base URL, e.g. `http://127.0.0.1:40123`. */
  url: string
  engines: { server: string; proxy: string | null }
  processes(): ProcessInfo[]
  events(): TopologyEvent[]
  /** Stops every process of the topology (SIGTERM, then SIGKILL); idempotent. */
  stop(): Promise<void>
  /**
   * What each pre-fork worker is doing now, asked from the master over IPC
   * (`{type:'status'}`); only built-in prefork servers have it. Resolves
   * `undefined` when the master does not answer within 1 s or is gone.
   */
  status?(): Promise<WorkerStatus[] | undefined>
}

/** One pre-fork worker as its master reports it. */
export interface WorkerStatus {
  pid: number
  /** Serving a connection right now. */
  busy: boolean
  /** Requests served since the worker started. */
  requests: number
}

/** Built-in engine names, by model (docs/architecture.md, "Topologies"). */
export const BUILTIN_ENGINES = { prefork: 'node-prefork', 'event-loop': 'node-event-loop' } as const

/** Options of {@link startTopology}. */
export interface StartOptions {
  /** `node` (built-in engines, default) or `python` (Gunicorn, Uvicorn, nginx). */
  stack?: Stack
  /** A folder for this run's files (engine logs, configs). */
  runDir?: string
  /** How long the server may take to report ready (default 15 000 ms). */
  readyTimeoutMs?: number
  /** Folder that relative paths of the topology (`static_dir`) start from: the scenario's folder (default: the working folder). */
  baseDir?: string
}

/**
 * Starts a topology.
 * @throws Error with the server's last output when it exits or times out before ready
 * @throws EngineMissingError (from real engines) when a needed engine is not installed
 */
export async function startTopology(id: string, def: TopologyDef, opts: StartOptions = {}): Promise<RunningTopology> {
  const stack = opts.stack ?? 'node'
  if (def.proxy || (def.upstreams ?? 1) > 1) return startProxiedTopology(id, def, opts)
  if (usesExternalEngine(def, stack)) {
    return startExternalTopology(id, def, { stack, runDir: opts.runDir ?? mkdtempSync(path.join(os.tmpdir(), 'lab-run-')) })
  }
  const readyTimeoutMs = opts.readyTimeoutMs ?? 15_000
  const server = def.server
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'lab-state-'))
  const config: BuiltinServerConfig = {
    workers: server.workers,
    timeout_s: server.timeout_s,
    backlog: server.backlog,
    keepAlive: server.keepAlive ?? server.model === 'event-loop',
    limitConcurrency: server.limit_concurrency ?? 0,
    stateDir,
    ...(server.static_dir ? { staticDir: path.resolve(opts.baseDir ?? '.', server.static_dir) } : {}),
  }
  const group: Group = startGroup(process.execPath, [serverProgram(server.model)], {
    ipc: true,
    env: { ...process.env, LAB_SERVER_CONFIG: JSON.stringify(config) },
  })
  let processes: ProcessInfo[] = []
  const events: TopologyEvent[] = []
  const statusWaiters: Array<(w: WorkerStatus[] | undefined) => void> = []
  const cleanup = async () => {
    await group.stop()
    rmSync(stateDir, { recursive: true, force: true })
  }

  let port: number
  try {
    port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${id}: the ${server.model} server did not report ready within ${readyTimeoutMs} ms`)), readyTimeoutMs)
      group.child.on('message', (m: ServerMessage) => {
        if (m.type === 'ready') {
          clearTimeout(timer)
          processes = m.processes
          resolve(m.port)
        } else if (m.type === 'processes') processes = m.processes
        else if (m.type === 'event') events.push({ at: performance.now(), kind: m.kind, pid: m.pid, message: m.message })
        else if (m.type === 'status') for (const resolve of statusWaiters.splice(0)) resolve(m.workers)
      })
      group.exited.then(({ code, signal }) => {
        clearTimeout(timer)
        reject(new Error(`${id}: the ${server.model} server exited before it was ready (${signal ?? `code ${code}`})`))
      })
    })
  } catch (err) {
    await cleanup()
    const tail = group.tail()
    throw new Error(`${(err as Error).message}${tail ? `\n--- server output ---\n${tail}` : ''}`)
  }

  return {
    id,
    url: `http://127.0.0.1:${port}`,
    engines: { server: server.engine ?? BUILTIN_ENGINES[server.model], proxy: null },
    processes: () => processes,
    events: () => events,
    stop: cleanup,
    ...(server.model === 'prefork'
      ? {
          status: () =>
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
            }),
        }
      : {}),
  }
}
