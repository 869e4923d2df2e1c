/**
 * Topologies with a reverse proxy in front (`proxy: {...}`) and possibly
 * several server instances behind it (`upstreams: N`): the servers start
 * first (each its own process group: a built-in server, Gunicorn or Uvicorn,
 * as lab/topology/topology.ts and external.ts start them), then the proxy,
 * pointed at their ports:
 *
 * | proxy engine          | how it runs |
 * |-----------------------|-------------|
 * | `node-reverse-proxy`  | lab/servers/reverse-proxy.ts, one Node process; ready by IPC handshake (port 0) |
 * | `nginx`               | lab/engines/nginx.ts: nginx.conf in a temp folder, `nginx -p DIR -c nginx.conf` in the foreground; ready when `/health` answers through it |
 *
 * The proxy's settings are the scenario's `proxy` part (lab/core/scenario.ts,
 * `proxySchema`), rendered for each engine by {@link reverseProxyConfig} and
 * {@link nginxProxyConfig}, so both engines get the same options.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { formatIssues, proxySchema, type ProxyDef, type TopologyDef } from '../core/scenario.js'
import { freePort } from '../engines/common.js'
import { startNginx, type NginxConfig } from '../engines/nginx.js'
import type { Stack } from '../engines/types.js'
import { PROXY_DEFAULTS, type ReverseProxyConfig } from '../servers/proxy-logic.js'
import { proxyEngineOf, requireEngines } from './external.js'
import { startGroup } from './group.js'
import { serverProgram } from './paths.js'
import { startTopology, type ProcessInfo, type RunningTopology, type StartOptions, type TopologyEvent, type WorkerStatus } from './topology.js'

/**
 * A topology's proxy part with every default applied (the part may come
 * unvalidated, e.g. `{ engine: 'nginx' }` from a test).
 * @throws Error naming each bad field, one line each
 */
export function proxySettings(def: TopologyDef): ProxyDef {
  const raw: unknown = def.proxy ?? {}
  const parsed = proxySchema.safeParse(raw)
  if (!parsed.success) throw new Error(formatIssues(raw, parsed.error.issues).map((l) => `proxy.${l}`).join('\n'))
  return parsed.data
}

/** Attempts per request: one retry on the next upstream when `retry` is on (nginx `proxy_next_upstream_tries 2`). */
function tries(p: ProxyDef): number {
  return p.retry ? 2 : 1
}

/**
 * The built-in proxy's configuration for a proxy part.
 * @param upstreams - the server instances' ports on 127.0.0.1
 * @param baseDir - the folder `static_dir` is relative to (the scenario's)
 */
export function reverseProxyConfig(p: ProxyDef, upstreams: number[], baseDir = '.'): ReverseProxyConfig {
  return {
    ...PROXY_DEFAULTS,
    upstreams,
    requestBuffering: p.request_buffering,
    buffering: p.buffering,
    ...(p.static_dir ? { staticDir: path.resolve(baseDir, p.static_dir) } : {}),
    balance: p.balance,
    keepalive: p.keepalive,
    readTimeoutS: p.read_timeout_s,
    connectTimeoutS: p.connect_timeout_s,
    maxFails: p.max_fails,
    failTimeoutS: p.fail_timeout_s,
    tries: tries(p),
    cacheTtlS: p.cache_ttl_s,
    cacheLock: p.cache_lock,
  }
}

/**
 * nginx's configuration for the same proxy part: `proxy_request_buffering`,
 * `proxy_buffering`, an `upstream` block (with `least_conn`, `max_fails`,
 * `fail_timeout`, `keepalive`), `proxy_next_upstream`, `proxy_cache` with
 * `proxy_cache_lock` and `proxy_cache_use_stale updating`, and
 * `location /static/`.
 * @param port - the port nginx listens on, on 127.0.0.1
 */
