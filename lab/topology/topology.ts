/**
 * Starts a topology's parts and hands back what the load driver needs: the
 * URL, the current processes (for /proc sampling), the lab events the
 * servers report, and `stop()`.
 *
 * Which engine serves each part is the registry's answer
 * (lab/engines/registry.ts); this module only puts the parts together: the
 * server instances first (`upstreams`, default 1, each its own process
 * group), then the proxy in front of their ports, if the topology has one.
 * Every Debian engine needed is detected before anything starts: a missing
 * one throws `EngineMissingError` (the CLI exits 3 with the install command).
 */
import { RESTART_MARK } from '../core/deploy-loss.js'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { formatIssues, proxySchema, type DeployDef, type ProxyDef, type TopologyDef } from '../core/scenario.js'
import type { ProxyEngineName, Stack } from '../core/vocabulary.js'
import type { DetectOptions, Engine, EngineInfo, Place, ProcessInfo, RunningPart, TopologyEvent, WorkerStatus } from '../engines/engine.js'
import { ENGINES, requireEngines, resolveTopology } from '../engines/registry.js'

export type { ProcessInfo, TopologyEvent, WorkerStatus }

/** A started topology. */
export interface RunningTopology {
  id: string
  /** Base URL, e.g. `http://127.0.0.1:40123`: the proxy's when there is one, else the server's. */
  url: string
  /** The engines' names, e.g. `{ server: 'gunicorn', proxy: 'nginx' }`. */
  engines: { server: string; proxy: string | null }
  /** Where the front part listens on the run's link too (`StartOptions.alsoListen`, when its engine can): slow clients in the namespace connect here. */
  link?: { address: string; port: number }
  /** The Python app the server serves (e.g. `flask`); absent for built-in servers. */
  app?: string
  processes(): ProcessInfo[]
  events(): TopologyEvent[]
  /** Stops every process of the topology (the proxy first, so it does not log the servers' going away as upstream errors); idempotent. */
  stop(): Promise<void>
  /**
   * What each pre-fork worker is doing now, asked from the masters over IPC
   * (`{type:'status'}`); only topologies of built-in pre-fork servers have it.
   * Resolves `undefined` when a master does not answer within 1 s or is gone.
   */
  status?(): Promise<WorkerStatus[] | undefined>
  /**
   * Deploys a new version of every server instance (`deploy.how` of the
   * topology, lab/core/scenario.ts): `hup` signals each master, `restart` stops
   * each instance and starts it again on the same port. Records a `deploy`
   * event when it begins and when a restart is serving again.
   * @throws Error when an engine cannot be signalled, or a restarted one does not start
   */
  deploy?(how: DeployDef['how']): Promise<void>
}

/** Options of {@link startTopology}. */
export interface StartOptions {
  /** Which engines serve parts that pin none: `node` (built-in, default) or `python` (Gunicorn, Uvicorn, nginx). */
  stack?: Stack
  /** A folder for this run's files (engine logs, configs); created when an engine writes one. Default: a temp folder removed at stop. */
  runDir?: string
  /** How long each part may take to be ready (default 15 000 ms). */
  readyTimeoutMs?: number
  /** Folder that relative paths of the topology (`static_dir`) start from: the scenario's folder (default: the working folder). */
  baseDir?: string
  /** Where to look for engines (tests); default as in lab/engines/common.ts. */
  detect?: DetectOptions
  /** The host's end of the run's link (lab/topology/netns.ts): the front part (the proxy, else the servers) listens there too, where its engine can. */
  alsoListen?: string
}

/**
 * A topology's proxy part with every default applied (the part may come
 * unvalidated, e.g. `{ engine: 'nginx' }` from a test).
 * @throws Error naming each bad field, one line each
 */
export function proxySettings(def: Pick<TopologyDef, 'proxy'>): ProxyDef {
  const raw: unknown = def.proxy ?? {}
  const parsed = proxySchema.safeParse(raw)
  if (!parsed.success) throw new Error(formatIssues(raw, parsed.error.issues, proxySchema).map((l) => `proxy.${l}`).join('\n'))
  return parsed.data
}

