/**
 * The built-in reverse proxy (`proxy: { model: 'reverse-proxy' }`, engine
 * `node-reverse-proxy`): one Node process in front of one or more upstream
 * server instances, doing what a course says nginx does in front of Gunicorn
 * (Gunicorn docs, "Deploying Gunicorn": "we strongly advise that you use
 * Nginx ... we require a buffering proxy"):
 *
 * - **request buffering** (nginx `proxy_request_buffering on`): the whole
 *   request is read before an upstream is contacted, so a client that sends
 *   slowly holds a cheap proxy connection, not a sync worker. Request
 *   headers are always read whole first (nginx does the same), so a
 *   Slowloris client never reaches an upstream;
 * - **response buffering** (`proxy_buffering on`): the whole upstream
 *   response is read at loopback speed, the upstream connection is released,
 *   then the answer goes to the client at the client's pace. Off, the answer
 *   streams through and a slow reader holds the upstream until it has read
 *   everything;
 * - **static files** under `/static/` from `staticDir`, never touching an upstream;
 * - an **upstream pool**: round-robin or least connections, keep-alive
 *   connections to the upstreams, 502 when the upstream fails, 504 when it
 *   does not answer within `readTimeoutS`; a failed idempotent request is
 *   tried on the next upstream, up to `tries` attempts (nginx
 *   `proxy_next_upstream_tries`; 0, nginx's default, tries every upstream
 *   once), and a failed upstream is skipped
 *   for `failTimeoutS` (nginx `max_fails=1 fail_timeout=10s`);
 * - a **micro-cache** (`cacheTtlS`) with a cache lock;
 * - **request limits** per `client` query argument (nginx `limit_req` and
 *   `limit_conn` keyed by `$arg_client`; lab/servers/proxy-limit.ts), before
 *   the body is read and before the cache;
 * - headers `X-Upstream: 127.0.0.1:<port>` (the upstreams tried, like
 *   nginx's `$upstream_addr`) and `X-Cache: HIT|MISS|STALE` when caching;
 *   the upstream's `X-Worker` passes through.
 *
 * Started by the lab with `LAB_PROXY_CONFIG` (lab/contract/workload.ts,
 * `ReverseProxyConfig`); listens on 127.0.0.1 port 0 and reports
 * `{type:'ready', port}` over IPC. Exits on SIGTERM, SIGINT or when its
 * parent goes away.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Readable } from 'node:stream'
import type { ReverseProxyConfig, ServerMessage } from '../contract/workload.js'
import { passHeaders, plain, sendWhole, serveStatic } from './proxy-answer.js'
import { limiter } from './proxy-limit.js'
import { upstreamAgent } from './proxy-pool.js'
import { readAll, streamThrough } from './proxy-stream.js'
import { Balancer, HOP_BY_HOP, MicroCache, attemptLimit, isIdempotent, type CachedResponse } from './proxy-logic.js'

function readProxyConfig(): ReverseProxyConfig {
  const raw = process.env.LAB_PROXY_CONFIG
  if (!raw) throw new Error('LAB_PROXY_CONFIG is not set; the built-in proxy is started by the lab')
  return JSON.parse(raw) as ReverseProxyConfig
}

const config = readProxyConfig()
const balancer = new Balancer(config.upstreams, config)
const cache = config.cacheTtlS > 0 ? new MicroCache({ ttlS: config.cacheTtlS, lock: config.cacheLock }) : undefined
const agents = config.upstreams.map(() => upstreamAgent(config.keepalive))
const admit = limiter(config)
const LOCK_TIMEOUT_MS = 5000
const ADDRESSES = config.upstreams.map((port) => `127.0.0.1:${port}`)
const address = (i: number) => ADDRESSES[i] as string

function tell(message: ServerMessage): void {
  if (process.connected) process.send?.(message)
}

// ---------------------------------------------------------------- upstream ---

type Attempt =
  | { ok: true; upstream: http.IncomingMessage; request: http.ClientRequest }
  /** `sent`: the connection was made, so the upstream may have seen the request. */
  | { ok: false; why: 'error' | 'timeout'; sent: boolean }

