/**
 * nginx: the reverse proxy in front of a server (`proxy` parts of a topology).
 *
 * The lab writes a complete nginx.conf into a fresh temp folder and runs
 * `nginx -p DIR/ -c nginx.conf -e stderr` in the foreground (`daemon off;`,
 * `master_process on;`): the pid file, the error and access logs and every
 * `*_temp_path` live in that folder, so nothing touches /etc/nginx,
 * /var/log/nginx or /run; the folder is removed after the stop (the error log
 * is first appended to the engine's log in the run folder). nginx listens on
 * 127.0.0.1 only.
 *
 * Everything not set here keeps nginx's documented default
 * (https://nginx.org/en/docs/http/ngx_http_proxy_module.html and
 * ngx_http_upstream_module.html): `proxy_buffering on`,
 * `proxy_request_buffering on`, `proxy_http_version 1.0` (1.22 speaks
 * HTTP/1.0 to upstreams and keeps no upstream connections unless told),
 * `proxy_read_timeout 60s`, `keepalive_timeout 75s` towards clients,
 * round-robin balancing with `max_fails=1 fail_timeout=10s`.
 */
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { freePort } from '../contract/ports.js'
import { RETRY_ATTEMPTS } from '../contract/workload.js'
import type { LimitConnDef, LimitReqDef } from '../core/operations-schema.js'
import type { ProxyDef } from '../core/scenario.js'
import { childrenOf } from '../topology/proc.js'
import { detectCommand, launch, runPlaceOf, type EngineProcess, type RunPlace } from './common.js'
import { TLS_FILES, writeSelfSignedCert } from './tls.js'
import type { DetectOptions, EngineInfo, ProcessInfo, ProxyEngine } from './engine.js'

/** Reads the version from `nginx -v` (which prints `nginx version: nginx/1.22.1` to stderr). */
export function parseNginxVersion(output: string): string | undefined {
  return /nginx version: nginx\/(\S+)/.exec(output)?.[1]
}

/**
 * Finds nginx: the `nginx` executable in the search path (Debian puts it in
 * /usr/sbin) and its version (`nginx -v`, read from stderr).
 * @returns `found: false` with a `problem` when it is absent or does not run
 */
export function detectNginx(opts: DetectOptions = {}): Promise<EngineInfo> {
  return detectCommand({ name: 'nginx', file: 'nginx', args: ['-v'], parse: parseNginxVersion }, opts)
}

