/**
 * The workload contract (docs/workload-contract.md), checked over
 * real HTTP against every engine: the built-in Node servers, Gunicorn (sync,
 * gthread, and the Flask app; the gthread, gevent and Uvicorn worker classes), Uvicorn, and each of them behind nginx. One
 * suite, the same checks for all; every suite stops what it started and
 * checks that none of its processes, ports or temp folders are left.
 *
 * A real engine that is missing skips its suites outside CI (saying what to
 * install) and fails them under CI (test/support/tools.ts).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { ServerDef, TopologyDef } from '../../lab/core/scenario.js'
import type { Stack } from '../../lab/engines/types.js'
import { liveGroupCount } from '../../lab/topology/group.js'
import { groupMembers, isAlive } from '../../lab/topology/proc.js'
import { startTopology, type RunningTopology } from '../../lab/topology/topology.js'
import { app, engine as tool, needs, type Tool } from '../support/tools.js'

const [gunicorn, uvicorn, nginx, flask] = await Promise.all([tool('gunicorn'), tool('uvicorn'), tool('nginx'), app('flask', 'gunicorn')])
const [uwsgi, modWsgi, modWsgiEmbedded] = await Promise.all([tool('uwsgi'), tool('mod-wsgi'), tool('mod-wsgi-embedded')])
const [wsgiref, werkzeug, gthread, gevent, uvicornWorker] = await Promise.all([tool('wsgiref'), tool('werkzeug'), tool('gunicorn-gthread'), tool('gunicorn-gevent'), tool('gunicorn-uvicorn')])

function server(model: ServerDef['model'], extra: Record<string, unknown> = {}): ServerDef {
  return { model, workers: 2, timeout_s: 30, backlog: 2048, ...extra } as ServerDef
}

interface Engine {
  title: string
  stack: Stack
  server: ServerDef
  /** The name `engines.server` reports. */
  name: string
  /** The role of the process that answers (`X-Worker`). */
  answers: 'worker' | 'server'
  /** The real engines it needs (none for the built-in ones). */
  needs: Tool[]
  /** What nginx speaks to it (`uwsgi`: nginx's uwsgi_pass, measured behind nginx only); default HTTP. */
  protocol?: 'uwsgi'
}

const ENGINES: Engine[] = [
  { title: 'node prefork', stack: 'node', server: server('prefork'), name: 'node-prefork', answers: 'worker', needs: [] },
  { title: 'node event loop', stack: 'node', server: server('event-loop'), name: 'node-event-loop', answers: 'server', needs: [] },
  { title: 'node threaded', stack: 'node', server: server('threaded', { threads: 2 }), name: 'node-threaded', answers: 'worker', needs: [] },
  { title: 'gunicorn sync', stack: 'python', server: server('prefork'), name: 'gunicorn', answers: 'worker', needs: [gunicorn] },
  {
    title: 'gunicorn gthread',
    stack: 'python',
    server: server('prefork', { threads: 4 }),
    name: 'gunicorn',
    answers: 'worker',
    needs: [gunicorn],
  },
  {
    title: 'gunicorn sync with the Flask app',
    stack: 'python',
    server: server('prefork', { app: 'flask' }),
    name: 'gunicorn',
    answers: 'worker',
    needs: [gunicorn, flask],
  },
  { title: 'uvicorn', stack: 'python', server: server('event-loop'), name: 'uvicorn', answers: 'server', needs: [uvicorn] },
  { title: 'wsgiref', stack: 'python', server: server('prefork', { workers: 1 }), name: 'wsgiref', answers: 'server', needs: [wsgiref] },
  { title: 'werkzeug threaded', stack: 'python', server: server('threaded', { workers: 1 }), name: 'werkzeug', answers: 'server', needs: [werkzeug] },
  { title: 'uwsgi over the uwsgi protocol', stack: 'python', server: server('threaded', { threads: 2 }), name: 'uwsgi', answers: 'worker', needs: [uwsgi], protocol: 'uwsgi' },
  { title: 'uwsgi processes × threads', stack: 'python', server: server('threaded', { engine: 'uwsgi', threads: 2 }), name: 'uwsgi', answers: 'worker', needs: [uwsgi] },
  { title: 'mod_wsgi daemon mode', stack: 'python', server: server('threaded', { engine: 'mod-wsgi', threads: 2 }), name: 'mod-wsgi', answers: 'worker', needs: [modWsgi] },
  {
    title: 'mod_wsgi embedded mode',
    stack: 'python',
    server: server('threaded', { engine: 'mod-wsgi-embedded', threads: 2 }),
    name: 'mod-wsgi-embedded',
    answers: 'worker',
    needs: [modWsgiEmbedded],
  },
  { title: 'gunicorn-gthread', stack: 'python', server: server('threaded', { engine: 'gunicorn-gthread', threads: 2 }), name: 'gunicorn-gthread', answers: 'worker', needs: [gthread] },
  { title: 'gunicorn-gevent', stack: 'python', server: server('event-loop', { engine: 'gunicorn-gevent' }), name: 'gunicorn-gevent', answers: 'worker', needs: [gevent] },
  {
    title: 'gunicorn-gevent with waits in C',
    stack: 'python',
    server: server('event-loop', { engine: 'gunicorn-gevent', app: 'wsgi-c-sleep' }),
    name: 'gunicorn-gevent',
    answers: 'worker',
    needs: [gevent],
  },
  { title: 'gunicorn-uvicorn', stack: 'python', server: server('event-loop', { engine: 'gunicorn-uvicorn' }), name: 'gunicorn-uvicorn', answers: 'worker', needs: [uvicornWorker] },
]

