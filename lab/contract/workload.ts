/**
 * The workload contract (docs/workload-contract.md): what every server the lab
 * drives agrees on with the lab, in one leaf module. The built-in servers
 * (lab/servers) import this and nothing else of the lab; the scenario schema
 * (lab/core/scenario.ts) and the vocabulary (lab/core/vocabulary.ts) read it
 * too; the Python apps (lab/apps/workload.py) read the same bounds from
 * bounds.json.
 *
 * - **Routes**: `GET /work?io_ms=&cpu_ms=&bytes=&crash_pct=&hang_pct=`,
 *   `GET /health`, `GET /stream?events=&interval_ms=`, `GET /static/<file>`;
 *   every response carries `X-Worker: <pid>`.
 * - **Bounds** of the query parameters ({@link BOUNDS}, from bounds.json).
 * - **Messages**: how a built-in server reports to the lab over its IPC
 *   channel ({@link ServerMessage}), the words it uses for its processes
 *   ({@link PROCESS_ROLES}) and its events ({@link SERVER_EVENT_KINDS}), and
 *   the configuration it is started with ({@link BuiltinServerConfig},
 *   {@link ReverseProxyConfig}).
 *
 * Pure: types, constants and data only; no I/O, no Node built-ins.
 */
import bounds from './bounds.json' with { type: 'json' }

/** The routes of the contract (paths without the query). */
export const ROUTES = {
  /** `GET /work?io_ms=50&cpu_ms=0&bytes=1024`: wait, burn CPU, answer `bytes` bytes. */
  work: '/work',
  /** `GET /health`: 200 `ok` at once. */
  health: '/health',
  /** `GET /stream?events=10&interval_ms=1000`: server-sent events. */
  stream: '/stream',
  /** `GET /static/<file>`: a file from the static folder (404 without one). */
  static: '/static/',
} as const

/** A query parameter of `/work` or `/stream`. */
export type Param = Exclude<keyof typeof bounds, '$comment'>

/** Bounds of one parameter: `min`..`max` in `unit`, `default` when absent; `integer` when fractions answer 400. */
export interface Bound {
  min: number
  max: number
  default: number
  unit: string
  integer: boolean
}

/** Every parameter's bounds, as bounds.json states them. */
export const BOUNDS: Readonly<Record<Param, Bound>> = bounds

/** Upper bounds of the query parameters; larger values answer 400. */
export const LIMITS: Readonly<Record<Param, number>> = Object.fromEntries(
  Object.entries(BOUNDS).map(([name, b]) => [name, b.max]),
) as Record<Param, number>

/** Defaults of the query parameters (a missing or empty one takes its default). */
export const DEFAULTS: Readonly<Record<Param, number>> = Object.fromEntries(
  Object.entries(BOUNDS).map(([name, b]) => [name, b.default]),
) as Record<Param, number>

/**
 * The roles of the processes a topology runs, as servers report them and the
 * results record them: a pre-fork `master` (Gunicorn's arbiter) and its
 * `worker`s; a single-process `server` (an event loop); a `proxy` (its
 * master and workers alike).
 */
export const PROCESS_ROLES = ['master', 'worker', 'server', 'proxy'] as const

/**
 * The events a server reports during a level: a worker booted (the initial
 * boots are not reported), exited (crashed, was killed, or recycled), killed
 * by its master for running over its timeout; an upstream marked down by a
 * proxy; a new version deployed by the lab (`deploy`: a reload signal or a restart).
 */
export const SERVER_EVENT_KINDS = ['worker-spawn', 'worker-exit', 'worker-timeout', 'upstream-down', 'deploy'] as const

/** A process as a server reports it. */
export interface ProcessReport {
  pid: number
  role: (typeof PROCESS_ROLES)[number]
}

/** Messages a built-in server sends its parent over IPC. */
export type ServerMessage =
  | { type: 'ready'; port: number; processes: ProcessReport[] }
  | { type: 'processes'; processes: ProcessReport[] }
  /** `pid` is absent when the event is the reporting process's own (a proxy's). */
  | { type: 'event'; kind: (typeof SERVER_EVENT_KINDS)[number]; pid?: number; message: string }
  | { type: 'status'; workers: Array<{ pid: number; busy: boolean; requests: number }> }

/** Configuration the lab hands a built-in server in `LAB_SERVER_CONFIG` (JSON). */
export interface BuiltinServerConfig {
  workers: number
  timeout_s: number
  backlog: number
  keepAlive: boolean
  /** Threaded: request slots ("threads") per worker process (Gunicorn `--threads`); absent: 1. */
  threads?: number
  /** Event loop: answer 503 once this many requests are in progress (Uvicorn `--limit-concurrency`); 0 = no limit. */
  limitConcurrency?: number
  /** Folder for the master's worker-state file (created and removed by the lab). */
  stateDir: string
  /** Port to listen on, 127.0.0.1 (a restart keeps its port); absent: a free one. */
  port?: number
  /** Pre-fork: requests a worker serves before it exits and is replaced (Gunicorn `--max-requests`); 0 or absent: never. */
  maxRequests?: number
  /** Pre-fork: each worker's limit is `maxRequests` + a random 0..this (Gunicorn `--max-requests-jitter`). */
  maxRequestsJitter?: number
  /** Absolute folder `GET /static/<file>` is served from; absent: 404. */
  staticDir?: string
  /** Pre-fork: a second address to listen on, same port (the host's end of the run's link, lab/topology/netns.ts); absent: 127.0.0.1 only. */
  alsoListen?: string
}