/**
 * Sends one request to upstream `i` and waits for its response header, at
 * most `connectTimeoutS` to connect and `readTimeoutS` once the request is
 * sent (an unbuffered body is sent at the client's pace, with no limit).
 */
function attempt(
  i: number,
  method: string,
  target: string,
  headers: string[],
  body: Buffer | Readable | null,
  track: (r: http.ClientRequest) => void,
): Promise<Attempt> {
  return new Promise((resolve) => {
    let settled = false
    let timedOut = false
    let sent = false
    let timer: NodeJS.Timeout | undefined
    const settle = (a: Attempt) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve(a)
    }
    const request = http.request({ host: '127.0.0.1', port: config.upstreams[i], method, path: target, headers, agent: agents[i] })
    track(request)
    const expire = (ms: number) => {
      clearTimeout(timer)
      timer = setTimeout(() => {
        timedOut = true
        request.destroy(new Error('upstream timed out'))
      }, ms)
    }
    request.on('socket', (socket) => {
      if (!socket.connecting) return void (sent = true)
      expire(config.connectTimeoutS * 1000)
      socket.once('connect', () => {
        sent = true
        clearTimeout(timer)
      })
    })
    // nginx's proxy_read_timeout counts from the moment the request is sent
    request.on('finish', () => expire(config.readTimeoutS * 1000))
    request.on('response', (upstream) => settle({ ok: true, upstream, request }))
    request.on('error', () => settle({ ok: false, why: timedOut ? 'timeout' : 'error', sent }))
    if (body === null) request.end()
    else if (Buffer.isBuffer(body)) request.end(body)
    else body.pipe(request)
  })
}

interface Exchange {
  method: string
  target: string
  /** Request headers for the upstream, a flat name/value list ({@link upstreamHeaders}). */
  headers: string[]
  /** Whether the client sent Host; without, each attempt names its upstream (as node:http does). */
  host: boolean
  /** The request body: whole (buffered), a stream (unbuffered), or none. */
  body: Buffer | Readable | null
  /** Buffer the response whatever `config.buffering` says (to store it in the cache). */
  forceBuffering: boolean
  /** Extra response headers (X-Cache), a flat name/value list. */
  extra: string[]
}

/**
 * Passes a request upstream, retrying on the next upstream (up to
 * {@link attemptLimit} attempts) after an error or a timeout when the method
 * is idempotent and the body can be sent again; answers 502 or 504 when every
 * attempt failed.
 * @returns the whole response when it was buffered with status 200, for the cache
 */
