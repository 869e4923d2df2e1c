/**
 * The schemas of a topology's parts: its server and its proxy
 * (docs/scenario-format.md, "Topologies"). Split from lab/core/scenario.ts,
 * which re-exports them. Pure.
 */
import { z } from 'zod'
import { bool, fileName, folder, intIn, numIn } from './schema-fields.js'
import { forwardedAllowIps, limitReqSchema, limitConnSchema } from './operations-schema.js'
import { appName, protocol, proxyEngineName, proxyModel, serverEngineName, serverModel } from './vocabulary.js'

/**
 * A server in a topology. `model` picks the architecture; `engine` (optional)
 * pins an implementation, otherwise `--stack` picks the stack's engine for the
 * model (lab/engines/registry.ts, which also refuses an engine that does not
 * run the model). Defaults follow Gunicorn's documented ones where a default
 * exists: `timeout_s` 30 (Gunicorn `--timeout`), `backlog` 2048 (Gunicorn `--backlog`).
 */
export const serverSchema = z.strictObject({
  model: serverModel,
  engine: serverEngineName.optional(),
  /** Threads per worker (Gunicorn `--threads`; > 1 runs the gthread worker, as Gunicorn does); request slots per process of the built-in threaded server. */
  threads: intIn(1, 256).optional(),
  /** Requests a worker serves before it is replaced (Gunicorn `--max-requests`, uWSGI `--max-requests`; default 0 = never). Gunicorn, uWSGI and the built-in pre-fork. */
  max_requests: intIn(0, 10_000_000).optional(),
  /** Random 0..N extra requests per worker, so workers do not recycle together (Gunicorn `--max-requests-jitter`). */
  max_requests_jitter: intIn(0, 10_000_000).optional(),
  /** Seconds an idle keep-alive connection is held (Gunicorn `--keep-alive` 2, ignored by sync; Uvicorn `--timeout-keep-alive` 5). */
  keep_alive_s: intIn(0, 3600, ' s').optional(),
  /** Gunicorn gthread/gevent: connections a worker holds at once (`--worker-connections`, default 1000); with gthread, = threads makes a busy worker leave new connections in the shared backlog. */
  worker_connections: intIn(1, 100_000).optional(),
  /** The Python app a real engine serves (default: the standard-library app of the engine's interface); built-in servers ignore it. */
  app: appName.optional(),
  /** Pre-forked worker processes (prefork only). Gunicorn's default is 1; the lab's is 4. */
  workers: intIn(1, 64).default(4),
  /** Seconds a worker may stay busy on one request before the master kills and replaces it. */
  timeout_s: numIn(1, 3600, ' s').default(30),
  /** Length of the kernel's accept queue (listen backlog), capped by net.core.somaxconn. */
  backlog: intIn(1, 65535).default(2048),
  /** Keep connections open between requests (prefork default false, like Gunicorn sync; event loop true). */
  keepAlive: bool().optional(),
  /** Event loop: requests in progress beyond which it answers 503 at once (Uvicorn `--limit-concurrency`; none by default). */
  limit_concurrency: intIn(1, 100_000).optional(),
  /** Folder the app serves `GET /static/<file>` from, relative to the scenario's folder (built-in servers). */
  static_dir: folder().optional(),
  /** Load the app in the master before forking (Gunicorn `--preload`, default off; scenarios/preload). Gunicorn only. */ preload: bool().optional(),
  /** Peers whose X-Forwarded-* headers are believed (lab/core/operations-schema.ts). Gunicorn and Uvicorn. */ forwarded_allow_ips: forwardedAllowIps().optional(),
  /** Gunicorn only: a `gunicorn.conf.py` in the scenario's folder, run with `-c`; it sets workers, threads, timeout...; the lab still forces `--bind 127.0.0.1:PORT` (docs/exercises.md). */
  config_file: fileName('gunicorn.conf.py').optional(),
  /** Gunicorn or Uvicorn: a Python app file in the scenario's folder served instead of `app` (attribute `application` for WSGI, `app` for ASGI). */
  app_file: fileName('app.py').optional(),
})

