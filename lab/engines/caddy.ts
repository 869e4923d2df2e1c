/**
 * Caddy (Debian's `caddy`, 2.6) as the reverse proxy in front of a server:
 * `caddy run --config <temp>/Caddyfile --adapter caddyfile` with a generated
 * Caddyfile. The admin endpoint is off, automatic HTTPS is off, the site is
 * `http://:PORT` bound to 127.0.0.1 only, and HOME, XDG_DATA_HOME and
 * XDG_CONFIG_HOME point into the temp folder (removed after the stop), so
 * Caddy writes nothing outside it.
 *
 * `reverse_proxy` keeps Caddy 2.6's documented defaults
 * (https://caddyserver.com/docs/caddyfile/directives/reverse_proxy): request
 * and response bodies are streamed, not buffered (`buffer_requests` /
 * `buffer_responses` turn buffering on in 2.6.2; 2.6.4 deprecated them for
 * `request_buffers` / `response_buffers <size>`), `lb_policy random` unless
 * set (the lab sets `round_robin` or `least_conn`), connections to
 * upstreams are kept alive (HTTP transport `keepalive 2m`), and a failed
 * upstream is not retried (`lb_try_duration 0`).
 */
import path from 'node:path'
import { freePort } from '../contract/ports.js'
import type { ProxyDef } from '../core/scenario.js'
import { detectCommand, runPlaceOf } from './common.js'
import { launchInTempDir } from './confdir.js'
import { TLS_FILES, writeSelfSignedCert } from './tls.js'
import type { DetectOptions, EngineInfo, ProxyEngine } from './engine.js'

/** Reads the version from `caddy version` (`2.6.2` on Debian 12, `v2.7.6 h1:...` upstream). */
export function parseCaddyVersion(output: string): string | undefined {
  return /^v?(\d+\.\d+\.\d+\S*)/.exec(output.trim())?.[1]
}

/** Finds `caddy` (Debian puts it in /usr/bin) and its version. */
export function detectCaddy(opts: DetectOptions = {}): Promise<EngineInfo> {
  return detectCommand({ name: 'caddy', file: 'caddy', args: ['version'], parse: parseCaddyVersion }, opts)
}

/** How to run Caddy in front of one or more upstream servers. */
export interface CaddyConfig {
  /** Port it listens on, on 127.0.0.1. */
  port: number
  /** Upstream servers' ports on 127.0.0.1. */
  upstreams: number[]
  /** A second address for `bind` (the host's end of the run's link, lab/topology/netns.ts); absent: 127.0.0.1 only. */
  alsoListen?: string
  /** `lb_policy round_robin` or `least_conn`. */
  balance?: ProxyDef['balance']
  /** Absolute folder served under `/static/` by Caddy's `file_server`. */
  staticDir?: string
  /** `buffer_requests` (Caddy 2.6): read the whole request body before sending it upstream. */
  bufferRequests?: boolean
  /** `buffer_responses` (Caddy 2.6): read the whole response body before sending it to the client. */
  bufferResponses?: boolean
  /** Terminate TLS with `cert.pem`/`key.pem` in this folder (lab/engines/tls.ts): an `https://` site with `tls <cert> <key>`. */
  tlsDir?: string
  /** `transport http { read_timeout }`, seconds (Caddy's default: none). */
  readTimeoutS?: number
  /** `transport http { dial_timeout }`, seconds (Caddy's default 3 s in 2.6). */
  connectTimeoutS?: number
}