/** How to run nginx in front of one or more upstream servers. */
export interface NginxConfig {
  /** Port nginx listens on, on 127.0.0.1. */
  port: number
  /** Terminate TLS on it with `cert.pem`/`key.pem` in the config folder (lab/engines/tls.ts). */
  tls?: boolean
  /** Upstream servers' ports on 127.0.0.1 (one per server instance). */
  upstreams: number[]
  /** `worker_processes` (nginx default 1; Debian's packaged config says `auto`). */
  workerProcesses?: number | 'auto'
  /** `worker_connections` per worker (nginx default 512; each proxied request holds two). Default 4096. */
  workerConnections?: number
  /** `listen ... backlog=` (nginx default 511 on Linux). */
  backlog?: number
  /** A second `listen ADDRESS:port` (the host's end of the run's link, lab/topology/netns.ts); absent: 127.0.0.1 only. */
  alsoListen?: string
  /** `proxy_buffering` (default true: nginx reads the whole response and frees the upstream at once). */
  buffering?: boolean
  /** `proxy_request_buffering` (default true: nginx reads the whole request before passing it on). */
  requestBuffering?: boolean
  /** Idle upstream connections kept per worker (`keepalive N` with HTTP/1.1 upstream); default 0: a new connection per request. */
  upstreamKeepalive?: number
  /** Balancing: `round-robin` (nginx's default) or `least-conn` (the `least_conn` directive). */
  balance?: ProxyDef['balance']
  /** Write access.log in the temp folder (buffered 64 KB, flushed every second); default true. */
  accessLog?: boolean
  /** Absolute folder served under `/static/` by nginx itself (`location /static/ { alias DIR/; }`, with `sendfile on` as Debian's config has it); absent: `/static/` goes upstream. */
  staticDir?: string
  /** `proxy_read_timeout`, seconds (nginx default 60 s); rendered in ms. */
  readTimeoutS?: number
  /** `proxy_connect_timeout`, seconds (nginx default 60 s); rendered in ms. */
  connectTimeoutS?: number
  /** `max_fails=` on every upstream server (nginx default 1). */
  maxFails?: number
  /** `fail_timeout=` on every upstream server, whole seconds (nginx default 10 s). */
  failTimeoutS?: number
  /** false: `proxy_next_upstream off` (never retry on another upstream); default: nginx's `error timeout`. */
  nextUpstream?: boolean
  /** `proxy_next_upstream_tries` (nginx default 0: try every upstream). */
  nextUpstreamTries?: number
  /**
   * What nginx speaks to the upstreams: `http` (`proxy_pass`, the default) or
   * `uwsgi`, uWSGI's binary protocol (`uwsgi_pass` with the parameters of
   * nginx's own `uwsgi_params` file, {@link UWSGI_PARAMS}; the `proxy_*`
   * settings here become their `uwsgi_*` twins; no upstream keep-alive, as
   * uWSGI's `--socket` closes after every response; no cache).
   * https://nginx.org/en/docs/http/ngx_http_uwsgi_module.html (nginx 1.22).
   */
  protocol?: 'http' | 'uwsgi'
  /** Micro-cache: `proxy_cache` with `proxy_cache_valid 200 <N>s` (whole seconds); absent or 0: no cache. */
  cacheTtlS?: number
  /** With the cache: `proxy_cache_lock on` and `proxy_cache_use_stale updating` (default true). */
  cacheLock?: boolean
  /**
   * Add `X-Upstream: $upstream_addr` (the upstreams tried) to every answer,
   * and with the cache `X-Cache` (HIT, MISS, STALE: nginx's
   * `$upstream_cache_status` with EXPIRED read as MISS and UPDATING as
   * STALE, the built-in proxy's words); default true.
   */
  labHeaders?: boolean
  /** `limit_req` per `$arg_client` (lab/core/operations-schema.ts); absent: no limit. */
  limitReq?: LimitReqDef
  /** `limit_conn` per `$arg_client` (lab/core/operations-schema.ts); absent: no limit. */
  limitConn?: LimitConnDef
  /**
   * `user` directive: which user the workers run as when the master runs as
   * root. Default: the lab's own user and group when running as root (so the
   * workers can use the temp folder, mode 0700, and read the lab's files),
   * nothing otherwise (the directive only applies to a root master).
   */
  user?: string | null
  /**
   * The text of the server's `location` block(s) (a scenario's
   * `proxy.location_file`, e.g. a student's answer): written as
   * `location.conf` in the prefix and included in place of the lab's own
   * `location /`; it reaches the upstreams as `proxy_pass http://app;`.
   */
  location?: string
}

/** The `user` directive's value for the lab's own identity when it runs as root, else null. */
export function defaultNginxUser(): string | null {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null
  const info = os.userInfo()
  let group = info.username
  try {
    const line = readFileSync('/etc/group', 'utf8')
      .split('\n')
      .find((l) => l.split(':')[2] === String(info.gid))
    if (line) group = line.split(':')[0] ?? group
  } catch {
    // keep the user name as the group name
  }
  return `${info.username} ${group}`
}

/**
 * The request's variables nginx sends a uwsgi upstream: those of the
 * `uwsgi_params` file Debian's nginx 1.22.1 ships (HTTP_HOST as `$host`, the
 * file's own choice), written into the generated config instead of included
 * from /etc/nginx. Request headers go as `HTTP_*` variables besides
 * (`uwsgi_pass_request_headers on`, the default).
 */
export const UWSGI_PARAMS: ReadonlyArray<readonly [string, string]> = [
  ['QUERY_STRING', '$query_string'],
  ['REQUEST_METHOD', '$request_method'],
  ['CONTENT_TYPE', '$content_type'],
  ['CONTENT_LENGTH', '$content_length'],
  ['REQUEST_URI', '$request_uri'],
  ['PATH_INFO', '$document_uri'],
  ['DOCUMENT_ROOT', '$document_root'],
  ['SERVER_PROTOCOL', '$server_protocol'],
  ['REQUEST_SCHEME', '$scheme'],
  ['HTTPS', '$https if_not_empty'],
  ['REMOTE_ADDR', '$remote_addr'],
  ['REMOTE_PORT', '$remote_port'],
  ['SERVER_PORT', '$server_port'],
  ['SERVER_NAME', '$server_name'],
  ['HTTP_HOST', '$host'],
]

