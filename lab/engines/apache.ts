/**
 * Apache httpd (Debian's `apache2`) as the reverse proxy in front of a
 * server: `apache2 -f <temp>/httpd.conf -DFOREGROUND` with a generated
 * config. ServerRoot, pid file, error log, mutexes, the scoreboard and the
 * balancer's shared memory all live in a fresh temp folder (removed after
 * the stop); nothing of Debian's /etc/apache2 is read. It listens on
 * 127.0.0.1 only.
 *
 * Modules: mpm_event (Debian's default MPM), mod_proxy + mod_proxy_http +
 * mod_proxy_balancer (`lbmethod=byrequests` for round-robin, `bybusyness`
 * for least connections), mod_reqtimeout (loaded by Debian's default
 * config, so its compiled-in defaults hold: `header=20-40,MinRate=500
 * body=20,MinRate=500`), mod_alias + mod_mime for `/static/`, mod_headers for
 * the lab's `X-Upstream`. Everything else keeps Apache 2.4's documented
 * default (https://httpd.apache.org/docs/2.4/mod/mod_proxy.html,
 * mod_proxy_http.html, mpm_common.html): mod_proxy_http streams request and
 * response bodies (no nginx-style whole-body buffering; `SetEnv
 * proxy-sendcl 1` spools a request body only to compute a Content-Length, and
 * for a body whose Content-Length the client sent only when a filter other
 * than the protocol's reads it: `engine_buffering` adds mod_buffer's `BUFFER`),
 * `ProxyTimeout` = `Timeout` = 60 s, connection reuse to upstreams on.
 */
import path from 'node:path'
import { freePort } from '../contract/ports.js'
import type { ProxyDef } from '../core/scenario.js'
import { childrenOf } from '../topology/proc.js'
import { detectCommand, runPlaceOf } from './common.js'
import { launchInTempDir } from './confdir.js'
import { TLS_FILES, writeSelfSignedCert } from './tls.js'
import type { DetectOptions, EngineInfo, ProxyEngine } from './engine.js'

/** Where Debian installs Apache's modules. */
export const APACHE_MODULES_DIR = '/usr/lib/apache2/modules'

/** Reads the version from `apache2 -v` (`Server version: Apache/2.4.62 (Debian)`). */
export function parseApacheVersion(output: string): string | undefined {
  return /Server version: Apache\/(\S+)/.exec(output)?.[1]
}

/** Finds `apache2` (Debian puts it in /usr/sbin) and its version. */
export function detectApache(opts: DetectOptions = {}): Promise<EngineInfo> {
  return detectCommand({ name: 'apache', file: 'apache2', args: ['-v'], parse: parseApacheVersion }, opts)
}

/** How to run Apache in front of one or more upstream servers. */
export interface ApacheConfig {
  /** Port it listens on, on 127.0.0.1. */
  port: number
  /** Upstream servers' ports on 127.0.0.1. */
  upstreams: number[]
  /** A second `Listen ADDRESS:port` (the host's end of the run's link, lab/topology/netns.ts); absent: 127.0.0.1 only. */
  alsoListen?: string
  /** The folder holding the config (ServerRoot). */
  dir: string
  /** `byrequests` (round-robin by count, mod_proxy_balancer's default) or `bybusyness` (fewest requests in flight). */
  balance?: ProxyDef['balance']
  /** Absolute folder served under `/static/` by Apache itself. */
  staticDir?: string
  /** `ProxyTimeout`, seconds (default `Timeout`, 60 s). */
  readTimeoutS?: number
  /** `connectiontimeout=` on every member, seconds (default `Timeout`, 60 s). */
  connectTimeoutS?: number
  /** Terminate TLS (mod_ssl) with `cert.pem`/`key.pem` in `dir` (lab/engines/tls.ts). */
  tls?: boolean
  /** `SetEnv proxy-sendcl 1`: spool the request body to learn its length before sending it upstream. */
  sendCl?: boolean
  /** `RequestReadTimeout` line (mod_reqtimeout); absent: its compiled-in default. */
  requestReadTimeout?: string
  /** `User`/`Group` for the children when the master runs as root (Apache refuses to serve as root); default `www-data` then. */
  user?: string | null
}

const MODULES = [
  'mpm_event', 'authz_core', 'mime', 'alias', 'headers', 'reqtimeout', 'slotmem_shm',
  'proxy', 'proxy_http', 'proxy_balancer', 'lbmethod_byrequests', 'lbmethod_bybusyness',
] as const

