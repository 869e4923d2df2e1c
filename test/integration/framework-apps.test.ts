/**
 * The workload contract (docs/workload-contract.md) on every Python app under
 * the real server it is meant for: the plain WSGI app, Flask and Django's
 * WSGI entry under Gunicorn's sync worker; the plain ASGI app, Django's ASGI
 * entry, FastAPI and Quart under Uvicorn. Each app × server pairing is
 * started here as Debian's `gunicorn`/`uvicorn` with `--chdir`/`--app-dir
 * lab/apps`, in its own process group, and stopped by signalling that group;
 * afterwards no member of the group may be left.
 *
 * Checked on every pairing: /health, /work (sizes, HEAD, io_ms, cpu_ms, 400s)
 * on each of the app's /work endpoints, 404 and 405 with the contract's
 * messages, /static/<file> from `$LAB_STATIC_DIR`, /stream, a POST body the
 * handler reads before it answers (Content-Length and chunked), how many
 * waits overlap (the lesson of each pairing), hang_pct and crash_pct.
 *
 * A pairing whose server or framework is missing is skipped, with the
 * `apt-get install` line in its title; under CI=true it fails instead.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../../lab/contract/ports.js'
import { APPS_DIR, capture, pythonEnv, waitForHealth } from '../../lab/engines/common.js'
import { detectGunicorn } from '../../lab/engines/gunicorn.js'
import { ENGINES, packagesOf } from '../../lab/engines/registry.js'
import { detectUvicorn } from '../../lab/engines/uvicorn.js'
import { startGroup, type Group } from '../../lab/topology/group.js'
import { groupMembers, isAlive } from '../../lab/topology/proc.js'
import { cpuMs, waitFor } from './helpers.js'

interface Pairing {
  title: string
  server: 'gunicorn' | 'uvicorn'
  /** `module:attribute` in lab/apps. */
  app: string
  /** The framework's import name and Debian package (none for the plain apps). */
  framework?: { module: string; apt: string }
  /** The app's /work endpoints, each with how many `io_ms` waits it overlaps in this pairing (Gunicorn: its 2 workers). */
  works: Array<{ path: string; atOnce: number }>
  /** The /work endpoint that hangs without blocking the one /health is served by. */
  hangPath: string
}

const ALL = 4 // as many concurrent requests as the overlap check sends: every one waits at once
const PAIRINGS: Pairing[] = [
  { title: 'the plain WSGI app under Gunicorn', server: 'gunicorn', app: 'wsgi_app:application', works: [{ path: '/work', atOnce: 2 }], hangPath: '/work' },
  {
    title: 'Flask under Gunicorn',
    server: 'gunicorn',
    app: 'flask_app:application',
    framework: { module: 'flask', apt: 'python3-flask' },
    works: [{ path: '/work', atOnce: 2 }],
    hangPath: '/work',
  },
  {
    title: 'Django (WSGI) under Gunicorn',
    server: 'gunicorn',
    app: 'django_app.wsgi:application',
    framework: { module: 'django', apt: 'python3-django' },
    works: [{ path: '/work', atOnce: 2 }, { path: '/work-async', atOnce: 2 }],
    hangPath: '/work',
  },
  { title: 'the plain ASGI app under Uvicorn', server: 'uvicorn', app: 'asgi_app:app', works: [{ path: '/work', atOnce: ALL }], hangPath: '/work' },
  {
    title: 'Django (ASGI) under Uvicorn',
    server: 'uvicorn',
    app: 'django_app.asgi:application',
    framework: { module: 'django', apt: 'python3-django' },
    // Django 3.2 runs every sync view in asgiref's one thread: one wait at a time
    works: [{ path: '/work', atOnce: 1 }, { path: '/work-async', atOnce: ALL }],
    hangPath: '/work-async',
  },
  {
    title: 'FastAPI under Uvicorn',
    server: 'uvicorn',
    app: 'fastapi_app:app',
    framework: { module: 'fastapi', apt: 'python3-fastapi' },
    works: [{ path: '/work', atOnce: ALL }, { path: '/work-sync', atOnce: ALL }],
    hangPath: '/work',
  },
  {
    title: 'Quart under Uvicorn',
    server: 'uvicorn',
    app: 'quart_app:app',
    framework: { module: 'quart', apt: 'python3-quart' },
    works: [{ path: '/work', atOnce: ALL }],
    hangPath: '/work',
  },
]