/** Configuration the lab hands the built-in proxy in `LAB_PROXY_CONFIG` (JSON). */
export interface ReverseProxyConfig {
  /** Upstream servers' ports on 127.0.0.1, one per server instance. */
  upstreams: number[]
  /** Read the whole request body before contacting an upstream (nginx `proxy_request_buffering`, default on). */
  requestBuffering: boolean
  /** Read the whole upstream response, free the upstream, then send at the client's pace (nginx `proxy_buffering`, default on). */
  buffering: boolean
  /** Absolute folder served under `/static/` without touching an upstream; absent: `/static/` goes upstream like any path. */
  staticDir?: string
  balance: 'round-robin' | 'least-conn'
  /** Idle keep-alive connections kept per upstream (nginx `keepalive`); 0: a new connection per request. */
  keepalive: number
  /** Seconds to wait for the upstream between two reads, the response header included (nginx `proxy_read_timeout`, default 60). */
  readTimeoutS: number
  /** Seconds to wait for the upstream to accept a connection (nginx `proxy_connect_timeout`, default 60). */
  connectTimeoutS: number
  /** Failures within `failTimeoutS` that mark an upstream down (nginx `max_fails`, default 1; 0: never). */
  maxFails: number
  /** Seconds an upstream stays down, and the window failures are counted in (nginx `fail_timeout`, default 10). */
  failTimeoutS: number
  /** Attempts per request, the first included (nginx `proxy_next_upstream_tries`; the lab's default 2: one retry). */
  tries: number
  /** Seconds a 200 answer to GET/HEAD stays fresh in the micro-cache (nginx `proxy_cache_valid`); 0: no cache. */
  cacheTtlS: number
  /** One request refills a missing or expired entry; the others wait (missing) or get the stale copy (expired). */
  cacheLock: boolean
  /** Largest request body accepted, bytes (nginx `client_max_body_size`, default 1 MiB); larger: 413. */
  maxBodyBytes: number
  /** Listen backlog (nginx `listen ... backlog=`, default 511 on Linux). */
  backlog: number
  /**
   * A second address to listen on, same port, beside 127.0.0.1: the host's end of a link into a
   * network namespace (lab/topology/netns.ts), for clients whose link is slow; absent: loopback only.
   */
  alsoListen?: string
  /**
   * nginx `limit_req` keyed by the `client` query argument (`$arg_client`): a leaky bucket draining
   * `ratePerS` requests/s per key, `burst` requests ahead of it (delayed to their turn unless
   * `nodelay`), the rest answered `status` (lab/servers/rate-limit.ts); absent: no limit.
   */
  limitReq?: { ratePerS: number; burst: number; nodelay: boolean; status: number }
  /** nginx `limit_conn` keyed the same way: at most `connections` requests of one key in progress, the next answered `status`; absent: no limit. */
  limitConn?: { connections: number; status: number }
}

/** Attempts per request when a proxy part has `retry` on: the first and one retry on the next upstream (nginx `proxy_next_upstream_tries 2`). */
export const RETRY_ATTEMPTS = 2

/**
 * nginx 1.22's defaults, in the lab's units, each with the directive it
 * stands for (https://nginx.org/en/docs/http/ngx_http_proxy_module.html,
 * .../ngx_http_upstream_module.html, .../ngx_http_core_module.html). A
 * scenario's `proxy` part sets most of them (lab/core/scenario.ts, where the
 * lab's own defaults differ: keep-alive 16, one retry, the cache lock on).
 */
export const PROXY_DEFAULTS: Omit<ReverseProxyConfig, 'upstreams'> = {
  /** `proxy_request_buffering on` */
  requestBuffering: true,
  /** `proxy_buffering on` */
  buffering: true,
  /** weighted round-robin, the `upstream` block's method when none is named */
  balance: 'round-robin',
  /** no `keepalive` directive in the `upstream` block: a new connection per request (since nginx 1.29.7, `keepalive 32 local` by default) */
  keepalive: 0,
  /** `proxy_read_timeout 60s` */
  readTimeoutS: 60,
  /** `proxy_connect_timeout 60s` */
  connectTimeoutS: 60,
  /** `server ... max_fails=1` */
  maxFails: 1,
  /** `server ... fail_timeout=10s` */
  failTimeoutS: 10,
  /** `proxy_next_upstream_tries 0`: no limit, every upstream may be tried once */
  tries: 0,
  /** no `proxy_cache`: nothing is cached */
  cacheTtlS: 0,
  /** `proxy_cache_lock off` */
  cacheLock: false,
  /** `client_max_body_size 1m` */
  maxBodyBytes: 1024 * 1024,
  /** `listen ... backlog=511` (nginx's default on Linux) */
  backlog: 511,
}

