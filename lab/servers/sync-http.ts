/**
 * HTTP/1.1 request reading for a blocking, one-connection-at-a-time worker
 * (the built-in pre-fork server, lab/servers/prefork.ts): the head is read
 * and parsed first, and the body is left for the handler to read, or not, as
 * Gunicorn's sync worker (20.1, `gunicorn/workers/sync.py`) calls the WSGI
 * application once the head is parsed and the application reads
 * `wsgi.input` itself (PEP 3333, "input and error streams"). Bodies come
 * with `Content-Length` or `Transfer-Encoding: chunked` (RFC 9112 §6, §7.1).
 *
 * Node built-ins only; the byte source is a function, so the parsing can be
 * tested without sockets.
 */

/** A parsed request head. */
export interface RequestHead {
  method: string
  /** The request target as sent: `/path?query`. */
  target: string
  /** `HTTP/1.0` or `HTTP/1.1`. */
  version: string
  /** The lowercased `Connection` header ('' when absent). */
  connection: string
  /** The body's framing: none, a length in bytes, or chunked. */
  body: { kind: 'none' } | { kind: 'length'; bytes: number } | { kind: 'chunked' }
}

/** A request the reader rejects: answer `status` with `message` and close. */
export interface BadRequest {
  status: 400 | 431 | 501
  message: string
}

/** Largest request head accepted, bytes (Gunicorn's `limit_request_line` 4094 plus `limit_request_fields` 100 × `limit_request_field_size` 8190 is larger; 64 KiB is plenty for the lab). */
export const MAX_HEAD_BYTES = 64 * 1024
const MAX_CHUNK_LINE = 4096

/**
 * Reads requests from a blocking byte source, one at a time.
 * @param read - fills the buffer it is given, returns the bytes read, 0 when the client closed (e.g. `fs.readSync` on a blocking socket)
 */
export class BlockingRequestReader {
  private pending = Buffer.alloc(0)
  private readonly chunk = Buffer.alloc(64 * 1024)

  constructor(private readonly read: (into: Buffer) => number) {}

  /** Reads more bytes into `pending`; false when the client closed. */
  private fill(): boolean {
    const n = this.read(this.chunk)
    if (n === 0) return false
    this.pending = this.pending.length ? Buffer.concat([this.pending, this.chunk.subarray(0, n)]) : Buffer.from(this.chunk.subarray(0, n))
    return true
  }

  /** Bytes up to and including the next CRLF, or undefined when the client closed first (or `max` came without one). */
  private line(max: number): string | undefined {
    let end: number
    while ((end = this.pending.indexOf('\r\n')) < 0) {
      if (this.pending.length > max || !this.fill()) return undefined
    }
    const text = this.pending.toString('latin1', 0, end)
    this.pending = this.pending.subarray(end + 2)
    return text
  }

  /** Reads and drops `n` bytes; false when the client closed first. */
  private skip(n: number): boolean {
    let left = n
    for (;;) {
      const take = Math.min(left, this.pending.length)
      this.pending = this.pending.subarray(take)
      left -= take
      if (left === 0) return true
      if (!this.fill()) return false
    }
  }

  /**
   * The next request's head; its body, if any, is still unread.
   * @returns the head, a {@link BadRequest}, or undefined when the client closed first
   */
  head(): RequestHead | BadRequest | undefined {
    let end: number
    while ((end = this.pending.indexOf('\r\n\r\n')) < 0) {
      if (this.pending.length > MAX_HEAD_BYTES) return { status: 431, message: 'headers too large' }
      if (!this.fill()) return undefined
    }
    const lines = this.pending.toString('latin1', 0, end).split('\r\n')
    this.pending = this.pending.subarray(end + 4)
    const [method = '', target = '', version = ''] = (lines[0] ?? '').split(' ')
    if (!version.startsWith('HTTP/1.')) return { status: 400, message: 'bad request line' }
    let length: number | undefined
    let coding: string | undefined
    let connection = ''
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':')
      const name = line.slice(0, colon).trim().toLowerCase()
      const value = line.slice(colon + 1).trim()
      if (name === 'content-length') length = /^\d+$/.test(value) ? Number(value) : NaN
      else if (name === 'transfer-encoding') coding = value.toLowerCase()
      else if (name === 'connection') connection = value.toLowerCase()
    }
    // RFC 9112 §6.1: a transfer coding the server does not understand gets 501; §6.3: both headers
    // together may be an attempt at request smuggling, so reject it
    if (coding !== undefined && coding !== 'chunked') return { status: 501, message: `transfer coding ${coding} is not supported` }
    if (coding !== undefined && length !== undefined) return { status: 400, message: 'both Transfer-Encoding and Content-Length' }
    if (length !== undefined && !Number.isSafeInteger(length)) return { status: 400, message: 'bad content-length' }
    const body: RequestHead['body'] = coding ? { kind: 'chunked' } : length ? { kind: 'length', bytes: length } : { kind: 'none' }
    return { method, target, version, connection, body }
  }

  /**
   * Reads the body of `head` to its end, dropping the bytes (the workload
   * only needs to have read them).
   * @returns the body's length in bytes, a {@link BadRequest} for a malformed chunked body, or undefined when the client closed first
   */
  readBody(head: RequestHead): number | BadRequest | undefined {
    if (head.body.kind === 'none') return 0
    if (head.body.kind === 'length') return this.skip(head.body.bytes) ? head.body.bytes : undefined
    let total = 0
    for (;;) {
      const sizeLine = this.line(MAX_CHUNK_LINE)
      if (sizeLine === undefined) return this.pending.length > MAX_CHUNK_LINE ? { status: 400, message: 'chunk size line too long' } : undefined
      const hex = (sizeLine.split(';')[0] ?? '').trim() // chunk extensions (";name=value") are ignored
      if (!/^[0-9a-fA-F]{1,12}$/.test(hex)) return { status: 400, message: 'bad chunk size' }
      const size = parseInt(hex, 16)
      if (size === 0) break
      if (!this.skip(size)) return undefined
      while (this.pending.length < 2) if (!this.fill()) return undefined
      if (this.pending[0] !== 0x0d || this.pending[1] !== 0x0a) return { status: 400, message: 'chunk data not followed by CRLF' }
      this.pending = this.pending.subarray(2)
      total += size
    }
    // the trailer section: header lines up to an empty one
    for (;;) {
      const trailer = this.line(MAX_CHUNK_LINE)
      if (trailer === undefined) return undefined
      if (trailer === '') return total
    }
  }
}