const engines = { gunicorn: await detectGunicorn(), uvicorn: await detectUvicorn() }

/** Debian packages a pairing lacks (its server, or its framework as the server's interpreter sees it). */
async function missingPackages(p: Pairing): Promise<string[]> {
  const engine = engines[p.server]
  if (!p.framework) return engine.found ? [] : [...packagesOf(ENGINES[p.server])]
  if (!engine.found || !engine.interpreter) return [...packagesOf(ENGINES[p.server]), p.framework.apt]
  const r = await capture(engine.interpreter, ['-I', '-c', `import ${p.framework.module}`])
  return r.code === 0 ? [] : [p.framework.apt]
}

const runDir = mkdtempSync(path.join(os.tmpdir(), 'lab-framework-apps-'))
const staticDir = path.join(runDir, 'static')
const CSS = '.a { color: red; }\n'.repeat(500)
mkdirSync(staticDir)
writeFileSync(path.join(staticDir, 'site.css'), CSS)
writeFileSync(path.join(runDir, 'secret.txt'), 'outside the static folder\n')
afterAll(() => rmSync(runDir, { recursive: true, force: true }))

/** Starts a pairing in its own process group on a free loopback port; resolves once it answers /health (Gunicorn: both workers up). */
async function start(p: Pairing): Promise<{ group: Group; url: string; port: number }> {
  const port = await freePort()
  const args =
    p.server === 'gunicorn'
      ? ['--bind', `127.0.0.1:${port}`, '--workers', '2', '--worker-class', 'sync', '--graceful-timeout', '1', '--chdir', APPS_DIR, p.app]
      : ['--host', '127.0.0.1', '--port', String(port), '--app-dir', APPS_DIR, '--no-access-log', p.app]
  const group = startGroup(engines[p.server].path as string, args, { cwd: runDir, env: { ...pythonEnv(), LAB_STATIC_DIR: staticDir } })
  const url = `http://127.0.0.1:${port}`
  try {
    await waitForHealth(`${url}/health`, { timeoutMs: 20_000, exited: group.exited, ready: () => p.server === 'uvicorn' || groupMembers(group.pid).length === 3 })
  } catch (err) {
    await group.stop()
    throw new Error(`${p.title} did not start: ${(err as Error).message}\n${group.tail()}`)
  }
  return { group, url, port }
}

interface Reply {
  status: number
  headers: Headers
  body: Buffer
  ms: number
}

async function get(url: string, method = 'GET', timeoutMs = 15_000): Promise<Reply> {
  const started = performance.now()
  const res = await fetch(url, { method, signal: AbortSignal.timeout(timeoutMs) })
  const body = Buffer.from(await res.arrayBuffer())
  return { status: res.status, headers: res.headers, body, ms: performance.now() - started }
}

/**
 * POSTs 4 × 1000 bytes, one piece every 100 ms (Content-Length or chunked),
 * with `Connection: close`, and reads the answer to its end.
 * @returns the status line, the body, and when the answer began relative to the last byte sent (ms; negative: answered early)
 */
function slowPost(port: number, target: string, chunked: boolean): Promise<{ statusLine: string; body: string; answeredAfterLastByteMs: number }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1')
    const piece = Buffer.alloc(1000, 'y')
    let lastByteAt = Number.POSITIVE_INFINITY
    let answeredAt: number | undefined
    const chunks: Buffer[] = []
    socket.setTimeout(10_000, () => socket.destroy(new Error(`POST ${target}: no answer in 10 s`)))
    socket.on('data', (c: Buffer) => {
      answeredAt ??= performance.now()
      chunks.push(c)
    })
    socket.on('error', reject)
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1')
      const split = text.indexOf('\r\n\r\n')
      resolve({ statusLine: text.slice(0, text.indexOf('\r\n')), body: text.slice(split + 4), answeredAfterLastByteMs: (answeredAt ?? Number.NaN) - lastByteAt })
    })
    socket.write(`POST ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${chunked ? 'Transfer-Encoding: chunked' : 'Content-Length: 4000'}\r\n\r\n`)
    let sent = 0
    const timer = setInterval(() => {
      if (socket.destroyed) return clearInterval(timer)
      socket.write(chunked ? Buffer.concat([Buffer.from('3e8\r\n'), piece, Buffer.from('\r\n')]) : piece)
      if (++sent < 4) return
      clearInterval(timer)
      if (chunked) socket.write('0\r\n\r\n')
      lastByteAt = performance.now()
    }, 100)
  })
}

