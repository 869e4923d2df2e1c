/**
 * The proxy issue's pure parts: the scenario schema's `proxy`, `upstreams`,
 * `slow_clients`, `mix` and `static_dir`; the proxy settings rendered for the
 * built-in proxy and for nginx; the built-in proxy's balancer, micro-cache
 * and static-file paths; the slow clients' bytes.
 */
import path from 'node:path'
import { assert, describe, expect, it } from 'vitest'
import { nginxConf } from '../../lab/engines/nginx.js'
import { bodyHeaders, defaultRate, readerRequest, senderBytes } from '../../lab/load/slow-clients.js'
import { proxySchema, validateScenario } from '../../lab/core/scenario.js'
import { Balancer, MicroCache, attemptLimit, contentType, isIdempotent, staticFile } from '../../lab/servers/proxy-logic.js'
import { nginxProxyConfig } from '../../lab/engines/nginx.js'
import { reverseProxyConfig } from '../../lab/engines/node-reverse-proxy.js'
import { proxySettings } from '../../lab/topology/topology.js'
import { PROXY_DEFAULTS } from '../../lab/contract/workload.js'

function scenario(topology: Record<string, unknown>, workload: Record<string, unknown> = {}, load: Record<string, unknown> = {}) {
  return {
    name: 't',
    title: 't',
    summary: 't',
    topologies: { p: { server: { model: 'prefork', workers: 2 }, ...topology } },
    workloads: { w: workload },
    load: { connections: [1], ...load },
  }
}
const problems = (input: unknown) => {
  const v = validateScenario(input)
  return v.ok ? [] : v.problems
}

describe("the built-in proxy's fallback settings", () => {
  it("are nginx 1.22's defaults: no upstream keep-alive, no limit on tries, no cache lock, 1 MiB bodies, backlog 511", () => {
    expect(PROXY_DEFAULTS).toEqual({
      requestBuffering: true,
      buffering: true,
      balance: 'round-robin',
      keepalive: 0,
      readTimeoutS: 60,
      connectTimeoutS: 60,
      maxFails: 1,
      failTimeoutS: 10,
      tries: 0,
      cacheTtlS: 0,
      cacheLock: false,
      maxBodyBytes: 1024 * 1024,
      backlog: 511,
    })
  })

  it('tries every upstream once when tries is 0 (proxy_next_upstream_tries 0), and at most `tries` and never more than the upstreams otherwise', () => {
    expect(attemptLimit(0, 3)).toBe(3)
    expect(attemptLimit(0, 1)).toBe(1)
    expect(attemptLimit(2, 3)).toBe(2)
    expect(attemptLimit(1, 3)).toBe(1)
    expect(attemptLimit(5, 2)).toBe(2)
  })
})

