/**
 * Slow clients beside the load generator (`load.slow_clients`, or a
 * workload's own): raw sockets to 127.0.0.1 that take a long time over one
 * request, the way clients on slow networks (or attackers) do, to show what
 * they do to sync workers with and without a buffering proxy in front
 * (docs/add-a-scenario.md, "Phenomena": proxy-buffering, slow readers):
 *
 * - `slow-headers` (Slowloris): sends a request line, then header lines a
 *   byte at a time, never ending the header block;
 * - `slow-body`: `POST /work` with complete headers announcing a 1 MB body
 *   (`Content-Length: 1000000`, under nginx's default `client_max_body_size 1m`),
 *   then the body slowly. The workload contract has every server's `POST /work`
 *   handler read the whole body before it answers (lab/servers/workload.ts),
 *   so whatever runs the handler (a sync worker, a thread) is held by the upload;
 * - `slow-reader`: asks for a large response (`/work?bytes=N`) and reads it
 *   at `bytes_per_s` (the socket is paused between reads, so the kernel's
 *   receive window closes and the sender blocks).
 *
 * A client whose connection ends (the server closed it, answered it, or a
 * worker was killed after its timeout) reconnects after 100 ms and starts
 * over, so the pressure lasts the whole level, as a real Slowloris keeps it.
 * Bounded: at most 64 clients (the schema's cap, checked here too) and at
 * most `maxS` seconds; `stop()` closes every socket at once.
 *
 * With `paced: false` the same clients run behind a rate-limited link in a
 * network namespace (lab/load/slow-link.ts, docs/network-links.md): readers
 * read as fast as data comes and slow-body senders write their whole body,
 * so the link alone sets their pace.
 */
import net from 'node:net'

/** How slow clients behave (see the module comment). */
export type SlowMode = 'slow-headers' | 'slow-body' | 'slow-reader'

/** Options of {@link startSlowClients}. */
export interface SlowClientsOptions {
  /** Base URL of the topology, `http://127.0.0.1:<port>`. */
  baseUrl: string
  /** Clients, 1..64. */
  count: number
  mode: SlowMode
  /** Bytes per second each client sends (slow-headers, slow-body) or reads (slow-reader); default 1 for senders, 16384 for readers. */
  bytesPerS?: number
  /** slow-reader: the response size asked for, bytes (default 4 000 000). */
  responseBytes?: number
  /** Hard limit: every socket is closed after this many seconds even without `stop()`. */
  maxS: number
  /**
   * false: the clients run behind a rate-limited link (lab/load/slow-link.ts) and do not pace
   * themselves: a reader reads as fast as data comes, a slow-body sender writes its whole body
   * and lets the link hold it back (slow-headers is always paced). Default true.
   */
  paced?: boolean
  /** The host's end of the run's link (10.213.x.y, lab/topology/netns.ts), the one address besides 127.0.0.1 `baseUrl` may name. */
  linkAddress?: string
}

/** What the slow clients did, for the results (`runs[].slowClients`). */
export interface SlowClientsResult {
  count: number
  mode: SlowMode
  bytesPerS: number
  /** Connections opened (the first `count`, then every reconnection). */
  connects: number
  /** Connections the server ended (closed, reset, or answered in full). */
  serverClosed: number
  /** Complete responses a slow reader received (slow-reader only). */
  responses: number
  bytesSent: number
  bytesReceived: number
  /** Seconds from the start of the clients to their stop (or to now, in a snapshot). */
  elapsedS?: number
}

/** Running slow clients. */
export interface SlowClients {
  /** Closes every socket and stops reconnecting; idempotent. */
  stop(): SlowClientsResult
  /** What they did so far, without stopping them. */
  snapshot(): SlowClientsResult
}

/** The largest number of slow clients (scenario schema: `slow_clients.count` 1..64). */
export const MAX_SLOW_CLIENTS = 64
const BODY_BYTES = 1_000_000
const RECONNECT_MS = 100

/** The default rate of a mode, bytes per second: 1 for senders (Slowloris), 16 KiB for readers. */
export function defaultRate(mode: SlowMode): number {
  return mode === 'slow-reader' ? 16_384 : 1
}

/**
 * The bytes a slow sender sends, in order: what comes after the first
 * `offset` bytes, `n` bytes long. slow-headers: a request line, then header
 * lines without end; slow-body: the body, `x` repeated.
 */
export function senderBytes(mode: 'slow-headers' | 'slow-body', host: string, offset: number, n: number): Buffer {
  if (mode === 'slow-body') return Buffer.alloc(Math.min(n, Math.max(0, BODY_BYTES - offset)), 'x')
  const head = `GET /work?io_ms=0 HTTP/1.1\r\nHost: ${host}\r\n`
  let text = ''
  let at = 0
  // the stream is the head, then `X-Slow-<k>: x\r\n` for k = 0, 1, 2, ...
  for (let k = -1; text.length < n; k++) {
    const p = k < 0 ? head : `X-Slow-${k}: x\r\n`
    if (at + p.length > offset) text += p.slice(Math.max(0, offset - at))
    at += p.length
  }
  return Buffer.from(text.slice(0, n), 'latin1')
}

/**
 * Whether slow clients may connect to a host: 127.0.0.1, or the run's own
 * link address when there is one and it lies in the lab's 10.213.0.0/16
 * (lab/topology/netns.ts); nothing else.
 */
export function allowedTarget(hostname: string, linkAddress: string | undefined): boolean {
  if (hostname === '127.0.0.1') return true
  return linkAddress !== undefined && hostname === linkAddress && /^10\.213\.\d{1,3}\.\d{1,3}$/.test(linkAddress)
}