/** The run folder, made on first use: the given one, or a temp folder that {@link remove} deletes. */
function runFolder(given: string | undefined) {
  let temp: string | undefined
  return {
    get(): string {
      if (given !== undefined) {
        mkdirSync(given, { recursive: true })
        return given
      }
      return (temp ??= mkdtempSync(path.join(os.tmpdir(), 'lab-run-')))
    },
    remove(): void {
      if (temp !== undefined) rmSync(temp, { recursive: true, force: true })
    },
  }
}

async function placeFor(engine: Engine, id: string, infos: Record<string, EngineInfo>, folder: ReturnType<typeof runFolder>, opts: StartOptions, front: boolean): Promise<Place> {
  return {
    ...(front && opts.alsoListen ? { alsoListen: opts.alsoListen } : {}),
    id,
    info: infos[engine.name] ?? (await engine.detect(opts.detect)),
    runDir: folder.get,
    baseDir: opts.baseDir ?? '.',
    readyTimeoutMs: opts.readyTimeoutMs ?? 15_000,
  }
}

/**
 * Starts a topology.
 * @param id - the topology's id (names its log files, `<id>.<engine>.log`; instance N of several is `<id>-N`)
 * @throws EngineMissingError before anything starts when a Debian engine or app is not installed
 * @throws Error when a part asks for what no engine gives, or with the failing part's output when
 *   a part does not start (nothing is left running)
 */
export async function startTopology(id: string, def: TopologyDef, opts: StartOptions = {}): Promise<RunningTopology> {
  const stack = opts.stack ?? 'node'
  const proxy = def.proxy ? proxySettings(def) : undefined
  const full: TopologyDef = proxy ? { ...def, proxy } : def
  const engines = resolveTopology(full, stack)
  const infos = await requireEngines([full], stack, opts.detect)
  const folder = runFolder(opts.runDir)
  const count = def.upstreams ?? 1
  const part = { server: def.server, ...(engines.app ? { app: engines.app } : {}), ...(proxy && proxy.protocol !== 'http' ? { protocol: proxy.protocol } : {}) }

  const started = await Promise.allSettled(
    Array.from({ length: count }, async (_, i) =>
      engines.server.start(
        part,
        await placeFor(engines.server, count > 1 ? `${id}-${i + 1}` : id, infos, folder, opts, !proxy),
      ),
    ),
  )
  const servers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []))
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected')
  let front: RunningPart | undefined
  try {
    if (failed) throw failed.reason
    if (engines.proxy && proxy) {
      front = await engines.proxy.start({ proxy, upstreams: servers.map((s) => s.port) }, await placeFor(engines.proxy, id, infos, folder, opts, true))
    }
  } catch (err) {
    await Promise.all(servers.map((s) => s.stop()))
    folder.remove()
    throw err
  }
  // a restart starts instance i again on its port, as a fresh process group
  const restart = async (i: number, port: number) =>
    engines.server.start(part, { ...(await placeFor(engines.server, count > 1 ? `${id}-${i + 1}` : id, infos, folder, opts, !proxy)), port })
  return { ...compose(id, servers, front, folder.remove, restart), ...(engines.app ? { app: engines.app.app.name } : {}) }
}