describe('the scenario schema', () => {
  it("fills a proxy part with nginx's defaults (both buffers on, round-robin, 60 s timeouts, max_fails 1, fail_timeout 10 s, no cache, HTTP to the upstreams) and the lab's own where they differ (keepalive 16, one retry, the cache lock on)", () => {
    const v = validateScenario(scenario({ proxy: { model: 'reverse-proxy' } }))
    expect(v.ok).toBe(true)
    if (!v.ok) return
    expect(v.value.topologies.p?.proxy).toEqual({
      model: 'reverse-proxy',
      request_buffering: true,
      buffering: true,
      balance: 'round-robin',
      keepalive: 16,
      read_timeout_s: 60,
      connect_timeout_s: 60,
      max_fails: 1,
      fail_timeout_s: 10,
      retry: true,
      cache_ttl_s: 0,
      cache_lock: true,
      protocol: 'http',
    })
  })

  it('names each bad proxy field on its own line, with the value and what is allowed', () => {
    const lines = problems(scenario({ proxy: { balance: 'random', engine: 'lighttpd', cache_ttl_s: 0.5, buffring: false } }))
    expect([...lines].sort()).toEqual([
      "topologies.p.proxy.balance: \"random\" is not allowed; expected 'round-robin' or 'least-conn'",
      'topologies.p.proxy.buffring: unknown field; did you mean `buffering`?',
      'topologies.p.proxy.cache_ttl_s: 0.5 is not allowed; expected an integer 0..3600 s',
      "topologies.p.proxy.engine: \"lighttpd\" is not allowed; expected 'node-reverse-proxy', 'nginx', 'apache' or 'caddy'",
    ])
  })

  it('refuses several upstreams without a proxy in front', () => {
    expect(problems(scenario({ upstreams: 3 }))).toEqual([
      'topologies.p.upstreams: 3 is not allowed; expected 1 without a proxy (several server instances need a proxy in front to share the load)',
    ])
    expect(problems(scenario({ upstreams: 3, proxy: {} }))).toEqual([])
    expect(problems(scenario({ upstreams: 17, proxy: {} }))).toEqual(['topologies.p.upstreams: 17 is not allowed; expected an integer 1..16'])
  })

  it('bounds slow clients to 64 and knows their three modes', () => {
    expect(problems(scenario({}, { slow_clients: { count: 3, mode: 'slow-headers' } }))).toEqual([])
    expect(problems(scenario({}, {}, { slow_clients: { count: 65, mode: 'slowloris' } }))).toEqual([
      'load.slow_clients.count: 65 is not allowed; expected an integer 1..64',
      "load.slow_clients.mode: \"slowloris\" is not allowed; expected 'slow-headers', 'slow-body' or 'slow-reader'",
    ])
  })

  it('accepts a weighted mix of /work requests and static files, and refuses an entry that is both', () => {
    expect(
      problems(
        scenario({ server: { model: 'prefork', static_dir: 'static' } }, { mix: [{ weight: 9, io_ms: 10 }, { weight: 1, static: 'a.css' }] }),
      ),
    ).toEqual([])
    expect(problems(scenario({ server: { model: 'prefork', static_dir: 'static' } }, { mix: [{ weight: 1, static: 'a.css', io_ms: 5 }] }))).toEqual([
      'workloads.w.mix.0.static: "a.css" is not allowed; expected either static (a file) or io_ms/cpu_ms/bytes (a /work request), not both',
    ])
    expect(problems(scenario({}, { mix: [{ weight: 0 }] }))).toEqual(['workloads.w.mix.0.weight: 0 is not allowed; expected an integer 1..1000'])
    expect(problems(scenario({}, { mix: [] }))).toEqual(['workloads.w.mix: [] is not allowed; expected a non-empty list of request kinds'])
  })

  it('asks for a static folder in every topology when a workload requests static files', () => {
    expect(problems(scenario({}, { mix: [{ weight: 1, static: 'a.css' }] }))).toEqual([
      'topologies.p: no static_dir is not allowed; expected server.static_dir or proxy.static_dir, because workload w requests static files',
    ])
    expect(problems(scenario({ proxy: { static_dir: 'static' } }, { mix: [{ weight: 1, static: 'a.css' }] }))).toEqual([])
  })

  it('keeps static folders and files inside the scenario folder', () => {
    expect(problems(scenario({ proxy: { static_dir: '../etc' } }))).toEqual([
      'topologies.p.proxy.static_dir: "../etc" is not allowed; expected a folder inside the scenario folder, e.g. "static"',
    ])
    expect(problems(scenario({ server: { model: 'prefork', static_dir: 'static' } }, { mix: [{ weight: 1, static: '../x' }] }))).toEqual([
      'workloads.w.mix.0.static: "../x" is not allowed; expected a file name in the static folder, e.g. "page-200k.txt"',
    ])
  })
})