async function pass(res: http.ServerResponse, x: Exchange): Promise<CachedResponse | undefined> {
  const tried = new Set<number>()
  const addrs: string[] = []
  let failure: 'error' | 'timeout' = 'error'
  // nginx passes a non-idempotent request to the next upstream only if it was never sent
  const resendable = x.body === null || Buffer.isBuffer(x.body)
  let clientGone = false
  let current: http.ClientRequest | undefined
  // the client left before its answer: close the upstream connection too (nginx does, with
  // proxy_ignore_client_abort off), or an unbuffered upload would hold a sync worker until its timeout
  res.on('close', () => {
    if (res.writableFinished) return
    clientGone = true
    current?.destroy()
  })
  for (let n = 0; n < attemptLimit(config.tries, config.upstreams.length) && !clientGone; n++) {
    const i = balancer.pick(performance.now(), tried)
    if (i === undefined) break
    tried.add(i)
    addrs.push(address(i))
    balancer.begin(i)
    const headers = x.host ? x.headers : [...x.headers, 'Host', address(i)]
    const a = await attempt(i, x.method, x.target, headers, x.body, (r) => (current = r))
    if (!a.ok && clientGone) {
      balancer.end(i, true, performance.now()) // not the upstream's fault
      return undefined
    }
    if (!a.ok) {
      failure = a.why
      if (balancer.end(i, false, performance.now()) === 'marked-down') {
        tell({ type: 'event', kind: 'upstream-down', message: `upstream ${address(i)} marked down for ${config.failTimeoutS} s after a ${a.why}` })
      }
      if (!resendable || (a.sent && !isIdempotent(x.method))) break
      continue
    }
    const extra = [...x.extra, 'X-Upstream', addrs.join(', ')]
    const answer = passHeaders(a.upstream.rawHeaders)
    if (config.buffering || x.forceBuffering) {
      const body = await readAll(a.upstream, a.request, config.readTimeoutS)
      if (typeof body === 'string') {
        balancer.end(i, clientGone, performance.now()) // a client that left is not the upstream's failure
        if (clientGone) return undefined
        plain(res, body === 'timeout' ? 504 : 502, ['X-Upstream', addrs.join(', ')])
        return undefined
      }
      balancer.end(i, true, performance.now()) // the upstream is free before the client has a byte
      const whole: CachedResponse = { status: a.upstream.statusCode ?? 502, headers: answer, body }
      if (!res.destroyed) sendWhole(res, whole, extra)
      return whole.status === 200 ? whole : undefined
    }
    const length = a.upstream.headers['content-length']
    res.writeHead(a.upstream.statusCode ?? 502, length !== undefined ? [...answer, ...extra, 'Content-Length', length] : [...answer, ...extra])
    const ok = await streamThrough(a.upstream, a.request, res, config.readTimeoutS)
    balancer.end(i, ok, performance.now())
    return undefined
  }
  if (!clientGone) plain(res, failure === 'timeout' ? 504 : 502, addrs.length ? ['X-Upstream', addrs.join(', ')] : [])
  return undefined
}

/** What the proxy reads from a request's headers, in one pass over `rawHeaders` (`req.headers` would build an object per request). */
interface RequestHead {
  /** The headers passed on, a flat name/value list: hop-by-hop ones, Content-Length and X-Forwarded-For left out. */
  pass: string[]
  contentLength: string | undefined
  transferEncoding: boolean
  forwardedFor: string | undefined
  host: boolean
}

function readHead(req: http.IncomingMessage): RequestHead {
  const head: RequestHead = { pass: [], contentLength: undefined, transferEncoding: false, forwardedFor: undefined, host: false }
  const raw = req.rawHeaders
  for (let i = 0; i < raw.length; i += 2) {
    const lower = (raw[i] as string).toLowerCase()
    const value = raw[i + 1] as string
    if (lower === 'content-length') head.contentLength = value
    else if (lower === 'x-forwarded-for') head.forwardedFor = head.forwardedFor === undefined ? value : `${head.forwardedFor}, ${value}`
    else if (lower === 'transfer-encoding') head.transferEncoding = true
    else if (!HOP_BY_HOP.has(lower)) {
      if (lower === 'host') head.host = true
      head.pass.push(raw[i] as string, value)
    }
  }
  return head
}

/**
 * Request headers as the upstream gets them (nginx's Gunicorn example: `Host $http_host`, `X-Forwarded-For`,
 * `X-Forwarded-Proto`), a flat name/value list; a request without Host gets the upstream's address at each attempt.
 */
function upstreamHeaders(req: http.IncomingMessage, head: RequestHead, bodyLength: number | undefined): string[] {
  const out = head.pass
  const client = req.socket.remoteAddress ?? ''
  out.push('x-forwarded-for', head.forwardedFor ? `${head.forwardedFor}, ${client}` : client, 'x-forwarded-proto', 'http')
  if (bodyLength !== undefined) out.push('content-length', String(bodyLength))
  else if (head.contentLength !== undefined) out.push('content-length', head.contentLength)
  return out
}

function hasBody(head: RequestHead): boolean {
  return (head.contentLength !== undefined && head.contentLength !== '0') || head.transferEncoding
}