const inCI = !!process.env.CI

for (const p of PAIRINGS) {
  const missing = await missingPackages(p)
  if (missing.length > 0) {
    const install = `apt-get install -y ${missing.join(' ')}`
    if (inCI) {
      describe(p.title, () => {
        it('has its server and framework installed', () => {
          throw new Error(`${p.title} needs Debian packages that are missing: ${install}`)
        })
      })
    } else {
      console.warn(`skipping ${p.title}: install it with ${install}`)
      describe.skip(`${p.title} (skipped: ${install})`, () => {
        it('is skipped', () => {})
      })
    }
    continue
  }

  describe(p.title, () => {
    let server: Awaited<ReturnType<typeof start>>
    const members = new Set<number>()
    const remember = () => groupMembers(server.group.pid).forEach((m) => members.add(m))

    beforeAll(async () => {
      server = await start(p)
      remember()
    })

    afterAll(async () => {
      if (!server) return
      remember()
      await server.group.stop()
      expect(groupMembers(server.group.pid)).toEqual([])
      for (const pid of members) expect(isAlive(pid), `process ${pid} is still running`).toBe(false)
    })

    it(`answers /health with 200 ok and X-Worker set to the pid of ${p.server === 'gunicorn' ? 'a worker' : 'the server process'}`, async () => {
      const r = await get(`${server.url}/health`)
      expect(r.status).toBe(200)
      expect(r.body.toString()).toBe('ok')
      const xWorker = Number(r.headers.get('x-worker'))
      if (p.server === 'gunicorn') {
        expect(xWorker).not.toBe(server.group.pid)
        expect(groupMembers(server.group.pid)).toContain(xWorker)
      } else expect(xWorker).toBe(server.group.pid)
    })

    for (const { path: work, atOnce } of p.works) {
      it(`answers ${work} with exactly the bytes asked for, and HEAD with the length only`, async () => {
        for (const [query, size] of [['', 1024], ['?bytes=0', 0], ['?bytes=100000', 100_000]] as const) {
          const r = await get(`${server.url}${work}${query}`)
          expect(r.status, query).toBe(200)
          expect(r.body.length, query).toBe(size)
          if (size > 0) expect(r.body[size - 1], query).toBe(0x0a)
          expect(r.headers.get('content-type'), query).toBe('text/plain')
        }
        const head = await get(`${server.url}${work}?bytes=10`, 'HEAD')
        expect(head.headers.get('content-length')).toBe('10')
        expect(head.body.length).toBe(0)
      })

      it(`waits io_ms and burns cpu_ms of CPU time on ${work}`, async () => {
        const waited = await get(`${server.url}${work}?io_ms=200&bytes=10`)
        expect(waited.ms).toBeGreaterThanOrEqual(198)
        expect(waited.ms).toBeLessThan(400)
        const before = new Map(groupMembers(server.group.pid).map((pid) => [pid, cpuMs(pid)]))
        const burned = await get(`${server.url}${work}?cpu_ms=200&bytes=10`)
        const pid = Number(burned.headers.get('x-worker'))
        const used = cpuMs(pid) - (before.get(pid) ?? Number.NaN)
        expect(used).toBeGreaterThanOrEqual(180)
        expect(used).toBeLessThan(320)
      })

      it(`answers 400 with the contract's message to a bad parameter on ${work}`, async () => {
        for (const [query, message] of [['io_ms=abc', 'io_ms=abc: expected an integer 0..60000\n'], ['bytes=1e9', 'bytes=1e9: expected an integer 0..10000000\n']]) {
          const r = await get(`${server.url}${work}?${query}`)
          expect(r.status, query).toBe(400)
          expect(r.body.toString(), query).toBe(message)
          expect(r.headers.get('x-worker')).toMatch(/^\d+$/)
        }
        expect((await get(`${server.url}${work}?bytes=5e1`)).body.length).toBe(50)
      })

      it(`overlaps ${atOnce === ALL ? 'all' : atOnce} of ${ALL} concurrent io_ms=200 waits on ${work}`, async () => {
        const started = performance.now()
        const replies = await Promise.all(Array.from({ length: ALL }, () => get(`${server.url}${work}?io_ms=200&bytes=1`)))
        const elapsed = performance.now() - started
        expect(replies.map((r) => r.status)).toEqual(Array(ALL).fill(200))
        const rounds = Math.ceil(ALL / atOnce)
        expect(elapsed).toBeGreaterThanOrEqual(rounds * 200 - 5)
        expect(elapsed).toBeLessThan(rounds * 200 + 180)
      })

      for (const chunked of [false, true]) {
        it(`reads a ${chunked ? 'chunked' : 'Content-Length'} POST body on ${work} to its end before answering`, async () => {
          const r = await slowPost(server.port, `${work}?bytes=5`, chunked)
          expect(r.statusLine).toBe('HTTP/1.1 200 OK')
          expect(r.body).toBe('xxxx\n')
          expect(r.answeredAfterLastByteMs).toBeGreaterThanOrEqual(0)
        })
      }
    }

    it("answers 404 and 405 with the contract's messages", async () => {
      for (const [method, target, status, message] of [
        ['GET', '/nope', 404, 'no route /nope\n'],
        ['GET', '/work/', 404, 'no route /work/\n'],
        ['PUT', '/work', 405, 'PUT not allowed\n'],
        ['DELETE', '/health', 405, 'DELETE not allowed\n'],
        ['POST', '/stream', 405, 'POST not allowed\n'],
        ['PUT', '/static/site.css', 405, 'PUT not allowed\n'],
      ] as const) {
        const r = await get(`${server.url}${target}`, method)
        expect(r.status, `${method} ${target}`).toBe(status)
        expect(r.body.toString(), `${method} ${target}`).toBe(message)
        expect(r.headers.get('x-worker'), `${method} ${target}`).toMatch(/^\d+$/)
      }
    })

    it('serves /static/<file> from LAB_STATIC_DIR, and 404 for a missing file or one outside it', async () => {
      const css = await get(`${server.url}/static/site.css`)
      expect(css.status).toBe(200)
      expect(css.body.toString()).toBe(CSS)
      expect(css.headers.get('content-type')).toBe('text/css')
      expect(css.headers.get('x-worker')).toMatch(/^\d+$/)
      for (const target of ['/static/missing.css', '/static/', '/static/..%2Fsecret.txt']) {
        const r = await get(`${server.url}${target}`)
        expect(r.status, target).toBe(404)
        expect(r.body.toString(), target).toBe('no such file\n')
      }
    })

    it('streams server-sent events one interval apart', async () => {
      const r = await get(`${server.url}/stream?events=3&interval_ms=100`)
      expect(r.status).toBe(200)
      expect(r.headers.get('content-type')).toBe('text/event-stream')
      expect(r.headers.get('cache-control')).toBe('no-cache')
      expect(r.headers.get('x-worker')).toMatch(/^\d+$/)
      expect(r.body.toString()).toBe('data: 0\n\ndata: 1\n\ndata: 2\n\n')
      expect(r.ms).toBeGreaterThanOrEqual(295)
    })

    it(`never answers a request with hang_pct=100 on ${p.hangPath}, while /health still answers`, async () => {
      const hung = get(`${server.url}${p.hangPath}?hang_pct=100`, 'GET', 1500).then(
        () => 'answered',
        (err: Error) => err.name,
      )
      await new Promise((r) => setTimeout(r, 200))
      expect((await get(`${server.url}/health`)).status).toBe(200)
      expect(await hung).toBe('TimeoutError')
    })

    it(`ends the process that runs a request with crash_pct=100, without an answer${p.server === 'gunicorn' ? '; the arbiter starts another worker' : ''}`, async () => {
      remember()
      const workersBefore = groupMembers(server.group.pid).filter((pid) => pid !== server.group.pid)
      const crashed = await get(`${server.url}${p.works[0]?.path}?crash_pct=100`).then(
        (r) => `HTTP ${r.status}`,
        (err: Error) => err.name,
      )
      expect(crashed).toBe('TypeError') // fetch failed: the connection closed without a response
      if (p.server === 'uvicorn') {
        expect(await server.group.exited).toEqual({ code: 70, signal: null })
        return
      }
      const group = server.group.pid
      const replaced = () => {
        const now = groupMembers(group).filter((pid) => pid !== group)
        return now.length === 2 && workersBefore.filter((pid) => !now.includes(pid)).length === 1
      }
      expect(await waitFor(replaced, 10_000)).toBe(true)
      expect((await get(`${server.url}/health`)).status).toBe(200)
    })
  })
}