describe('proxy settings for each engine', () => {
  const p = proxySchema.parse({ balance: 'least-conn', buffering: false, request_buffering: false, static_dir: 'static', read_timeout_s: 0.5, fail_timeout_s: 3, cache_ttl_s: 2 })

  it('applies the defaults to an unvalidated proxy part, and names a bad field', () => {
    expect(proxySettings({ server: { model: 'prefork', workers: 1, timeout_s: 30, backlog: 1 }, proxy: { engine: 'nginx' } } as never).buffering).toBe(true)
    expect(() => proxySettings({ server: { model: 'prefork', workers: 1, timeout_s: 30, backlog: 1 }, proxy: { balance: 'x' } } as never)).toThrow(/^proxy\.balance: "x" is not allowed/)
  })

  it('gives the built-in proxy the same options, the static folder resolved from the scenario folder, one retry', () => {
    expect(reverseProxyConfig(p, [9001, 9002], '/lab/scenarios/s')).toMatchObject({
      upstreams: [9001, 9002],
      requestBuffering: false,
      buffering: false,
      staticDir: path.resolve('/lab/scenarios/s', 'static'),
      balance: 'least-conn',
      readTimeoutS: 0.5,
      failTimeoutS: 3,
      maxFails: 1,
      tries: 2,
      cacheTtlS: 2,
      cacheLock: true,
    })
    expect(reverseProxyConfig(proxySchema.parse({ retry: false }), [1]).tries).toBe(1)
  })

  it('renders the same options into nginx.conf: buffering, least_conn, max_fails/fail_timeout, next upstream, timeouts', () => {
    const conf = nginxConf({ ...nginxProxyConfig(p, [9001, 9002], 8080, '/lab/scenarios/s'), user: null })
    expect(conf).toContain('proxy_buffering off;')
    expect(conf).toContain('proxy_request_buffering off;')
    expect(conf).toContain('least_conn;')
    expect(conf).toContain('server 127.0.0.1:9001 max_fails=1 fail_timeout=3s;')
    expect(conf).toContain('server 127.0.0.1:9002 max_fails=1 fail_timeout=3s;')
    expect(conf).toContain('keepalive 16;')
    expect(conf).toContain('proxy_read_timeout 500ms;')
    expect(conf).toContain('proxy_connect_timeout 60000ms;')
    expect(conf).toContain('proxy_next_upstream_tries 2;')
    expect(conf).toContain('add_header X-Upstream $upstream_addr always;')
    expect(conf.match(/^\s*listen .*$/gm)).toEqual(['        listen 127.0.0.1:8080;'])
  })

  it('renders the micro-cache with its lock and stale copies, reporting HIT, MISS or STALE in X-Cache', () => {
    const conf = nginxConf({ ...nginxProxyConfig(p, [9001], 8080), user: null })
    expect(conf).toMatch(/^\s*proxy_cache_path cache levels=1:2 keys_zone=lab_cache:10m /m)
    expect(conf).toContain('proxy_cache lab_cache;')
    expect(conf).toContain('proxy_cache_valid 200 2s;')
    expect(conf).toContain('proxy_cache_lock on;')
    expect(conf).toContain('proxy_cache_use_stale updating;')
    expect(conf).toContain('map $upstream_cache_status $lab_cache_status { default $upstream_cache_status; EXPIRED MISS; UPDATING STALE; }')
    expect(conf).toContain('add_header X-Cache $lab_cache_status always;')
    const unlocked = nginxConf({ ...nginxProxyConfig(proxySchema.parse({ cache_ttl_s: 1, cache_lock: false }), [9001], 8080), user: null })
    expect(unlocked).not.toContain('proxy_cache_lock')
    expect(nginxConf({ ...nginxProxyConfig(proxySchema.parse({}), [9001], 8080), user: null })).not.toContain('proxy_cache')
  })

  it('serves /static/ from an absolute alias, and turns retries off with proxy_next_upstream off', () => {
    const conf = nginxConf({ ...nginxProxyConfig(p, [9001], 8080, '/lab/scenarios/s'), user: null })
    expect(conf).toContain('location /static/ {')
    expect(conf).toContain(`alias ${path.resolve('/lab/scenarios/s', 'static')}/;`)
    const noRetry = nginxConf({ ...nginxProxyConfig(proxySchema.parse({ retry: false }), [9001], 8080), user: null })
    expect(noRetry).toContain('proxy_next_upstream off;')
    expect(noRetry).not.toContain('proxy_next_upstream_tries')
    expect(noRetry).not.toContain('location /static/')
  })
})