interface Reply {
  status: number
  headers: http.IncomingHttpHeaders
  body: Buffer
  ms: number
}

/** One request on a fresh connection, bounded to 15 s. */
function request(url: string, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const req = http.request(url, { method, agent: false, timeout: 15_000 }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), ms: performance.now() - started }))
      res.on('error', reject)
    })
    req.on('timeout', () => req.destroy(new Error(`${method} ${url}: no answer in 15 s`)))
    req.on('error', reject)
    req.end()
  })
}

/** CPU time (user + system) of a process so far, in ms, from /proc (10 ms ticks). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1')
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(f[11]) + Number(f[12])) * 10
}

function refused(url: string): Promise<boolean> {
  return request(`${url}/health`).then(
    () => false,
    (err: NodeJS.ErrnoException) => err.code === 'ECONNREFUSED',
  )
}

const runDir = mkdtempSync(path.join(os.tmpdir(), 'lab-contract-'))
afterAll(() => rmSync(runDir, { recursive: true, force: true }))

for (const engine of ENGINES) {
  for (const behindNginx of engine.protocol ? [true] : [false, true]) {
    const title = `${engine.title}${behindNginx ? ' behind nginx' : ''}`
    const id = title.replace(/[^a-z0-9]+/gi, '-').toLowerCase()

    needs(...engine.needs, ...(behindNginx ? [nginx] : [])).describe(title, () => {
      let topology: RunningTopology
      const seen = new Set<number>()
      const remember = () => topology.processes().forEach((p) => seen.add(p.pid))

      beforeAll(async () => {
        const def = { server: { ...engine.server, engine: engine.name }, ...(behindNginx ? { proxy: { engine: 'nginx', ...(engine.protocol ? { protocol: engine.protocol } : {}) } } : {}) } as TopologyDef
        topology = await startTopology(id, def, { stack: engine.stack, runDir })
        remember()
      })

      afterAll(async () => {
        if (!topology) return
        remember()
        await topology.stop()
        // Nothing of it is left: no process, no process group, no port, no nginx temp folder.
        for (const pid of seen) {
          expect(isAlive(pid), `process ${pid} is still running`).toBe(false)
          expect(groupMembers(pid), `process group ${pid} still has members`).toEqual([])
        }
        expect(liveGroupCount()).toBe(0)
        expect(await refused(topology.url)).toBe(true)
        if (behindNginx) {
          const log = readFileSync(path.join(runDir, `${id}.nginx.log`), 'utf8')
          const dir = /-p (\S+)/.exec(log)?.[1]
          expect(dir).toBeTruthy()
          expect(existsSync(dir as string)).toBe(false)
        }
      })

      it(`reports its engines (${engine.name}${behindNginx ? ' behind nginx' : ''}) and its processes with their roles`, () => {
        expect(topology.engines).toEqual({ server: engine.name, proxy: behindNginx ? 'nginx' : null })
        const roles = topology.processes().map((p) => p.role)
        if (engine.answers === 'worker') {
          expect(roles.filter((r) => r === 'master')).toHaveLength(1)
          expect(roles.filter((r) => r === 'worker')).toHaveLength(2)
        } else expect(roles.filter((r) => r === 'server')).toHaveLength(1)
        expect(roles.filter((r) => r === 'proxy').length).toBe(behindNginx ? 2 : 0) // nginx master + 1 worker
        expect(topology.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      })

      it('answers GET /health with 200 ok at once', async () => {
        const r = await request(`${topology.url}/health`)
        expect(r.status).toBe(200)
        expect(r.body.toString()).toBe('ok')
        expect(r.ms).toBeLessThan(500)
      })

      it(`answers with X-Worker set to the pid of a ${engine.answers} process`, async () => {
        const r = await request(`${topology.url}/work?bytes=10`)
        const xWorker = String(r.headers['x-worker'])
        expect(xWorker).toMatch(/^\d+$/)
        remember()
        const answering = topology.processes().find((p) => p.pid === Number(xWorker))
        expect(answering?.role).toBe(engine.answers)
      })

      it('answers /work with exactly the number of bytes asked for (default 1024)', async () => {
        for (const [query, size] of [['', 1024], ['?bytes=0', 0], ['?bytes=1', 1], ['?bytes=100000', 100_000], ['?bytes=1000000', 1_000_000]] as const) {
          const r = await request(`${topology.url}/work${query}`)
          expect(r.status, query).toBe(200)
          expect(r.body.length, query).toBe(size)
          if (size > 0) expect(r.body[size - 1], query).toBe(0x0a)
          expect(r.headers['content-type']).toMatch(/^text\/plain/)
        }
      })

      it('answers HEAD /work with the headers only, Content-Length included', async () => {
        const r = await request(`${topology.url}/work?bytes=10`, 'HEAD')
        expect(r.status).toBe(200)
        expect(r.headers['content-length']).toBe('10')
        expect(r.body.length).toBe(0)
      })

      it('waits io_ms before answering (200 ms, within 150 ms)', async () => {
        const r = await request(`${topology.url}/work?io_ms=200&bytes=10`)
        expect(r.status).toBe(200)
        expect(r.ms).toBeGreaterThanOrEqual(198)
        expect(r.ms).toBeLessThan(350)
      })

      it('burns cpu_ms of CPU time in the process that answers (300 ms, within 20 ms below and 120 ms above)', async () => {
        remember()
        const before = new Map(topology.processes().map((p) => [p.pid, cpuMs(p.pid)]))
        const r = await request(`${topology.url}/work?cpu_ms=300&bytes=10`)
        expect(r.status).toBe(200)
        const pid = Number(r.headers['x-worker'])
        const used = cpuMs(pid) - (before.get(pid) ?? Number.NaN)
        expect(used).toBeGreaterThanOrEqual(280)
        expect(used).toBeLessThan(420)
        expect(r.ms).toBeGreaterThanOrEqual(290)
      })

      it('answers 400 to parameters that are not integers within their limits', async () => {
        for (const query of ['io_ms=abc', 'io_ms=1.5', 'io_ms=-1', 'io_ms=60001', 'cpu_ms=10001', 'bytes=10000001', 'bytes=1e9']) {
          const r = await request(`${topology.url}/work?${query}`)
          expect(r.status, query).toBe(400)
          expect(r.body.toString(), query).toMatch(/expected an integer 0\.\.\d+/)
          expect(String(r.headers['x-worker'])).toMatch(/^\d+$/)
        }
        // what JavaScript's Number() accepts is accepted everywhere
        for (const query of ['io_ms=', 'bytes=5e1', 'bytes=50.0']) {
          expect((await request(`${topology.url}/work?${query}`)).status, query).toBe(200)
        }
      })

      it('answers 404 to an unknown path and 405 to a method the path does not take (PUT /work)', async () => {
        const missing = await request(`${topology.url}/nope`)
        expect(missing.status).toBe(404)
        expect(missing.body.toString()).toBe('no route /nope\n')
        expect(String(missing.headers['x-worker'])).toMatch(/^\d+$/)
        const put = await request(`${topology.url}/work`, 'PUT')
        expect(put.status).toBe(405)
        expect(put.body.toString()).toBe('PUT not allowed\n')
      })
    })
  }
}
