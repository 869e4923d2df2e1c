/**
 * uWSGI: a pre-fork (and threaded) WSGI server (`engine: 'uwsgi'`, `--stack python`).
 *
 * Its master (`--master`) forks `--processes` workers, each running
 * `--threads` threads, respawns a worker that dies, and kills a worker stuck
 * on one request longer than `--harakiri` seconds. `--http-socket` makes the
 * workers speak HTTP themselves (no separate router process). It closes the
 * connection after each response, so the lab adds `Connection: close`
 * (without it clients see resets). `--http11-socket` would keep connections
 * alive, but a thread then stays with one connection while others wait
 * unaccepted in the backlog (measured: 4 of 16 connections served). `--listen` is the
 * listen backlog (uWSGI default 100). Behind nginx with `proxy.protocol:
 * 'uwsgi'` it listens with `--socket` instead, speaking the uwsgi binary
 * protocol to nginx's `uwsgi_pass` (scenarios/uwsgi-protocol); readiness is
 * then asked in that protocol ({@link uwsgiGet}).
 *
 * Options and defaults as in uWSGI 2.0's docs
 * (https://uwsgi-docs.readthedocs.io/en/latest/Options.html, "ThingsToKnow"):
 * `--processes 1`, `--threads 1`, `--listen 100`, `--harakiri 0` (off).
 */
import net from 'node:net'
import path from 'node:path'
import { freePort } from '../contract/ports.js'
import type { ServerDef } from '../core/scenario.js'
import { childrenOf } from '../topology/proc.js'
import { APPS_DIR, detectCommand, appEnv, launch, runPlaceOf } from './common.js'
import type { ServerEngine, TopologyEvent } from './engine.js'

/** Reads the version from `uwsgi --version` (`2.0.21-debian`). */
export function parseUwsgiVersion(output: string): string | undefined {
  return /^(\d[\w.+-]*)/.exec(output.trim())?.[1]
}

/** How to run uWSGI, in the lab's units. */
export interface UwsgiConfig {
  /** Port on 127.0.0.1. */
  port: number
  /** The WSGI app as `module:callable` in `appsDir`. */
  app: string
  /** Folder of the apps (`--chdir`); default lab/apps. */
  appsDir?: string
  /** `--processes` (uWSGI default 1). */
  processes: number
  /** `--threads` per process (default 1; > 1 also enables the GIL release uWSGI needs for threads). */
  threads: number
  /** `--harakiri` seconds a worker may spend on one request before the master kills it (0: off). */
  harakiriS: number
  /** `--listen` backlog (uWSGI default 100; must not exceed net.core.somaxconn). */
  listen: number
  /** `http` listens with `--http-socket`; `uwsgi` with `--socket` (the uwsgi binary protocol, for nginx's `uwsgi_pass`). */
  protocol?: 'http' | 'uwsgi'
  /** `--max-requests`: requests a worker serves before it is replaced (0 or absent: never; uWSGI 2.0 `-R`), with `--min-worker-lifetime 1` (default 60 s). */
  maxRequests?: number
}

/** uWSGI's command-line arguments (after the executable); every setting the lab controls is explicit. */
export function uwsgiArgs(c: UwsgiConfig): string[] {
  return [
    '--plugin', 'python3',
    '--master',
    c.protocol === 'uwsgi' ? '--socket' : '--http-socket', `127.0.0.1:${c.port}`,
    // the HTTP socket closes after each response; saying so lets clients reconnect instead of seeing a reset
    ...(c.protocol === 'uwsgi' ? [] : ['--add-header', 'Connection: close']),
    '--processes', String(c.processes),
    '--threads', String(c.threads),
    '--listen', String(c.listen),
    '--harakiri', String(Math.max(0, Math.ceil(c.harakiriS))),
    // uWSGI 2.0 recycles a worker only after --min-worker-lifetime (default 60 s, `uwsgi --help`), longer than a level: 1 s here
    ...(c.maxRequests ? ['--max-requests', String(c.maxRequests), '--min-worker-lifetime', '1'] : []),
    '--chdir', c.appsDir ?? APPS_DIR,
    '--module', c.app,
    // fail at start when the app does not import (uWSGI otherwise runs and answers 500)
    '--need-app',
    // one log line per request would cost more than the 1 KiB bodies it serves
    '--disable-logging',
    '--die-on-term',
  ]
}

/** uWSGI's settings for a server part: W × T from `workers` and `threads`, harakiri from `timeout_s`, listen from `backlog`, max-requests from `max_requests`. */
export function uwsgiConfig(server: ServerDef, app: string, port: number): UwsgiConfig {
  return { port, app, processes: server.workers, threads: server.threads ?? 1, harakiriS: server.timeout_s, listen: server.backlog, ...(server.max_requests ? { maxRequests: server.max_requests } : {}) }
}

/**
 * Turns a uWSGI master's log line into a lab event: a respawn
 * (`Respawned uWSGI worker 1 (new pid: N)`), a harakiri
 * (`*** HARAKIRI ON WORKER 1 (pid: N, try: 1) ***`) or a death
 * (`DAMN ! worker 1 (pid: N) died, killed by signal 9 :(`).
 */