function compose(id: string, servers: RunningPart[], front: RunningPart | undefined, removeFolder: () => void, restart: (i: number, port: number) => Promise<RunningPart>): RunningTopology {
  const parts = () => (front ? [...servers, front] : servers)
  const first = servers[0] as RunningPart
  const own: TopologyEvent[] = []
  const mark = (message: string) => own.push({ at: performance.now(), kind: 'deploy', message })
  let stopping: Promise<void> | undefined
  const restartAll = async () => {
    const t0 = performance.now()
    mark(`${RESTART_MARK} the server to start the new version`)
    await Promise.all(
      servers.map(async (s, i) => {
        await s.stop()
        const again = await restart(i, s.port)
        // the run's earlier events stay with the old instance's
        servers[i] = { ...again, events: () => [...s.events(), ...again.events()] }
      }),
    )
    mark(`deploy: new version serving after a ${Math.round(performance.now() - t0)} ms gap`)
  }
  const linked = front ? front.alsoListening : servers.every((s) => s.alsoListening === first.alsoListening) ? first.alsoListening : undefined
  return {
    id,
    url: `${(front ?? first).scheme ?? 'http'}://127.0.0.1:${(front ?? first).port}`,
    ...(linked ? { link: { address: linked, port: (front ?? first).port } } : {}),
    engines: { server: first.engine, proxy: front?.engine ?? null },
    processes: () => parts().flatMap((p) => p.processes()),
    events: () => [...own, ...parts().flatMap((p) => p.events())].sort((a, b) => a.at - b.at),
    async deploy(how) {
      if (how === 'restart') return restartAll()
      if (how === 'usr2') {
        if (!servers.every((s) => s.upgrade)) throw new Error(`${id}: ${first.engine} has no binary upgrade (USR2); pin server.engine: 'gunicorn'`)
        await Promise.all(servers.map((s) => s.upgrade?.(mark)))
        return
      }
      if (how === 'proxy-reload') {
        if (front?.engine !== 'nginx' || !front.signal) throw new Error(`${id}: proxy-reload reloads nginx; this proxy is ${front?.engine ?? 'none'}: pin proxy.engine: 'nginx'`)
        mark(`deploy: SIGHUP to the ${front.engine} master (nginx -s reload: new workers with the configuration read again, the old ones finish their requests)`)
        front.signal('SIGHUP')
        return
      }
      const signal = servers.map((s) => s.signal)
      if (!signal.every((f) => f)) throw new Error(`${id}: ${first.engine} cannot be sent a signal`)
      mark('deploy: SIGHUP to the master (graceful reload)')
      for (const s of servers) s.signal?.('SIGHUP')
    },
    stop: () =>
      (stopping ??= (async () => {
        await front?.stop()
        await Promise.all(servers.map((s) => s.stop()))
        removeFolder()
      })()),
    ...(servers.every((s) => s.status)
      ? {
          status: async (): Promise<WorkerStatus[] | undefined> => {
            const all = await Promise.all(servers.map((s) => s.status?.()))
            return all.every((w) => w !== undefined) ? all.flat() : undefined
          },
        }
      : {}),
  }
}

/** Where and how to start a proxy on its own (see {@link startProxy}). */
export interface ProxyStartOptions {
  /** Names the proxy's log file (`<id>.<engine>.log`) and its errors. */
  id: string
  /** Folder for its log and config; default: a temp folder removed at stop. */
  runDir?: string
  /** The folder `static_dir` is relative to. */
  baseDir?: string
  /** The proxy's executable (default: as detected). */
  executable?: string
  readyTimeoutMs?: number
}

/**
 * Starts a proxy engine in front of upstreams that are already listening
 * (for tests and the bench, with upstreams of their own).
 * @param upstreams - ports on 127.0.0.1; a real proxy's readiness check needs `GET /health` to answer 200 through them
 * @throws Error with the proxy's output when it does not start
 */
export async function startProxy(engine: ProxyEngineName, proxy: ProxyDef, upstreams: readonly number[], opts: ProxyStartOptions): Promise<RunningPart> {
  const e = ENGINES[engine]
  const folder = runFolder(opts.runDir)
  const info = opts.executable ? { name: engine, found: true, path: opts.executable } : await e.detect()
  const place: Place = { id: opts.id, info, runDir: folder.get, baseDir: opts.baseDir ?? '.', readyTimeoutMs: opts.readyTimeoutMs ?? 15_000 }
  try {
    const part = await e.start({ proxy, upstreams }, place)
    return { ...part, stop: () => part.stop().then(folder.remove) }
  } catch (err) {
    folder.remove()
    throw err
  }
}