export function nginxProxyConfig(p: ProxyDef, upstreams: number[], port: number, baseDir = '.'): NginxConfig {
  return {
    port,
    upstreams,
    workerProcesses: p.workers ?? 1,
    buffering: p.buffering,
    requestBuffering: p.request_buffering,
    upstreamKeepalive: p.keepalive,
    balance: p.balance === 'least-conn' ? 'least_conn' : 'round-robin',
    ...(p.static_dir ? { staticDir: path.resolve(baseDir, p.static_dir) } : {}),
    readTimeoutS: p.read_timeout_s,
    connectTimeoutS: p.connect_timeout_s,
    maxFails: p.max_fails,
    failTimeoutS: p.fail_timeout_s,
    nextUpstream: p.retry,
    ...(p.retry ? { nextUpstreamTries: tries(p) } : {}),
    cacheTtlS: p.cache_ttl_s,
    cacheLock: p.cache_lock,
  }
}

/** A started proxy. */
export interface ProxyPart {
  /** `node-reverse-proxy` or `nginx`. */
  engine: string
  /** The port it listens on, on 127.0.0.1. */
  port: number
  processes(): ProcessInfo[]
  events(): TopologyEvent[]
  /** Stops its process group (and removes nginx's temp folder); idempotent. */
  stop(): Promise<void>
}

/** Where and how to start a proxy on its own (see {@link startProxy}). */
export interface ProxyStartOptions {
  /** Names nginx's log file (`<id>.nginx.log`) and the errors. */
  id: string
  /** Folder for nginx's log (required for nginx). */
  runDir?: string
  /** The folder `static_dir` is relative to. */
  baseDir?: string
  /** nginx's executable (default: found by detection, else `nginx`). */
  executable?: string
  readyTimeoutMs?: number
}

/**
 * Starts a proxy engine in front of upstreams that are already listening
 * (used by {@link startProxiedTopology}, and by tests and the bench with
 * upstreams of their own).
 * @param upstreams - ports on 127.0.0.1; nginx's readiness check needs `GET /health` to answer 200 through them
 * @throws Error with the proxy's output when it does not start
 */
export async function startProxy(engine: 'node-reverse-proxy' | 'nginx', proxy: ProxyDef, upstreams: number[], opts: ProxyStartOptions): Promise<ProxyPart> {
  const readyTimeoutMs = opts.readyTimeoutMs ?? 15_000
  if (engine === 'node-reverse-proxy') return startBuiltinProxy(opts.id, reverseProxyConfig(proxy, upstreams, opts.baseDir), readyTimeoutMs)
  if (!opts.runDir) throw new Error('nginx needs a run folder for its log')
  const port = await freePort()
  const e = await startNginx(nginxProxyConfig(proxy, upstreams, port, opts.baseDir), {
    executable: opts.executable ?? 'nginx',
    runDir: opts.runDir,
    logName: `${opts.id}.nginx.log`,
    readyTimeoutMs,
  })
  return { engine: 'nginx', port: e.port, processes: e.processes, events: e.events, stop: e.stop }
}

