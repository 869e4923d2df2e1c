/**
 * Instrumented upstreams and plain HTTP clients for the proxy tests
 * (test/integration/proxy.test.ts): what each upstream saw of each request.
 */
import http from 'node:http'
import net from 'node:net'

/** What an instrumented upstream saw of one request. */
export interface Seen {
  method: string
  path: string
  /** performance.now() when its headers had arrived (the handler ran). */
  headersAt: number
  /** When its body had arrived whole. */
  bodyAt?: number
  /** When the whole answer had been handed to the kernel (`finish`). */
  finishedAt?: number
}

export interface Upstream {
  name: string
  port: number
  /** Requests other than /health. */
  seen: Seen[]
  close(): Promise<void>
}

/**
 * An upstream on 127.0.0.1: `/health` 200; `/work?io_ms=N&bytes=M` waits N ms
 * (or `delayMs` when given) then answers M bytes with `X-Worker: <name>`;
 * `/hang` never answers; `/reset` (or every /work with `reset`) closes the
 * connection without an answer.
 */
export async function upstream(name: string, opts: { delayMs?: number; reset?: boolean } = {}): Promise<Upstream> {
  const seen: Seen[] = []
  const sockets = new Set<net.Socket>()
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    if (url.pathname === '/health') return void res.end('ok')
    const entry: Seen = { method: req.method ?? '', path: req.url ?? '', headersAt: performance.now() }
    seen.push(entry)
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      entry.bodyAt = performance.now()
      if (url.pathname === '/hang') return
      if (url.pathname === '/reset' || opts.reset) return void req.socket.destroy()
      const bytes = Number(url.searchParams.get('bytes') ?? 16)
      const wait = opts.delayMs ?? Number(url.searchParams.get('io_ms') ?? 0)
      setTimeout(() => {
        res.once('finish', () => (entry.finishedAt = performance.now()))
        res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': bytes, 'X-Worker': name })
        res.end(Buffer.alloc(bytes, 'x'))
      }, wait)
    })
  })
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1' }, resolve))
  return {
    name,
    port: (server.address() as net.AddressInfo).port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}

// --------------------------------------------------------------------- client

export interface Reply {
  status: number
  headers: http.IncomingHttpHeaders
  body: Buffer
  ms: number
}

/** One request on a fresh connection, bounded to 15 s. */
export function request(url: string, opts: { method?: string; body?: Buffer } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const req = http.request(url, { method: opts.method ?? 'GET', agent: false, timeout: 15_000 }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), ms: performance.now() - started }))
      res.on('error', reject)
    })
    req.on('timeout', () => req.destroy(new Error(`${url}: no answer in 15 s`)))
    req.on('error', reject)
    req.end(opts.body)
  })
}

/** `n` requests, `concurrency` at a time. */
export async function many(url: (i: number) => string, n: number, concurrency: number): Promise<Reply[]> {
  const out: Reply[] = []
  let next = 0
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++
        out[i] = await request(url(i))
      }
    }),
  )
  return out
}