/** The text of httpd.conf for a config. */
export function apacheConf(c: ApacheConfig): string {
  const root = typeof process.getuid === 'function' && process.getuid() === 0
  const user = c.user === undefined ? (root ? 'www-data' : null) : c.user
  const ct = c.connectTimeoutS !== undefined ? ` connectiontimeout=${Math.max(1, Math.round(c.connectTimeoutS * 1000))}ms` : ''
  const lines = [
    '# Written by app-server-lab (lab/engines/apache.ts); run with: apache2 -f <this file> -DFOREGROUND',
    `ServerRoot "${c.dir}"`,
    `DefaultRuntimeDir "${c.dir}"`,
    'PidFile httpd.pid',
    'ServerName 127.0.0.1',
    `Listen 127.0.0.1:${c.port}`,
    ...(c.alsoListen ? [`Listen ${c.alsoListen}:${c.port}`] : []),
    ...MODULES.map((m) => `LoadModule ${m}_module ${APACHE_MODULES_DIR}/mod_${m}.so`),
    ...(user ? [`User ${user}`, `Group ${user}`] : []),
    `Mutex file:${c.dir} default`,
    'ErrorLog error.log',
    'LogLevel warn',
    // no /etc/mime.types: the few types the lab's static files use are added below
    'TypesConfig /dev/null',
    ...(c.requestReadTimeout ? [`RequestReadTimeout ${c.requestReadTimeout}`] : []),
    // mod_ssl with a shared-memory session cache, as Debian's ssl.conf sets it (mod_ssl docs, SSLSessionCache)
    ...(c.tls
      ? [
          `LoadModule socache_shmcb_module ${APACHE_MODULES_DIR}/mod_socache_shmcb.so`,
          `LoadModule ssl_module ${APACHE_MODULES_DIR}/mod_ssl.so`,
          `SSLSessionCache "shmcb:${c.dir}/ssl_scache(512000)"`,
          'SSLEngine on',
          `SSLCertificateFile "${path.join(c.dir, TLS_FILES.cert)}"`,
          `SSLCertificateKeyFile "${path.join(c.dir, TLS_FILES.key)}"`,
        ]
      : []),
    // proxy-sendcl alone streams a body whose Content-Length the client gave, when only protocol filters read it
    // (mod_proxy_http.c, ap_proxy_http_prefetch: `r->input_filters == r->proto_input_filters` → RB_STREAM_CL);
    // an input filter (mod_buffer's BUFFER, which changes nothing) makes it spool the whole body first (RB_SPOOL_CL)
    ...(c.sendCl
      ? [
          `LoadModule env_module ${APACHE_MODULES_DIR}/mod_env.so`,
          `LoadModule buffer_module ${APACHE_MODULES_DIR}/mod_buffer.so`,
          'SetEnv proxy-sendcl 1',
          'SetInputFilter BUFFER',
        ]
      : []),
    ...(c.readTimeoutS !== undefined ? [`ProxyTimeout ${Math.max(1, Math.ceil(c.readTimeoutS))}`] : []),
    '<Proxy balancer://app>',
    // route= only names the member for X-Upstream (BALANCER_WORKER_ROUTE); no stickysession is set
    ...c.upstreams.map((p) => `    BalancerMember http://127.0.0.1:${p} route=127.0.0.1:${p}${ct}`),
    `    ProxySet lbmethod=${c.balance === 'least-conn' ? 'bybusyness' : 'byrequests'}`,
    '</Proxy>',
    ...(c.staticDir
      ? [
          'ProxyPass /static/ !',
          `Alias /static/ "${c.staticDir.replace(/\/+$/, '')}/"`,
          `<Directory "${c.staticDir.replace(/\/+$/, '')}">`,
          '    Require all granted',
          '</Directory>',
          'AddType text/html .html',
          'AddType text/css .css',
          'AddType application/javascript .js',
          'AddType application/json .json',
          'AddType text/plain .txt',
          'AddType image/svg+xml .svg',
          'AddType image/png .png',
        ]
      : []),
    'ProxyPass / balancer://app/',
    'ProxyPassReverse / balancer://app/',
    'Header always set X-Upstream "%{BALANCER_WORKER_ROUTE}e" env=BALANCER_WORKER_ROUTE',
    '',
  ]
  return lines.join('\n')
}

/**
 * Apache's settings for a proxy part. `engine_buffering` spools request
 * bodies (`SetEnv proxy-sendcl 1`). Apache has no nginx-style buffering, cache
 * lock or retry switches in this mapping: `buffering`, `request_buffering`,
 * `keepalive`, `max_fails`, `fail_timeout_s`, `retry` and `workers` keep
 * Apache's own defaults; a micro-cache is refused.
 * @throws Error when the part asks for a cache (`cache_ttl_s` > 0)
 */
export function apacheProxyConfig(p: ProxyDef, upstreams: readonly number[], port: number, dir: string, baseDir = '.'): ApacheConfig {
  if (p.cache_ttl_s > 0) throw new Error('the apache proxy engine has no micro-cache in the lab (cache_ttl_s must be 0); use nginx or node-reverse-proxy')
  return {
    port,
    dir,
    upstreams: [...upstreams],
    balance: p.balance,
    ...(p.static_dir ? { staticDir: path.resolve(baseDir, p.static_dir) } : {}),
    readTimeoutS: p.read_timeout_s,
    connectTimeoutS: p.connect_timeout_s,
    ...(p.engine_buffering ? { sendCl: true } : {}),
    ...(p.tls ? { tls: true } : {}),
  }
}

/** Apache in the registry: Debian's `apache2` as a reverse proxy. */
export const apache: ProxyEngine = {
  name: 'apache',
  role: 'proxy',
  stack: 'python',
  source: { kind: 'debian', packages: ['apache2'] },
  models: ['reverse-proxy'],
  protocols: ['http'],
  detect: detectApache,
  async start({ proxy, upstreams }, place) {
    const port = await freePort()
    return launchInTempDir(
      {
        name: 'apache',
        prefix: 'lab-apache-',
        shared: true,
        confName: 'httpd.conf',
        ...(proxy.tls ? { scheme: 'https' as const, prepare: (dir: string) => void writeSelfSignedCert(dir) } : {}),
        conf: (dir) => apacheConf({ ...apacheProxyConfig(proxy, upstreams, port, dir, place.baseDir), ...(place.alsoListen ? { alsoListen: place.alsoListen } : {}) }),
        args: (dir) => ['-f', path.join(dir, 'httpd.conf'), '-DFOREGROUND'],
        errorLog: 'error.log',
        port,
        processes: (pid) => [pid, ...childrenOf(pid)].map((p) => ({ pid: p, role: 'proxy' as const })),
      },
      runPlaceOf(place, 'apache'),
    ).then((part) => (place.alsoListen ? Object.assign(part, { alsoListening: place.alsoListen }) : part))
  },
}