/**
 * A reverse proxy in front of the server (docs/architecture.md, "Topologies"):
 * the built-in `node-reverse-proxy` (`--stack node`) or nginx (`--stack
 * python`, or `engine: 'nginx'`). Defaults are nginx's documented ones
 * (https://nginx.org/en/docs/http/ngx_http_proxy_module.html,
 * https://nginx.org/en/docs/http/ngx_http_upstream_module.html) except
 * where noted.
 */
export const proxySchema = z.strictObject({
  model: proxyModel.default('reverse-proxy'),
  engine: proxyEngineName.optional(),
  /** Read the whole request before contacting an upstream (`proxy_request_buffering`, default on). */
  request_buffering: bool().default(true),
  /** Read the whole response, free the upstream, then send at the client's pace (`proxy_buffering`, default on). */
  buffering: bool().default(true),
  /** Folder served under `/static/` by the proxy itself, relative to the scenario's folder (nginx `location /static/ { alias ...; }`). */
  static_dir: folder().optional(),
  /** How upstreams share requests: `round-robin` (nginx's default) or `least-conn` (`least_conn`). */
  balance: z.enum(['round-robin', 'least-conn'], { error: "'round-robin' or 'least-conn'" }).default('round-robin'),
  /** Idle keep-alive connections kept per upstream (`keepalive`; nginx keeps none by default, the lab 16). */
  keepalive: intIn(0, 1024).default(16),
  /** Seconds to wait for the upstream between two reads, the response header included (`proxy_read_timeout`, 60). */
  read_timeout_s: numIn(0.01, 3600, ' s').default(60),
  /** Seconds to wait for an upstream to accept a connection (`proxy_connect_timeout`, 60; nginx caps it near 75). */
  connect_timeout_s: numIn(0.01, 75, ' s').default(60),
  /** Failures within `fail_timeout_s` that mark an upstream down (`max_fails`, 1; 0 never). */
  max_fails: intIn(0, 1000).default(1),
  /** Seconds an upstream stays marked down (`fail_timeout`, 10; nginx takes whole seconds). */
  fail_timeout_s: intIn(0, 3600, ' s').default(10),
  /** Retry a failed idempotent request once on the next upstream (`proxy_next_upstream error timeout`, `proxy_next_upstream_tries 2`). */
  retry: bool().default(true),
  /** Seconds a 200 answer stays fresh in the micro-cache (`proxy_cache_valid`); 0: no cache (nginx takes whole seconds). */
  cache_ttl_s: intIn(0, 3600, ' s').default(0),
  /** With the cache: one request refills an entry, the others wait or get the stale copy (`proxy_cache_lock`, `proxy_cache_use_stale updating`). */
  cache_lock: bool().default(true),
  /** What the proxy speaks to the servers: `http` (`proxy_pass`) or `uwsgi` (nginx's `uwsgi_pass` to uWSGI's `--socket`). */
  protocol: protocol.default('http'),
  /** Terminate HTTPS at the proxy with a self-signed certificate generated into its temp folder for the run (nginx, Apache, Caddy; lab/engines/tls.ts); plain HTTP to the upstreams. */
  tls: bool().optional(),
  /** Apache httpd and Caddy, which stream bodies by default: turn their own buffering on (Caddy 2.6 `buffer_requests` + `buffer_responses`; Apache `SetEnv proxy-sendcl 1`, request bodies only). nginx and the built-in proxy read `buffering`/`request_buffering` instead. */
  engine_buffering: bool().optional(),
  /** nginx `worker_processes` (default 1); the built-in proxy is always one process. */
  workers: intIn(1, 64).optional(),
  /** nginx `limit_req` per client (lab/core/operations-schema.ts; scenarios/rate-limiting): nginx and the built-in proxy (the same leaky bucket, lab/servers/rate-limit.ts). */ limit_req: limitReqSchema.optional(),
  /** nginx `limit_conn` per client (lab/core/operations-schema.ts; scenarios/rate-limiting): nginx and the built-in proxy (lab/servers/rate-limit.ts). */ limit_conn: limitConnSchema.optional(),
  /** nginx only: a file in the scenario's folder holding the `location` block(s) of the server, in place of the lab's `location /` (docs/exercises.md). */
  location_file: fileName('location.conf').optional(),
})