/** The text of the Caddyfile for a config. */
export function caddyfile(c: CaddyConfig): string {
  const ms = (s: number) => `${Math.max(1, Math.round(s * 1000))}ms`
  const transport = [
    ...(c.readTimeoutS !== undefined ? [`\t\t\t\tread_timeout ${ms(c.readTimeoutS)}`] : []),
    ...(c.connectTimeoutS !== undefined ? [`\t\t\t\tdial_timeout ${ms(c.connectTimeoutS)}`] : []),
  ]
  const lines = [
    '# Written by app-server-lab (lab/engines/caddy.ts); run with: caddy run --config Caddyfile --adapter caddyfile',
    '{',
    '\tadmin off',
    '\tauto_https off',
    // a client connecting to an IP sends no SNI; Caddy then picks the certificate by this name
    ...(c.tlsDir ? ['\tdefault_sni 127.0.0.1'] : []),
    '}',
    `${c.tlsDir ? 'https' : 'http'}://:${c.port} {`,
    `\tbind 127.0.0.1${c.alsoListen ? ` ${c.alsoListen}` : ''}`,
    ...(c.tlsDir ? [`\ttls ${path.join(c.tlsDir, TLS_FILES.cert)} ${path.join(c.tlsDir, TLS_FILES.key)}`] : []),
    ...(c.staticDir ? ['\thandle_path /static/* {', `\t\troot * ${c.staticDir.replace(/\/+$/, '')}`, '\t\tfile_server', '\t}'] : []),
    '\thandle {',
    `\t\treverse_proxy ${c.upstreams.map((p) => `127.0.0.1:${p}`).join(' ')} {`,
    `\t\t\tlb_policy ${c.balance === 'least-conn' ? 'least_conn' : 'round_robin'}`,
    ...(c.bufferRequests ? ['\t\t\tbuffer_requests'] : []),
    ...(c.bufferResponses ? ['\t\t\tbuffer_responses'] : []),
    '\t\t\theader_down X-Upstream {http.reverse_proxy.upstream.hostport}',
    ...(transport.length ? ['\t\t\ttransport http {', ...transport, '\t\t\t}'] : []),
    '\t\t}',
    '\t}',
    '}',
    '',
  ]
  return lines.join('\n')
}

/**
 * Caddy's settings for a proxy part: balancing, static folder, timeouts;
 * `engine_buffering` turns on `buffer_requests` and `buffer_responses`.
 * `buffering`/`request_buffering` keep Caddy's streaming default (the schema's
 * nginx-style `true` cannot be told from "not set"); `keepalive`, `max_fails`,
 * `fail_timeout_s`, `retry`, `workers` keep Caddy's own defaults.
 * @throws Error when the part asks for a cache (`cache_ttl_s` > 0)
 */
export function caddyProxyConfig(p: ProxyDef, upstreams: readonly number[], port: number, baseDir = '.'): CaddyConfig {
  if (p.cache_ttl_s > 0) throw new Error('the caddy proxy engine has no micro-cache in the lab (cache_ttl_s must be 0); use nginx or node-reverse-proxy')
  return {
    port,
    upstreams: [...upstreams],
    balance: p.balance,
    ...(p.static_dir ? { staticDir: path.resolve(baseDir, p.static_dir) } : {}),
    readTimeoutS: p.read_timeout_s,
    connectTimeoutS: p.connect_timeout_s,
    ...(p.engine_buffering ? { bufferRequests: true, bufferResponses: true } : {}),
  }
}

/** Caddy in the registry: Debian's `caddy` as a reverse proxy. */
export const caddy: ProxyEngine = {
  name: 'caddy',
  role: 'proxy',
  stack: 'python',
  source: { kind: 'debian', packages: ['caddy'] },
  models: ['reverse-proxy'],
  protocols: ['http'],
  detect: detectCaddy,
  async start({ proxy, upstreams }, place) {
    const port = await freePort()
    return launchInTempDir(
      {
        name: 'caddy',
        prefix: 'lab-caddy-',
        confName: 'Caddyfile',
        conf: (dir) => caddyfile({ ...caddyProxyConfig(proxy, upstreams, port, place.baseDir), ...(proxy.tls ? { tlsDir: dir } : {}), ...(place.alsoListen ? { alsoListen: place.alsoListen } : {}) }),
        ...(proxy.tls ? { scheme: 'https' as const, prepare: (dir: string) => void writeSelfSignedCert(dir) } : {}),
        args: (dir) => ['run', '--config', path.join(dir, 'Caddyfile'), '--adapter', 'caddyfile'],
        env: (dir) => ({ ...process.env, HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir }),
        port,
        processes: (pid) => [{ pid, role: 'proxy' as const }],
      },
      runPlaceOf(place, 'caddy'),
    ).then((part) => (place.alsoListen ? Object.assign(part, { alsoListening: place.alsoListen }) : part))
  },
}
