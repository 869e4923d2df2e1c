/**
 * The built-in proxy's request limiters (lab/servers/rate-limit.ts and its
 * wiring, lab/servers/proxy-limit.ts) against nginx 1.22.1's limit_req and
 * limit_conn, with an injected clock: the leaky bucket's milli-request
 * arithmetic, burst, nodelay and delay, the `$arg_client` key, and the
 * in-progress count of limit_conn.
 */
import { EventEmitter } from 'node:events'
import type http from 'node:http'
import { afterEach, assert, beforeEach, describe, expect, it, vi } from 'vitest'
import { reverseProxyConfig } from '../../lab/engines/node-reverse-proxy.js'
import { proxySchema } from '../../lab/core/scenario.js'
import { limiter } from '../../lab/servers/proxy-limit.js'
import { ConnectionLimiter, RequestLimiter, queryArgument } from '../../lab/servers/rate-limit.js'

describe('the limit key, read as nginx reads $arg_client', () => {
  it('is the first client= argument, its name matched in any case, its value raw up to the next &', () => {
    expect(queryArgument('/work?io_ms=300&client=abuser', 'client')).toBe('abuser')
    expect(queryArgument('/work?client=a&client=b', 'client')).toBe('a')
    expect(queryArgument('/work?CLIENT=x%20y&z=1', 'client')).toBe('x%20y')
    expect(queryArgument('/work?client=', 'client')).toBe('')
  })

  it('is absent without a query, and when client only ends another name (myclient=)', () => {
    expect(queryArgument('/work', 'client')).toBeUndefined()
    expect(queryArgument('/work?myclient=a&x=client', 'client')).toBeUndefined()
    expect(queryArgument('/work?myclient=a&client=b', 'client')).toBe('b')
  })
})