/** The request a slow reader sends (it reads the answer slowly). */
export function readerRequest(host: string, responseBytes: number): string {
  return `GET /work?io_ms=0&cpu_ms=0&bytes=${responseBytes} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`
}

/** The headers a slow-body client sends at once (its body follows slowly). */
export function bodyHeaders(host: string): string {
  return `POST /work HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/octet-stream\r\nContent-Length: ${BODY_BYTES}\r\n\r\n`
}

/**
 * Opens the slow clients; resolves once every one is connected and has sent
 * its first bytes (so a pre-fork server's accept queue holds them before the
 * load generator's connections).
 * @throws RangeError when count is not 1..64, or the URL is neither on 127.0.0.1 nor on the run's link address (10.213.0.0/16)
 */
export async function startSlowClients(opts: SlowClientsOptions): Promise<SlowClients> {
  if (!Number.isInteger(opts.count) || opts.count < 1 || opts.count > MAX_SLOW_CLIENTS) {
    throw new RangeError(`slow clients: count ${opts.count}; expected an integer 1..${MAX_SLOW_CLIENTS}`)
  }
  const url = new URL(opts.baseUrl)
  if (!allowedTarget(url.hostname, opts.linkAddress)) throw new RangeError(`slow clients target 127.0.0.1 or the run's own link only, not ${url.hostname}`)
  const paced = opts.paced ?? true
  const target = url.hostname
  const port = Number(url.port)
  const host = url.host
  const rate = opts.bytesPerS ?? defaultRate(opts.mode)
  const responseBytes = opts.responseBytes ?? 4_000_000
  const result: SlowClientsResult = { count: opts.count, mode: opts.mode, bytesPerS: rate, connects: 0, serverClosed: 0, responses: 0, bytesSent: 0, bytesReceived: 0 }
  const startedAt = performance.now()
  const elapsed = () => (performance.now() - startedAt) / 1000
  const sockets = new Set<net.Socket>()
  const timers = new Set<NodeJS.Timeout>()
  let stopped = false
  // senders send whole bytes: one every 1000/rate ms up to 10 per second, else rate/10 bytes every 100 ms
  const tickMs = rate <= 10 ? 1000 / rate : 100
  const perTick = rate <= 10 ? 1 : Math.max(1, Math.round(rate / 10))

  const later = (fn: () => void, ms: number): void => {
    const t = setTimeout(() => {
      timers.delete(t)
      fn()
    }, ms)
    timers.add(t)
  }

  /** One client's life: connect, misbehave until the connection ends, reconnect. */
  const run = (onFirstBytes?: () => void): void => {
    if (stopped) return
    const socket = net.connect({ host: target, port })
    sockets.add(socket)
    result.connects++
    let sent = 0
    let received = 0
    let ticker: NodeJS.Timeout | undefined
    const first = () => {
      onFirstBytes?.()
      onFirstBytes = undefined
    }
    const write = (data: Buffer | string, cb?: () => void) => {
      if (socket.destroyed || stopped) return
      const n = typeof data === 'string' ? Buffer.byteLength(data) : data.length
      sent += n
      result.bytesSent += n
      socket.write(data, cb)
    }
    socket.on('connect', () => {
      socket.setNoDelay(true)
      if (opts.mode === 'slow-reader') {
        write(readerRequest(host, responseBytes), first)
        if (paced) socket.pause()
        let allowance = 0
        if (paced) ticker = setInterval(() => {
          allowance = Math.min(allowance + rate / 10, rate) // at most a second's worth saved up
          if (allowance > 0 && socket.isPaused()) socket.resume()
        }, 100)
        socket.on('data', (chunk: Buffer) => {
          received += chunk.length
          result.bytesReceived += chunk.length
          allowance -= chunk.length
          if (paced && allowance <= 0) socket.pause()
        })
        socket.on('end', () => {
          if (received > 0) result.responses++
        })
      } else {
        const mode = opts.mode
        if (mode === 'slow-body' && !paced) {
          // the whole body at once: the link, not the lab, sets its pace
          write(bodyHeaders(host))
          write(senderBytes(mode, host, 0, BODY_BYTES))
          first()
          socket.on('data', (chunk: Buffer) => {
            received += chunk.length
            result.bytesReceived += chunk.length
          })
          return
        }
        if (mode === 'slow-body') write(bodyHeaders(host))
        write(senderBytes(mode, host, 0, perTick), first)
        ticker = setInterval(() => write(senderBytes(mode, host, sent - (mode === 'slow-body' ? Buffer.byteLength(bodyHeaders(host)) : 0), perTick)), tickMs)
        socket.on('data', (chunk: Buffer) => {
          received += chunk.length
          result.bytesReceived += chunk.length
        })
      }
    })
    socket.on('error', () => {
      // ECONNRESET, EPIPE: the server ended it; 'close' follows
    })
    socket.on('close', () => {
      clearInterval(ticker)
      sockets.delete(socket)
      first() // a client that could not even start must not hold up the level
      if (stopped) return
      result.serverClosed++
      later(() => run(), RECONNECT_MS)
    })
  }

  const ready = Promise.all(Array.from({ length: opts.count }, () => new Promise<void>((resolve) => run(resolve))))
  let capTimer: NodeJS.Timeout | undefined
  const stop = (): SlowClientsResult => {
    if (!stopped) {
      stopped = true
      clearTimeout(capTimer)
      for (const t of timers) clearTimeout(t)
      timers.clear()
      for (const s of sockets) s.destroy()
      sockets.clear()
      result.elapsedS = elapsed()
    }
    return { ...result }
  }
  capTimer = setTimeout(stop, opts.maxS * 1000)
  capTimer.unref()
  await ready
  return { stop, snapshot: () => ({ ...result, elapsedS: result.elapsedS ?? elapsed() }) }
}