/**
 * The text of nginx.conf for a config. Paths are relative to the prefix
 * (`-p DIR/`), so the same text works in any temp folder.
 */
export function nginxConf(c: NginxConfig): string {
  const user = c.user === undefined ? defaultNginxUser() : c.user
  const uwsgi = c.protocol === 'uwsgi'
  if (uwsgi && c.cacheTtlS) throw new Error('proxy.cache_ttl_s: the lab caches only with protocol: http (proxy_cache)')
  // the module's directives: proxy_buffering, or uwsgi_buffering with uwsgi_pass
  const d = uwsgi ? 'uwsgi' : 'proxy'
  const keepalive = uwsgi ? 0 : (c.upstreamKeepalive ?? 0)
  const ms = (s: number) => `${Math.max(1, Math.round(s * 1000))}ms`
  const cacheTtl = c.cacheTtlS && c.cacheTtlS > 0 ? Math.ceil(c.cacheTtlS) : 0
  const labHeaders = c.labHeaders !== false
  const serverParams =
    (c.maxFails !== undefined ? ` max_fails=${c.maxFails}` : '') + (c.failTimeoutS !== undefined ? ` fail_timeout=${Math.ceil(c.failTimeoutS)}s` : '')
  const lines = [
    '# Written by app-server-lab (lab/engines/nginx.ts); run with: nginx -p <this folder>/ -c nginx.conf',
    'daemon off;',
    'master_process on;',
    `worker_processes ${c.workerProcesses ?? 1};`,
    ...(user ? [`user ${user};`] : []),
    'pid nginx.pid;',
    'error_log error.log notice;',
    '',
    'events {',
    `    worker_connections ${c.workerConnections ?? 4096};`,
    '}',
    '',
    'http {',
    `    access_log ${c.accessLog === false ? 'off' : 'access.log combined buffer=64k flush=1s'};`,
    '    client_body_temp_path client_body_temp;',
    '    proxy_temp_path proxy_temp;',
    '    fastcgi_temp_path fastcgi_temp;',
    '    uwsgi_temp_path uwsgi_temp;',
    '    scgi_temp_path scgi_temp;',
    '    default_type application/octet-stream;',
    ...(cacheTtl > 0
      ? [
          '    proxy_cache_path cache levels=1:2 keys_zone=lab_cache:10m inactive=10m use_temp_path=off;',
          ...(labHeaders ? ['    map $upstream_cache_status $lab_cache_status { default $upstream_cache_status; EXPIRED MISS; UPDATING STALE; }'] : []),
        ]
      : []),
    ...(c.limitReq ? [`    limit_req_zone $arg_client zone=lab_limit:1m rate=${c.limitReq.rate_per_s}r/s;`] : []),
    ...(c.limitConn ? ['    limit_conn_zone $arg_client zone=lab_conn:1m;'] : []),
    '',
    '    upstream app {',
    ...(c.balance === 'least-conn' ? ['        least_conn;'] : []),
    ...c.upstreams.map((p) => `        server 127.0.0.1:${p}${serverParams};`),
    ...(keepalive > 0 ? [`        keepalive ${keepalive};`] : []),
    '    }',
    '',
    '    server {',
    ...[`127.0.0.1`, ...(c.alsoListen ? [c.alsoListen] : [])].map((a) => `        listen ${a}:${c.port}${c.tls ? ' ssl' : ''}${c.backlog !== undefined ? ` backlog=${c.backlog}` : ''};`),
    // nginx's defaults otherwise: TLSv1.2 and TLSv1.3, session tickets on, no shared session cache
    ...(c.tls ? [`        ssl_certificate ${TLS_FILES.cert};`, `        ssl_certificate_key ${TLS_FILES.key};`] : []),
    '        location / {',
    ...(uwsgi
      ? ['            uwsgi_pass app;', ...UWSGI_PARAMS.map(([k, v]) => `            uwsgi_param ${k} ${v};`)]
      : [
          '            proxy_pass http://app;',
          // Gunicorn's deployment docs' example (https://docs.gunicorn.org/en/20.1.0/deploy.html).
          '            proxy_set_header Host $http_host;',
          '            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
          '            proxy_set_header X-Forwarded-Proto $scheme;',
        ]),
    ...(keepalive > 0 ? ['            proxy_http_version 1.1;', '            proxy_set_header Connection "";'] : []),
    ...(c.buffering === false ? [`            ${d}_buffering off;`] : []),
    ...(c.requestBuffering === false ? [`            ${d}_request_buffering off;`] : []),
    ...(c.readTimeoutS !== undefined ? [`            ${d}_read_timeout ${ms(c.readTimeoutS)};`] : []),
    ...(c.connectTimeoutS !== undefined ? [`            ${d}_connect_timeout ${ms(c.connectTimeoutS)};`] : []),
    ...(c.nextUpstream === false ? [`            ${d}_next_upstream off;`] : []),
    ...(c.nextUpstreamTries !== undefined ? [`            ${d}_next_upstream_tries ${c.nextUpstreamTries};`] : []),
    ...(cacheTtl > 0
      ? [
          '            proxy_cache lab_cache;',
          `            proxy_cache_valid 200 ${cacheTtl}s;`,
          ...(c.cacheLock !== false ? ['            proxy_cache_lock on;', '            proxy_cache_use_stale updating;'] : []),
          ...(labHeaders ? ['            add_header X-Cache $lab_cache_status always;'] : []),
        ]
      : []),
    ...(labHeaders ? ['            add_header X-Upstream $upstream_addr always;'] : []),
    ...(c.limitReq
      ? [`            limit_req zone=lab_limit${c.limitReq.burst ? ` burst=${c.limitReq.burst}` : ''}${c.limitReq.nodelay ? ' nodelay' : ''};`, `            limit_req_status ${c.limitReq.status};`]
      : []),
    ...(c.limitConn ? [`            limit_conn lab_conn ${c.limitConn.connections};`, `            limit_conn_status ${c.limitConn.status};`] : []),
    '        }',
    ...(c.staticDir
      ? [
          '        location /static/ {',
          `            alias ${c.staticDir.replace(/\/+$/, '')}/;`,
          '            sendfile on;',
          '            types { text/html html; text/css css; application/javascript js; application/json json; text/plain txt; image/svg+xml svg; image/png png; image/jpeg jpg jpeg; image/gif gif; font/woff2 woff2; }',
          '        }',
        ]
      : []),
    '    }',
    '}',
    '',
  ]
  return (c.location !== undefined ? withLocation(lines) : lines).join('\n')
}