export function uwsgiEvent(line: string): Omit<TopologyEvent, 'at'> | undefined {
  let m: RegExpExecArray | null
  if ((m = /Respawned uWSGI worker \d+ \(new pid: (\d+)\)/.exec(line))) return { kind: 'worker-spawn', pid: Number(m[1]), message: `worker ${m[1]} respawned` }
  if ((m = /HARAKIRI ON WORKER \d+ \(pid: (\d+)/.exec(line))) return { kind: 'worker-timeout', pid: Number(m[1]), message: `worker ${m[1]} over harakiri; killed` }
  if ((m = /worker \d+ \(pid: (\d+)\) died(.*)/.exec(line))) {
    const sig = /signal (\d+)/.exec(m[2] ?? '')?.[1]
    return { kind: 'worker-exit', pid: Number(m[1]), message: `worker ${m[1]} ${sig ? `killed by signal ${sig}` : 'died'}` }
  }
  return undefined
}

/**
 * One request in the uwsgi protocol (uWSGI 2.0 docs, "The uwsgi Protocol",
 * https://uwsgi-docs.readthedocs.io/en/latest/Protocol.html): a 4-byte header
 * (`modifier1` 0 = a WSGI request, the size of the variables as a
 * little-endian u16, `modifier2` 0), then each variable as a little-endian
 * u16 length and the key, a u16 length and the value.
 * @throws Error when the variables exceed 65 535 bytes
 */
export function uwsgiPacket(vars: Readonly<Record<string, string>>): Buffer {
  const parts = Object.entries(vars).flatMap(([k, v]) => [k, v].map((s) => Buffer.from(s, 'latin1')))
  const size = parts.reduce((n, b) => n + 2 + b.length, 0)
  if (size > 0xffff) throw new Error(`uwsgi packet: ${size} bytes of variables; the protocol allows 65535`)
  const out = Buffer.alloc(4 + size)
  out.writeUInt8(0, 0)
  out.writeUInt16LE(size, 1)
  out.writeUInt8(0, 3)
  let at = 4
  for (const b of parts) {
    out.writeUInt16LE(b.length, at)
    b.copy(out, at + 2)
    at += 2 + b.length
  }
  return out
}

/**
 * `GET target` over the uwsgi protocol to 127.0.0.1:`port` (what nginx's
 * `uwsgi_pass` sends, with the variables a WSGI server needs); uWSGI answers
 * with a plain HTTP response and closes.
 * @returns the response's status
 * @throws Error on a socket error, a timeout, or an answer that is not HTTP
 */
export function uwsgiGet(port: number, target: string, timeoutMs: number): Promise<number> {
  const [pathInfo = '/', query = ''] = target.split('?', 2)
  const vars = { REQUEST_METHOD: 'GET', REQUEST_URI: target, PATH_INFO: pathInfo, QUERY_STRING: query, SERVER_PROTOCOL: 'HTTP/1.1', SERVER_NAME: '127.0.0.1', SERVER_PORT: String(port), REMOTE_ADDR: '127.0.0.1', HTTP_HOST: '127.0.0.1' }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    const socket = net.connect({ port, host: '127.0.0.1' }, () => socket.end(uwsgiPacket(vars)))
    socket.setTimeout(timeoutMs, () => socket.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })))
    socket.on('data', (c: Buffer) => chunks.push(c))
    socket.on('error', reject)
    socket.on('close', () => {
      const m = /^HTTP\/\d\.\d (\d{3})/.exec(Buffer.concat(chunks).toString('latin1'))
      if (m) resolve(Number(m[1]))
      else reject(new Error('the uwsgi socket closed without an HTTP answer'))
    })
  })
}

/** uWSGI in the registry: master + `--processes` × `--threads`, Debian's `uwsgi` with its Python 3 plugin. */
export const uwsgi: ServerEngine = {
  name: 'uwsgi',
  role: 'server',
  stack: 'python',
  source: { kind: 'debian', packages: ['uwsgi', 'uwsgi-plugin-python3'] },
  models: ['prefork', 'threaded'],
  serves: ['wsgi'],
  protocols: ['http', 'uwsgi'],
  detect: async (opts) => ({
    ...(await detectCommand({ name: 'uwsgi', file: 'uwsgi', args: ['--version'], parse: parseUwsgiVersion }, opts)),
    interpreter: '/usr/bin/python3',
  }),
  async start({ server, app, protocol }, place) {
    if (!app) throw new Error('uwsgi needs a WSGI app')
    const c = { ...uwsgiConfig(server, app.entry, place.port ?? (await freePort())), protocol: protocol ?? 'http' }
    const p = runPlaceOf(place, 'uwsgi')
    return launch({
      name: 'uwsgi',
      command: p.executable,
      args: uwsgiArgs(c),
      env: appEnv(server.static_dir, place.baseDir),
      cwd: p.runDir,
      port: c.port,
      logPath: path.join(p.runDir, p.logName),
      readyTimeoutMs: p.readyTimeoutMs ?? 15_000,
      processes: (pid) => [{ pid, role: 'master' }, ...childrenOf(pid).map((w) => ({ pid: w, role: 'worker' as const }))],
      ready: (pid) => childrenOf(pid).length >= c.processes,
      event: uwsgiEvent,
      // --socket speaks no HTTP: ask for /health in the uwsgi protocol, as nginx would
      ...(c.protocol === 'uwsgi' ? { probe: (ms: number) => uwsgiGet(c.port, '/health', ms) } : {}),
    })
  },
}
