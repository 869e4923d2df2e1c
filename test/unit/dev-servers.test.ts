import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { predict } from '../../lab/core/model.js'
import { topologySchema } from '../../lab/core/scenario.js'
import { devServerArgs, devServerConfig, parsePythonVersion } from '../../lab/engines/dev-servers.js'
import { nginxConf, UWSGI_PARAMS } from '../../lab/engines/nginx.js'
import { resolveTopology, serverEngineOf } from '../../lab/engines/registry.js'
import { uwsgiPacket } from '../../lab/engines/uwsgi.js'

describe('the development servers’ command lines', () => {
  it('starts wsgiref and Werkzeug through lab/apps/dev_server.py, Werkzeug threaded as flask run does or single with --without-threads', () => {
    const base = { port: 9000, app: 'wsgi_app:application' }
    expect(devServerArgs({ ...base, kind: 'wsgiref', threaded: false }, '/apps')).toEqual(['/apps/dev_server.py', 'wsgiref', '9000', 'wsgi_app:application'])
    expect(devServerArgs({ ...base, kind: 'werkzeug', threaded: true }, '/apps').at(-1)).toBe('threaded')
    expect(devServerArgs({ ...base, kind: 'werkzeug', threaded: false }, '/apps').at(-1)).toBe('single')
    expect(path.basename(devServerArgs({ ...base, kind: 'wsgiref', threaded: false })[0] ?? '')).toBe('dev_server.py')
  })

  it('runs Werkzeug threaded for model threaded and one request at a time for prefork', () => {
    expect(devServerConfig('werkzeug', { model: 'threaded', workers: 1 }, 'a:b', 1).threaded).toBe(true)
    expect(devServerConfig('werkzeug', { model: 'prefork', workers: 1 }, 'a:b', 1).threaded).toBe(false)
  })

  it('refuses more than one worker, and threads on wsgiref, naming the field', () => {
    expect(() => devServerConfig('wsgiref', { model: 'prefork', workers: 4 }, 'a:b', 1)).toThrow(/server\.workers: wsgiref runs in one process/)
    expect(() => devServerConfig('werkzeug', { model: 'threaded', workers: 2 }, 'a:b', 1)).toThrow(/server\.workers/)
    expect(() => devServerConfig('wsgiref', { model: 'threaded', workers: 1 }, 'a:b', 1)).toThrow(/server\.model/)
  })

  it('reads the interpreter’s version from python3 --version', () => {
    expect(parsePythonVersion('Python 3.11.2\n')).toBe('3.11.2')
    expect(parsePythonVersion('bash: python3: not found')).toBeUndefined()
  })
})

describe('the threaded model on the built-in stack', () => {
  it('is served by node-threaded on --stack node and by Gunicorn’s gthread on --stack python', () => {
    expect(serverEngineOf({ model: 'threaded' }, 'node').name).toBe('node-threaded')
    expect(serverEngineOf({ model: 'threaded' }, 'python').name).toBe('gunicorn')
  })

  it('is predicted as W·T slots on waits and W processes on CPU work (2 × 2 on 50 ms: 80 req/s; on 10 ms CPU with 2 cores: 200 req/s)', () => {
    const io = predict({ model: 'threaded', workers: 2, threads: 2, ioMs: 50, cpuMs: 0, connections: 16, cores: 2 })
    expect(io.perSecond).toBeCloseTo(80, 6)
    expect(io.meanMs).toBeCloseTo((16 / 80) * 1000, 6)
    // one process × 4 threads: the GIL leaves one CPU server however many threads
    expect(predict({ model: 'threaded', workers: 1, threads: 4, ioMs: 0, cpuMs: 10, connections: 16, cores: 2 }).perSecond).toBeCloseTo(100, 6)
    expect(predict({ model: 'threaded', workers: 2, threads: 2, ioMs: 0, cpuMs: 10, connections: 16, cores: 2 }).perSecond).toBeCloseTo(200, 6)
  })
})

describe('the uwsgi protocol between nginx and uWSGI', () => {
  it('packs a request as a 4-byte header and length-prefixed variables, sizes little-endian', () => {
    expect([...uwsgiPacket({ A: 'bc' })]).toEqual([0, 7, 0, 0, 1, 0, 0x41, 2, 0, 0x62, 0x63])
    const big = uwsgiPacket({ PATH_INFO: 'x'.repeat(300) })
    expect(big.readUInt16LE(1)).toBe(2 + 9 + 2 + 300)
    expect(big.readUInt16LE(4 + 2 + 9)).toBe(300)
    expect(() => uwsgiPacket({ X: 'y'.repeat(70_000) })).toThrow(/65535/)
  })

  it('writes uwsgi_pass with nginx’s uwsgi_params and the uwsgi_ twins of the proxy settings, without upstream keep-alive', () => {
    const conf = nginxConf({ port: 8080, upstreams: [9000], protocol: 'uwsgi', buffering: false, readTimeoutS: 2, upstreamKeepalive: 16, user: null })
    expect(conf).toContain('uwsgi_pass app;')
    expect(conf).not.toContain('proxy_pass')
    for (const [k, v] of UWSGI_PARAMS) expect(conf).toContain(`uwsgi_param ${k} ${v};`)
    expect(conf).toContain('uwsgi_buffering off;')
    expect(conf).toContain('uwsgi_read_timeout 2000ms;')
    expect(conf).not.toMatch(/keepalive 16|proxy_http_version/)
    expect(nginxConf({ port: 8080, upstreams: [9000], user: null })).toContain('proxy_pass http://app;')
    expect(() => nginxConf({ port: 8080, upstreams: [9000], protocol: 'uwsgi', cacheTtlS: 1, user: null })).toThrow(/cache_ttl_s/)
  })

  it('pairs nginx’s uwsgi_pass only with uWSGI, and refuses a proxy or server that does not speak it', () => {
    const with_ = (server: object, proxy: object) => topologySchema.parse({ server, proxy })
    expect(resolveTopology(with_({ model: 'threaded', engine: 'uwsgi' }, { engine: 'nginx', protocol: 'uwsgi' }), 'python').server.name).toBe('uwsgi')
    expect(() => resolveTopology(with_({ model: 'prefork', engine: 'gunicorn' }, { engine: 'nginx', protocol: 'uwsgi' }), 'python')).toThrow(/proxy\.protocol: uwsgi .*gunicorn listens with http/)
    expect(() => resolveTopology(with_({ model: 'threaded', engine: 'uwsgi' }, { engine: 'node-reverse-proxy', protocol: 'uwsgi' }), 'python')).toThrow(/node-reverse-proxy speaks http/)
    expect(topologySchema.parse({ server: { model: 'prefork' }, proxy: {} }).proxy?.protocol).toBe('http')
  })
})