describe('the balancer', () => {
  const rr = (ports = [1, 2, 3]) => new Balancer(ports, { balance: 'round-robin', maxFails: 1, failTimeoutS: 10 })

  it('deals requests out in turn with round-robin', () => {
    const b = rr()
    expect(Array.from({ length: 6 }, () => b.pick(0))).toEqual([0, 1, 2, 0, 1, 2])
  })

  it('picks the upstream with the fewest requests in progress with least-conn, ties in turn', () => {
    const b = new Balancer([1, 2, 3], { balance: 'least-conn', maxFails: 1, failTimeoutS: 10 })
    b.begin(0)
    b.begin(0)
    b.begin(1)
    expect(b.pick(0)).toBe(2)
    b.begin(2)
    expect(b.pick(0)).toBe(1) // 1 and 2 tie at one request; 1 comes first after the last pick
    b.end(0, true, 0)
    b.end(0, true, 0)
    expect(b.pick(0)).toBe(0)
  })

  it('skips an upstream that failed for fail_timeout_s, then tries it again', () => {
    const b = rr()
    const i = b.pick(0) as number
    b.begin(i)
    expect(b.end(i, false, 1000)).toBe('marked-down')
    expect(b.isDown(0, 1000)).toBe(true)
    expect(Array.from({ length: 4 }, () => b.pick(5000))).toEqual([1, 2, 1, 2])
    expect(b.isDown(0, 11_001)).toBe(false)
    expect(b.pick(11_001)).toBe(0)
  })

  it('never marks a single upstream down, and has none to pick when every one is down', () => {
    const one = rr([1])
    one.begin(0)
    expect(one.end(0, false, 0)).toBeUndefined()
    expect(one.pick(1)).toBe(0)
    const two = rr([1, 2])
    for (const i of [0, 1]) {
      two.begin(i)
      two.end(i, false, 0)
    }
    expect(two.pick(1)).toBeUndefined()
  })

  it('leaves out the upstreams already tried for this request', () => {
    const b = rr()
    expect(b.pick(0, new Set([0, 1]))).toBe(2)
    expect(b.pick(0, new Set([0, 1, 2]))).toBeUndefined()
  })

  it('retries only idempotent methods once the upstream may have seen them (never POST, LOCK, PATCH)', () => {
    expect(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'].every(isIdempotent)).toBe(true)
    expect(['POST', 'LOCK', 'PATCH'].some(isIdempotent)).toBe(false)
  })
})

describe('the micro-cache', () => {
  const answer = (body = 'x') => ({ status: 200, headers: [], body: Buffer.from(body) })

  it('misses, then hits until cache_ttl_s has passed', () => {
    const c = new MicroCache({ ttlS: 1, lock: true })
    expect(c.lookup('k', 0)).toEqual({ action: 'miss', fill: true })
    c.store('k', answer(), 0)
    expect(c.lookup('k', 999).action).toBe('hit')
    expect(c.lookup('k', 1000)).toEqual({ action: 'miss', fill: true })
  })

  it('makes the others wait for the one request that fills a missing entry, and hands them its answer', async () => {
    const c = new MicroCache({ ttlS: 1, lock: true })
    c.lookup('k', 0)
    const waiting = c.lookup('k', 1)
    assert(waiting.action === 'wait', `expected wait, got ${waiting.action}`)
    c.store('k', answer('filled'), 2)
    expect((await waiting.wait)?.body.toString()).toBe('filled')
  })

  it('serves the stale copy while one request refills an expired entry', () => {
    const c = new MicroCache({ ttlS: 1, lock: true })
    c.lookup('k', 0)
    c.store('k', answer('old'), 0)
    expect(c.lookup('k', 1500)).toEqual({ action: 'miss', fill: true })
    const other = c.lookup('k', 1501)
    assert(other.action === 'stale', `expected stale, got ${other.action}`)
    expect(other.response.body.toString()).toBe('old')
  })

  it('sends every request upstream without the lock (the stampede), and keeps only 200s', async () => {
    const c = new MicroCache({ ttlS: 1, lock: false })
    expect([c.lookup('k', 0), c.lookup('k', 0)]).toEqual([{ action: 'miss', fill: false }, { action: 'miss', fill: false }])
    const locked = new MicroCache({ ttlS: 1, lock: true })
    locked.lookup('k', 0)
    const waiting = locked.lookup('k', 0)
    assert(waiting.action === 'wait', `expected wait, got ${waiting.action}`)
    locked.store('k', { status: 502, headers: [], body: Buffer.alloc(0) }, 0)
    expect(locked.size).toBe(0)
    expect(await waiting.wait).toBeUndefined()
  })

  it('shares one entry between GET and HEAD, and caches nothing else', () => {
    expect(MicroCache.key('HEAD', '/a')).toBe(MicroCache.key('GET', '/a'))
    expect(MicroCache.cacheable('POST')).toBe(false)
  })
})

describe('static files', () => {
  const join = path.posix.join

  it('maps /static/<file> into the folder and refuses paths that would leave it', () => {
    expect(staticFile('/static/css/site.css?v=2', '/srv/static', join)).toBe('/srv/static/css/site.css')
    expect(staticFile('/static/%2e%2e/etc/passwd', '/srv/static', join)).toBeUndefined()
    expect(staticFile('/static/..%2fsecret', '/srv/static', join)).toBeUndefined()
    expect(staticFile('/static/', '/srv/static', join)).toBeUndefined()
    expect(staticFile('/work', '/srv/static', join)).toBeUndefined()
  })

  it('names content types by extension, octet-stream otherwise', () => {
    expect(contentType('a.css')).toBe('text/css')
    expect(contentType('bundle-200k.CSS')).toBe('text/css')
    expect(contentType('blob')).toBe('application/octet-stream')
  })
})

describe('slow clients', () => {
  it('send a request line and then header lines without end, byte by byte (Slowloris)', () => {
    const head = 'GET /work?io_ms=0 HTTP/1.1\r\nHost: 127.0.0.1:80\r\n'
    expect(senderBytes('slow-headers', '127.0.0.1:80', 0, head.length + 13).toString()).toBe(`${head}X-Slow-0: x\r\n`)
    const stream = Array.from({ length: 80 }, (_, i) => senderBytes('slow-headers', 'h', i, 1).toString()).join('')
    expect(stream).toBe(senderBytes('slow-headers', 'h', 0, 80).toString())
    expect(stream).not.toContain('\r\n\r\n')
  })

  it('announce a 1 MB body (under nginx’s client_max_body_size 1m) and send it slowly, or ask for a large answer to read slowly', () => {
    expect(bodyHeaders('h')).toContain('Content-Length: 1000000\r\n\r\n')
    expect(senderBytes('slow-body', 'h', 999_999, 10).length).toBe(1)
    expect(readerRequest('h', 10_000_000)).toMatch(/^GET \/work\?io_ms=0&cpu_ms=0&bytes=10000000 HTTP\/1\.1\r\n/)
    expect([defaultRate('slow-headers'), defaultRate('slow-reader')]).toEqual([1, 16_384])
  })
})