describe('limit_req: the leaky bucket per key', () => {
  it('admits the first request and a burst of 2 at once with nodelay, then rejects the next', () => {
    const l = new RequestLimiter({ ratePerS: 2, burst: 2, nodelay: true })
    expect(l.decide('abuser', 1000)).toEqual({ action: 'pass', delayMs: 0, excess: 0 })
    expect(l.decide('abuser', 1000)).toEqual({ action: 'pass', delayMs: 0, excess: 1000 })
    expect(l.decide('abuser', 1000)).toEqual({ action: 'pass', delayMs: 0, excess: 2000 })
    expect(l.decide('abuser', 1000)).toEqual({ action: 'reject', excess: 3000 })
    expect(l.decide('abuser', 1000)).toEqual({ action: 'reject', excess: 3000 }) // a rejection leaves the bucket as it was
  })

  it('with burst 0 admits one request and rejects a second within 1/rate s', () => {
    const l = new RequestLimiter({ ratePerS: 2, burst: 0, nodelay: false })
    expect(l.decide('k', 0).action).toBe('pass')
    expect(l.decide('k', 499)).toEqual({ action: 'reject', excess: 2 }) // 1000 - 2000 × 499 / 1000 + 1000 milli-requests
    expect(l.decide('k', 500)).toEqual({ action: 'pass', delayMs: 0, excess: 0 })
  })

  it('refills one request after 1/rate s: a full bucket admits exactly one more 500 ms later at 2 r/s', () => {
    const l = new RequestLimiter({ ratePerS: 2, burst: 2, nodelay: true })
    for (let i = 0; i < 3; i++) expect(l.decide('k', 0).action).toBe('pass')
    expect(l.decide('k', 499).action).toBe('reject')
    expect(l.decide('k', 500)).toEqual({ action: 'pass', delayMs: 0, excess: 2000 })
    expect(l.decide('k', 500).action).toBe('reject')
    // 1.5 s later it has drained 3000: 2000 - 3000 + 1000, an empty bucket again (as a new key's)
    expect(l.decide('k', 2000)).toEqual({ action: 'pass', delayMs: 0, excess: 0 })
    expect(l.decide('k', 10_000)).toEqual({ action: 'pass', delayMs: 0, excess: 0 })
  })

  it('drains by whole milli-requests (rate × ms / 1000, truncated) as nginx does: 3 r/s over 1 ms drains 3', () => {
    const l = new RequestLimiter({ ratePerS: 3, burst: 5, nodelay: true })
    l.decide('k', 0)
    l.decide('k', 0) // excess 1000
    expect(l.decide('k', 1)).toEqual({ action: 'pass', delayMs: 0, excess: 1997 })
  })

  it('without nodelay delays each request of the burst until its turn: 1/rate s apart', () => {
    const l = new RequestLimiter({ ratePerS: 2, burst: 2, nodelay: false })
    expect(l.decide('k', 0)).toEqual({ action: 'pass', delayMs: 0, excess: 0 })
    expect(l.decide('k', 0)).toEqual({ action: 'pass', delayMs: 500, excess: 1000 })
    expect(l.decide('k', 0)).toEqual({ action: 'pass', delayMs: 1000, excess: 2000 })
    expect(l.decide('k', 0).action).toBe('reject')
    // 200 ms later it has drained 400: 2000 - 400 + 1000 = 2600, over the burst still
    expect(l.decide('k', 200).action).toBe('reject')
    // 500 ms later it has drained 1000: 2000 - 1000 + 1000, admitted and delayed 1000 ms
    expect(l.decide('k', 500)).toEqual({ action: 'pass', delayMs: 1000, excess: 2000 })
  })

  it('with nodelay serves the same requests at once', () => {
    const l = new RequestLimiter({ ratePerS: 2, burst: 2, nodelay: true })
    expect([0, 0, 0].map(() => l.decide('k', 0))).toEqual([
      { action: 'pass', delayMs: 0, excess: 0 },
      { action: 'pass', delayMs: 0, excess: 1000 },
      { action: 'pass', delayMs: 0, excess: 2000 },
    ])
  })

  it('does not limit a request without a key, or with an empty one, and keeps each key its own bucket', () => {
    const l = new RequestLimiter({ ratePerS: 1, burst: 0, nodelay: true })
    for (let i = 0; i < 100; i++) expect(l.decide(undefined, 0)).toEqual({ action: 'unlimited' })
    for (let i = 0; i < 100; i++) expect(l.decide('', 0)).toEqual({ action: 'unlimited' })
    expect(l.size).toBe(0)
    expect(l.decide('a', 0).action).toBe('pass')
    expect(l.decide('a', 0).action).toBe('reject')
    expect(l.decide('b', 0).action).toBe('pass')
  })

  it('forgets up to two empty buckets idle 60 s when a new key comes, and the oldest when full', () => {
    const l = new RequestLimiter({ ratePerS: 1, burst: 0, nodelay: true }, 3)
    l.decide('a', 0)
    l.decide('b', 0)
    l.decide('c', 30_000)
    l.decide('d', 61_000) // a and b idle 61 s and drained: dropped
    expect(l.size).toBe(2)
    l.decide('e', 62_000)
    l.decide('f', 62_000) // full (3): c, the least recently used, goes
    expect(l.size).toBe(3)
    expect(l.decide('d', 62_000).action).toBe('pass') // d kept its bucket, drained in 1 s
  })
})

describe('limit_conn: requests of one key in progress', () => {
  it('admits up to the limit per key, rejects the next, and admits again once one is released', () => {
    const c = new ConnectionLimiter(2)
    const first = c.enter('abuser')
    const second = c.enter('abuser')
    assert(first.admitted && second.admitted)
    expect(c.enter('abuser')).toEqual({ admitted: false })
    expect(c.enter('other').admitted).toBe(true)
    expect(c.count('abuser')).toBe(2)
    first.release()
    expect(c.count('abuser')).toBe(1)
    expect(c.enter('abuser').admitted).toBe(true)
  })

  it('releases a request once however often its release is called', () => {
    const c = new ConnectionLimiter(1)
    const a = c.enter('k')
    assert(a.admitted)
    a.release()
    a.release()
    expect(c.count('k')).toBe(0)
    const b = c.enter('k')
    a.release()
    expect([b.admitted, c.count('k')]).toEqual([true, 1])
  })

  it('does not count a request without a key', () => {
    const c = new ConnectionLimiter(1)
    for (let i = 0; i < 10; i++) expect(c.enter(undefined).admitted).toBe(true)
    for (let i = 0; i < 10; i++) expect(c.enter('').admitted).toBe(true)
  })
})