/** Reads a whole request body, or answers 413 above `maxBodyBytes`. */
function readBody(req: http.IncomingMessage, res: http.ServerResponse, head: RequestHead): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const declared = Number(head.contentLength ?? 0)
    if (declared > config.maxBodyBytes) {
      plain(res, 413)
      req.resume()
      return resolve(undefined)
    }
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > config.maxBodyBytes) {
        plain(res, 413)
        req.destroy()
        resolve(undefined)
      } else chunks.push(c)
    })
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', () => resolve(undefined))
    req.on('aborted', () => resolve(undefined))
  })
}

// ------------------------------------------------------------------ serving ---

async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const method = req.method ?? 'GET'
  const target = req.url ?? '/'
  if (config.staticDir && target.startsWith('/static/') && (method === 'GET' || method === 'HEAD')) {
    return serveStatic(req, res, config.staticDir)
  }
  if (admit && !(await admit(target, res))) return
  const head = readHead(req)
  let body: Buffer | Readable | null = null
  if (hasBody(head)) {
    if (config.requestBuffering) {
      const whole = await readBody(req, res, head)
      if (!whole) return
      body = whole
    } else body = req
  }
  const headers = upstreamHeaders(req, head, Buffer.isBuffer(body) ? body.length : undefined)

  if (!cache || !MicroCache.cacheable(method)) {
    await pass(res, { method, target, headers, host: head.host, body, forceBuffering: false, extra: [] })
    return
  }
  const key = MicroCache.key(method, target)
  const decision = cache.lookup(key, performance.now())
  if (decision.action === 'hit') return sendWhole(res, decision.response, ['X-Cache', 'HIT'])
  if (decision.action === 'stale') return sendWhole(res, decision.response, ['X-Cache', 'STALE'])
  if (decision.action === 'wait') {
    // nginx proxy_cache_lock_timeout 5s: after it, go upstream without caching
    let timer: NodeJS.Timeout | undefined
    const filled = await Promise.race([decision.wait, new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), LOCK_TIMEOUT_MS)))])
    clearTimeout(timer)
    if (filled) return sendWhole(res, filled, ['X-Cache', 'HIT'])
    await pass(res, { method, target, headers, host: head.host, body, forceBuffering: false, extra: ['X-Cache', 'MISS'] })
    return
  }
  // a miss: HEAD goes upstream as GET so the entry holds the body (nginx `proxy_cache_convert_head on`)
  const whole = await pass(res, { method: 'GET', target, headers, host: head.host, body, forceBuffering: true, extra: ['X-Cache', 'MISS'] })
  // without the lock every miss stores its answer too (as nginx's proxy_cache does); store() wakes waiters only when this request held the lock
  if (whole) cache.store(key, whole, performance.now())
  else cache.abandon(key)
}

function listener(): http.Server {
  const s = http.createServer(
    // nginx: keepalive_timeout 75s, client_header_timeout 60s
    { keepAliveTimeout: 75_000, headersTimeout: 60_000 },
    (req, res) => {
      handle(req, res).catch(() => plain(res, 502))
    },
  )
  s.on('clientError', (_err, socket) => socket.destroy())
  return s
}

const server = listener()
// the same port on a link's address too (config.alsoListen), as nginx does with a second `listen`
const also = config.alsoListen ? listener() : undefined

server.listen({ port: 0, host: '127.0.0.1', backlog: config.backlog }, () => {
  const { port } = server.address() as AddressInfo
  const ready = () => tell({ type: 'ready', port, processes: [{ pid: process.pid, role: 'proxy' }] })
  if (!also) return ready()
  also.once('error', (err) => {
    console.error(`cannot listen on ${config.alsoListen}:${port}: ${err.message}`)
    process.exit(1)
  })
  also.listen({ port, host: config.alsoListen, backlog: config.backlog }, ready)
})

function stop(): void {
  also?.close()
  also?.closeAllConnections()
  server.close(() => process.exit(0))
  server.closeAllConnections()
  for (const a of agents) a.destroy()
  setTimeout(() => process.exit(0), 2000).unref()
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
process.on('disconnect', stop)