/** The config's lines with the lab's `location /` block replaced by `include location.conf;` (relative to the prefix). */
function withLocation(lines: string[]): string[] {
  const from = lines.indexOf('        location / {')
  const to = lines.indexOf('        }', from)
  return [...lines.slice(0, from), '        include location.conf;', ...lines.slice(to + 1)]
}

/** nginx's command-line arguments for a prefix folder (`-e stderr`: errors before the config is read go to the lab's pipe). */
export function nginxArgs(dir: string): string[] {
  return ['-p', dir.endsWith('/') ? dir : `${dir}/`, '-c', 'nginx.conf', '-e', 'stderr']
}

/** nginx's processes, all `proxy`: the master and its workers (read live from /proc). */
export function nginxProcesses(masterPid: number): ProcessInfo[] {
  return [masterPid, ...childrenOf(masterPid)].map((pid) => ({ pid, role: 'proxy' as const }))
}

// Temp folders of running nginx instances: removed at exit even when the lab
// is interrupted before their stop() ran (group.ts kills the processes).
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

/**
 * Writes nginx.conf into a new temp folder, starts nginx and waits until
 * `GET /health` answers through it (which proves the upstream answers too)
 * and its workers are forked. The temp folder is removed after the stop, or
 * at once when the start fails.
 * @throws Error with nginx's output and error.log when it exits or is not ready in time
 */