/** A stand-in for http.ServerResponse: what plain() and the limiter use of it. */
class FakeResponse extends EventEmitter {
  statusCode = 0
  headersSent = false
  destroyed = false
  closed = false
  writeHead(status: number): this {
    this.statusCode = status
    this.headersSent = true
    return this
  }
  end(): this {
    this.finish()
    return this
  }
  destroy(): this {
    this.finish()
    return this
  }
  /** The response closes: sent whole, or its client gone. */
  finish(): void {
    if (this.closed) return
    this.closed = true
    this.destroyed = true
    this.emit('close')
  }
  get res(): http.ServerResponse {
    return this as unknown as http.ServerResponse
  }
}

describe("the proxy's admission step", () => {
  let now = 0
  const clock = () => now
  beforeEach(() => {
    vi.useFakeTimers()
    now = 0
  })
  afterEach(() => vi.useRealTimers())

  it('answers the excess of one client with the status asked for while another key and no key pass', async () => {
    const admit = limiter({ limitReq: { ratePerS: 2, burst: 1, nodelay: true, status: 429 } }, clock)
    const results: boolean[] = []
    const rejected: number[] = []
    for (let i = 0; i < 4; i++) {
      const r = new FakeResponse()
      results.push(await admit!('/work?io_ms=1&client=abuser', r.res))
      rejected.push(r.statusCode)
    }
    expect(results).toEqual([true, true, false, false])
    expect(rejected).toEqual([0, 0, 429, 429])
    expect(await admit!('/work?client=normal', new FakeResponse().res)).toBe(true)
    expect(await admit!('/work', new FakeResponse().res)).toBe(true)
  })

  it('holds a delayed request ~1/rate s before passing it (no nodelay), and drops it when its client leaves meanwhile', async () => {
    const admit = limiter({ limitReq: { ratePerS: 2, burst: 2, nodelay: false, status: 503 } }, clock)!
    expect(await admit('/w?client=k', new FakeResponse().res)).toBe(true)
    let passed: boolean | undefined
    void admit('/w?client=k', new FakeResponse().res).then((ok) => (passed = ok))
    await vi.advanceTimersByTimeAsync(499)
    expect(passed).toBeUndefined()
    await vi.advanceTimersByTimeAsync(1)
    expect(passed).toBe(true)

    const leaving = new FakeResponse()
    let third: boolean | undefined
    void admit('/w?client=k', leaving.res).then((ok) => (third = ok))
    await vi.advanceTimersByTimeAsync(100)
    leaving.finish()
    await vi.advanceTimersByTimeAsync(0)
    expect(third).toBe(false)
  })

  it('counts a request in progress under limit_conn until its response closes, sent or abandoned by its client', async () => {
    const admit = limiter({ limitConn: { connections: 1, status: 429 } }, clock)!
    const first = new FakeResponse()
    expect(await admit('/w?client=k', first.res)).toBe(true)
    const refused = new FakeResponse()
    expect(await admit('/w?client=k', refused.res)).toBe(false)
    expect(refused.statusCode).toBe(429)
    first.end() // answered
    const second = new FakeResponse()
    expect(await admit('/w?client=k', second.res)).toBe(true)
    second.destroy() // its client left before the answer
    expect(await admit('/w?client=k', new FakeResponse().res)).toBe(true)
  })

  it('is absent when the proxy part asks for no limit, and takes the part\'s limit_req and limit_conn', () => {
    expect(limiter({})).toBeUndefined()
    const c = reverseProxyConfig(proxySchema.parse({ limit_req: { rate_per_s: 2, burst: 2, nodelay: true, status: 429 }, limit_conn: { connections: 1 } }), [41000])
    expect(c.limitReq).toEqual({ ratePerS: 2, burst: 2, nodelay: true, status: 429 })
    expect(c.limitConn).toEqual({ connections: 1, status: 503 })
    expect(reverseProxyConfig(proxySchema.parse({}), [41000]).limitReq).toBeUndefined()
  })
})
