/**
 * Scenario fields of the operations lessons (scenarios/rate-limiting,
 * scenarios/preload, scenarios/proxy-headers), kept apart from
 * lab/core/scenario.ts, which uses them. Pure: no I/O.
 */
import { z } from 'zod'
import { bool, intIn } from './schema-fields.js'

/**
 * nginx's request limiter in front of the upstreams (ngx_http_limit_req_module,
 * nginx 1.22: https://nginx.org/en/docs/http/ngx_http_limit_req_module.html),
 * keyed by the request's `client` query argument (`$arg_client`), which a
 * workload's mix entry sets (`client`). A request without one is not limited:
 * *"Requests with an empty key value are not accounted."* The module's
 * defaults: `burst` 0, delay (not `nodelay`), `limit_req_status` 503.
 * nginx and the built-in proxy run it; the built-in one implements the same
 * leaky bucket, with nginx 1.22.1's arithmetic (lab/servers/rate-limit.ts).
 */
export const limitReqSchema = z.strictObject({
  /** Requests per second each client may make (`rate=Nr/s`): the leaky bucket's drain rate. */
  rate_per_s: intIn(1, 100_000, ' req/s'),
  /** Requests a client may be ahead of its rate (`burst=`); without `nodelay` they wait their turn. */
  burst: intIn(0, 100_000).default(0),
  /** Serve the burst at once instead of spacing it at the rate (`nodelay`). */
  nodelay: bool().default(false),
  /** The status a rejected request gets (`limit_req_status`; 503 by default, 429 Too Many Requests is RFC 6585's). */
  status: intIn(400, 599).default(503),
})

/**
 * nginx's connection limiter in front of the upstreams (ngx_http_limit_conn_module,
 * nginx 1.22: https://nginx.org/en/docs/http/ngx_http_limit_conn_module.html),
 * keyed like `limit_req` by the `client` query argument: at most `connections`
 * requests of one client *"being processed by the server and the whole request
 * header has already been read"* at a time; the next is rejected with
 * `status` (`limit_conn_status`, 503 by default). A request without the key
 * is not limited (*"Requests with an empty key value are not accounted"*).
 * nginx and the built-in proxy run it (lab/servers/rate-limit.ts).
 */
export const limitConnSchema = z.strictObject({
  /** Requests of one client in progress at once (`limit_conn zone N`). */
  connections: intIn(1, 100_000),
  /** The status a rejected request gets (`limit_conn_status`; 503 by default). */
  status: intIn(400, 599).default(503),
})

/**
 * Who sends a kind of request (`client` of a mix entry): sent as
 * `&client=<id>` on its `/work` path, the key a proxy's `limit_req` counts
 * by. The servers ignore it.
 */
export const clientId = () =>
  z.string({ error: 'a client id (a-z, 0-9, -)' }).regex(/^[a-z0-9-]{1,32}$/, { error: 'a client id (a-z, 0-9, -; at most 32)' })

/**
 * Which peers a Python server believes when they send `X-Forwarded-For` and
 * `X-Forwarded-Proto` (Gunicorn 20.1 `--forwarded-allow-ips`, default
 * `127.0.0.1`; Uvicorn 0.17 `--proxy-headers --forwarded-allow-ips`, default
 * `127.0.0.1`): a comma-separated list of addresses, or `*` for anyone.
 */
export const forwardedAllowIps = () =>
  z.string({ error: "addresses separated by commas, or '*'" }).regex(/^(\*|[0-9a-fA-F.:]+(,[0-9a-fA-F.:]+)*)$/, { error: "addresses separated by commas, or '*'" })

export type LimitReqDef = z.output<typeof limitReqSchema>
export type LimitConnDef = z.output<typeof limitConnSchema>
