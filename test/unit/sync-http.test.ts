/**
 * The pre-fork worker's request reader (lab/servers/sync-http.ts): the head
 * first, the body only when the handler asks, Content-Length or chunked.
 */
import { describe, expect, it } from 'vitest'
import { BlockingRequestReader, type RequestHead } from '../../lab/servers/sync-http.js'

/** A byte source that hands out `parts` one read at a time, then 0 (closed). */
function source(...parts: string[]): { read: (into: Buffer) => number; reads: () => number } {
  const queue = parts.map((p) => Buffer.from(p, 'latin1'))
  let reads = 0
  return {
    reads: () => reads,
    read(into) {
      reads++
      const next = queue.shift()
      if (!next) return 0
      const n = next.copy(into, 0, 0, Math.min(next.length, into.length))
      if (n < next.length) queue.unshift(next.subarray(n))
      return n
    },
  }
}

const head = (r: BlockingRequestReader) => r.head() as RequestHead

describe('the blocking request reader', () => {
  it('returns the head without reading a body that has not arrived', () => {
    const s = source('POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n')
    const r = new BlockingRequestReader(s.read)
    expect(r.head()).toEqual({ method: 'POST', target: '/health', version: 'HTTP/1.1', connection: '', body: { kind: 'length', bytes: 1_000_000 } })
    expect(s.reads()).toBe(1) // the body was not waited for
  })

  it('reads a Content-Length body across several reads, then the next request on the connection', () => {
    const r = new BlockingRequestReader(source('POST /work HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc', 'defg', 'hijGET /health HTTP/1.1\r\nConnection: close\r\n\r\n').read)
    const first = head(r)
    expect(r.readBody(first)).toBe(10)
    expect(head(r)).toMatchObject({ method: 'GET', target: '/health', connection: 'close', body: { kind: 'none' } })
  })

  it('reads a chunked body with extensions and trailers, split anywhere', () => {
    const wire = 'POST /work?bytes=5 HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5;name=v\r\nhello\r\n1A\r\n' + 'y'.repeat(26) + '\r\n0\r\nX-Trailer: 1\r\n\r\nGET /health HTTP/1.1\r\n\r\n'
    const parts = wire.match(/[\s\S]{1,3}/g) as string[]
    const r = new BlockingRequestReader(source(...parts).read)
    const h = head(r)
    expect(h.body).toEqual({ kind: 'chunked' })
    expect(r.readBody(h)).toBe(31)
    expect(head(r)).toMatchObject({ method: 'GET', target: '/health' })
  })

  it('rejects a malformed chunked body, an unknown transfer coding, both framings at once and a bad length', () => {
    const bad = (wire: string) => {
      const r = new BlockingRequestReader(source(wire).read)
      const h = r.head()
      return h && 'status' in h ? h : r.readBody(h as RequestHead)
    }
    expect(bad('POST /work HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n')).toEqual({ status: 400, message: 'bad chunk size' })
    expect(bad('POST /work HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n')).toEqual({ status: 400, message: 'chunk data not followed by CRLF' })
    expect(bad('POST /work HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n')).toMatchObject({ status: 501 })
    expect(bad('POST /work HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n')).toMatchObject({ status: 400 })
    expect(bad('POST /work HTTP/1.1\r\nContent-Length: -1\r\n\r\n')).toEqual({ status: 400, message: 'bad content-length' })
    expect(bad('GET / FTP/1.0\r\n\r\n')).toEqual({ status: 400, message: 'bad request line' })
  })

  it('answers 431 to a head over 64 KiB and undefined when the client closes mid-head or mid-body', () => {
    expect(new BlockingRequestReader(source('GET / HTTP/1.1\r\n' + 'X: y\r\n'.repeat(12_000)).read).head()).toMatchObject({ status: 431 })
    expect(new BlockingRequestReader(source('GET / HTTP/1.1\r\nHost').read).head()).toBeUndefined()
    const r = new BlockingRequestReader(source('POST /work HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc').read)
    expect(r.readBody(head(r))).toBeUndefined()
  })
})