export async function startNginx(c: NginxConfig, place: RunPlace): Promise<EngineProcess & { dir: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lab-nginx-'))
  rememberDir(dir)
  if (c.tls) writeSelfSignedCert(dir)
  const conf = nginxConf(c)
  writeFileSync(path.join(dir, 'nginx.conf'), conf)
  if (c.location !== undefined) writeFileSync(path.join(dir, 'location.conf'), c.location)
  const logPath = path.join(place.runDir, place.logName)
  const errorLog = path.join(dir, 'error.log')
  const readErrorLog = () => (existsSync(errorLog) ? readFileSync(errorLog, 'utf8') : '')
  const workers = c.workerProcesses === 'auto' ? os.availableParallelism() : (c.workerProcesses ?? 1)
  const engine = await launch({
    name: 'nginx',
    command: place.executable,
    args: nginxArgs(dir),
    cwd: place.runDir,
    port: c.port,
    ...(c.tls ? { scheme: 'https' as const } : {}),
    logPath,
    readyTimeoutMs: place.readyTimeoutMs ?? 15_000,
    processes: nginxProcesses,
    ready: (pid) => childrenOf(pid).length >= workers,
    failureDetail: readErrorLog,
    cleanup: () => {
      try {
        appendFileSync(logPath, `--- nginx.conf ---\n${conf}${c.location !== undefined ? `--- location.conf ---\n${c.location}\n` : ''}--- error.log ---\n${readErrorLog()}`)
      } catch {
        // the run folder is gone: nothing to keep
      }
      rmSync(dir, { recursive: true, force: true })
      liveDirs.delete(dir)
    },
  })
  return Object.assign(engine, { dir })
}

/**
 * nginx's configuration for a proxy part: `proxy_request_buffering`,
 * `proxy_buffering`, an `upstream` block (with `least_conn`, `max_fails`,
 * `fail_timeout`, `keepalive`), `proxy_next_upstream` (one retry with
 * `retry`), `proxy_cache` with `proxy_cache_lock` and `proxy_cache_use_stale
 * updating`, and `location /static/`.
 * @param port - the port nginx listens on, on 127.0.0.1
 * @param baseDir - the folder `static_dir` is relative to (the scenario's)
 */
export function nginxProxyConfig(p: ProxyDef, upstreams: readonly number[], port: number, baseDir = '.'): NginxConfig {
  return {
    port,
    upstreams: [...upstreams],
    workerProcesses: p.workers ?? 1,
    buffering: p.buffering,
    requestBuffering: p.request_buffering,
    upstreamKeepalive: p.keepalive,
    protocol: p.protocol,
    balance: p.balance,
    ...(p.static_dir ? { staticDir: path.resolve(baseDir, p.static_dir) } : {}),
    readTimeoutS: p.read_timeout_s,
    connectTimeoutS: p.connect_timeout_s,
    maxFails: p.max_fails,
    failTimeoutS: p.fail_timeout_s,
    nextUpstream: p.retry,
    ...(p.retry ? { nextUpstreamTries: RETRY_ATTEMPTS } : {}),
    cacheTtlS: p.cache_ttl_s,
    cacheLock: p.cache_lock,
    ...(p.limit_req ? { limitReq: p.limit_req } : {}),
    ...(p.limit_conn ? { limitConn: p.limit_conn } : {}),
    ...(p.tls ? { tls: true } : {}),
    ...(p.location_file ? { location: readFileSync(path.resolve(baseDir, p.location_file), 'utf8') } : {}),
  }
}

/** nginx in the registry: the reverse proxy, Debian's `nginx`. */
export const nginx: ProxyEngine = {
  name: 'nginx',
  role: 'proxy',
  stack: 'python',
  source: { kind: 'debian', packages: ['nginx'] },
  models: ['reverse-proxy'],
  protocols: ['http', 'uwsgi'],
  detect: detectNginx,
  async start({ proxy, upstreams }, place) {
    const config = { ...nginxProxyConfig(proxy, upstreams, await freePort(), place.baseDir), ...(place.alsoListen ? { alsoListen: place.alsoListen } : {}) }
    const part = await startNginx(config, runPlaceOf(place, 'nginx'))
    return place.alsoListen ? Object.assign(part, { alsoListening: place.alsoListen }) : part
  },
}