/** Starts the built-in proxy and waits for its `{type:'ready', port}`. */
async function startBuiltinProxy(id: string, config: ReverseProxyConfig, readyTimeoutMs: number): Promise<ProxyPart> {
  const group = startGroup(process.execPath, [serverProgram('reverse-proxy')], {
    ipc: true,
    env: { ...process.env, LAB_PROXY_CONFIG: JSON.stringify(config) },
  })
  const events: TopologyEvent[] = []
  let processes: ProcessInfo[] = []
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${id}: the reverse proxy did not report ready within ${readyTimeoutMs} ms`)), readyTimeoutMs)
      group.child.on('message', (m: { type?: string; port?: number; processes?: ProcessInfo[]; kind?: string; message?: string }) => {
        if (m.type === 'ready' && typeof m.port === 'number') {
          clearTimeout(timer)
          processes = m.processes ?? [{ pid: group.pid, role: 'proxy' }]
          resolve(m.port)
        } else if (m.type === 'event') events.push({ at: performance.now(), kind: m.kind ?? 'proxy', pid: group.pid, message: m.message ?? '' })
      })
      group.exited.then(({ code, signal }) => {
        clearTimeout(timer)
        reject(new Error(`${id}: the reverse proxy exited before it was ready (${signal ?? `code ${code}`})`))
      })
    })
    return { engine: 'node-reverse-proxy', port, processes: () => processes, events: () => events, stop: () => group.stop() }
  } catch (err) {
    await group.stop()
    const tail = group.tail()
    throw new Error(`${(err as Error).message}${tail ? `\n--- proxy output ---\n${tail}` : ''}`)
  }
}

/**
 * Starts `upstreams` instances of the topology's server, then its proxy in front.
 * @returns the running topology: `url` is the proxy's; `processes()` lists every
 *   instance's processes and the proxy's (role `proxy`); `engines.proxy` is
 *   `node-reverse-proxy` or `nginx`
 * @throws EngineMissingError before anything starts when a real engine (nginx, Gunicorn, Uvicorn) is missing
 * @throws Error with the failing part's output when a part does not start (nothing is left running)
 */
export async function startProxiedTopology(id: string, def: TopologyDef, opts: StartOptions = {}): Promise<RunningTopology> {
  const stack: Stack = opts.stack ?? 'node'
  const proxy = proxySettings(def)
  const engine = proxyEngineOf({ ...def, proxy }, stack)
  const infos = await requireEngines([{ ...def, proxy }], stack)
  const readyTimeoutMs = opts.readyTimeoutMs ?? 15_000
  const ownRunDir = opts.runDir === undefined && engine === 'nginx'
  const runDir = opts.runDir ?? (engine === 'nginx' ? mkdtempSync(path.join(os.tmpdir(), 'lab-run-')) : undefined)
  if (runDir) mkdirSync(runDir, { recursive: true })
  const count = def.upstreams ?? 1

  const started = await Promise.allSettled(
    Array.from({ length: count }, (_, i) =>
      startTopology(count > 1 ? `${id}-${i + 1}` : id, { server: def.server }, { stack, readyTimeoutMs, ...(runDir ? { runDir } : {}), ...(opts.baseDir ? { baseDir: opts.baseDir } : {}) }),
    ),
  )
  const servers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []))
  const removeRunDir = () => {
    if (ownRunDir && runDir) rmSync(runDir, { recursive: true, force: true })
  }
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected')
  if (failed) {
    await Promise.all(servers.map((s) => s.stop()))
    removeRunDir()
    throw failed.reason
  }
  const ports = servers.map((s) => Number(new URL(s.url).port))

  let front: ProxyPart
  try {
    front = await startProxy(engine === 'nginx' ? 'nginx' : 'node-reverse-proxy', proxy, ports, {
      id,
      readyTimeoutMs,
      ...(runDir ? { runDir } : {}),
      ...(opts.baseDir ? { baseDir: opts.baseDir } : {}),
      ...(infos.nginx?.path ? { executable: infos.nginx.path } : {}),
    })
  } catch (err) {
    await Promise.all(servers.map((s) => s.stop()))
    removeRunDir()
    throw err
  }

  let stopping: Promise<void> | undefined
  const statuses = servers.map((s) => s.status)
  return {
    id,
    url: `http://127.0.0.1:${front.port}`,
    engines: { server: servers[0]?.engines.server ?? 'unknown', proxy: front.engine },
    processes: () => [...servers.flatMap((s) => s.processes()), ...front.processes()],
    events: () => [...servers.flatMap((s) => s.events()), ...front.events()].sort((a, b) => a.at - b.at),
    // The proxy first, so it does not count the servers' going away as upstream failures.
    stop: () =>
      (stopping ??= (async () => {
        await front.stop()
        await Promise.all(servers.map((s) => s.stop()))
        removeRunDir()
      })()),
    ...(statuses.every((f) => f !== undefined)
      ? {
          status: async (): Promise<WorkerStatus[] | undefined> => {
            const all = await Promise.all(servers.map((s) => s.status?.()))
            return all.every((w) => w !== undefined) ? all.flat() : undefined
          },
        }
      : {}),
  }
}
