/**
 * `lab run my-app` for real (lab/commands/my-app.ts): the two-route Flask
 * fixture under Debian's Gunicorn (sync and gthread), a bare ASGI function
 * under Uvicorn, and the bad inputs that only the servers' Python can tell
 * (not callable, neither WSGI nor ASGI, an import error, a missing
 * attribute, a route answering 404 on every request), each exit 2 in one line;
 * and an app whose package is only in a virtualenv, run with `--python`.
 * No server may be left running afterwards.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { afterAll, expect } from 'vitest'
import { myAppCommand, type MyAppOptions } from '../../lab/commands/my-app.js'
import type { ResultsDocument } from '../../lab/core/results.js'
import { groupMembers } from '../../lab/topology/proc.js'
import { app, engine, needs } from '../support/tools.js'

const flask = needs(await engine('gunicorn'), await app('flask', 'gunicorn'))
const asgi = needs(await engine('uvicorn'))
const out = mkdtempSync(path.join(os.tmpdir(), 'lab-my-app-test-'))
afterAll(() => rmSync(out, { recursive: true, force: true }))

const FIXTURE = 'test/fixtures/my-app'
const servers: number[] = []

async function run(o: MyAppOptions) {
  const stderr = new PassThrough()
  const stdout = new PassThrough()
  let text = ''
  stderr.on('data', (c: Buffer) => (text += c.toString()))
  stdout.resume()
  const outcome = await myAppCommand({ out, quick: true, ...o, stderr, stdout, onEvent: (e) => e.type === 'level-start' && servers.push(...e.processes.map((p) => p.pid)) })
  return { ...outcome, text }
}

/** The problem line of a run refused with exit 2. */
async function refused(o: MyAppOptions): Promise<string> {
  const r = await run(o)
  expect(r.code, r.text).toBe(2)
  const lines = r.text.split('\n').filter((l) => l.startsWith('lab run: '))
  expect(lines).toHaveLength(1)
  return lines[0] as string
}

flask.describe('lab run my-app on a two-route Flask app', () => {
  flask.it('measures both routes under Gunicorn sync and gthread, with the slow route’s 5 ms wait in its demand and latency', async () => {
    const r = await run({ app: `${FIXTURE}/two_routes.py:app`, path: ['/', '/slow'] })
    expect(r.code, r.text).toBe(0)
    const doc = r.doc as ResultsDocument
    expect(doc.runs.map((x) => x.topology)).toEqual(['gunicorn-sync', 'gunicorn-gthread'])
    for (const level of doc.runs) {
      expect(level.app).toBe('my-app')
      expect(level.errors.total).toBe(0)
      expect(level.requests.ok).toBeGreaterThan(20)
      expect(Object.keys(level.perKind ?? {}).sort()).toEqual(['GET /', 'GET /slow'])
      expect(level.perKind?.['GET /slow']?.latencyMs.mean).toBeGreaterThan(5)
    }
    const mix = (doc.scenario.definition as { workloads: { requests: { mix: Array<{ path: string; demand: { io_ms: number; cpu_ms: number } }> } } }).workloads.requests.mix
    // time.sleep(0.005) is a wait, not CPU; the bare route costs well under it
    expect(mix[1]?.demand.io_ms).toBeGreaterThan(4.5)
    expect(mix[1]?.demand.cpu_ms).toBeLessThan(5)
    expect(mix[0]?.demand.io_ms).toBeLessThan(mix[1]?.demand.io_ms as number)
    // every server it started is gone
    expect(servers.filter((pid) => groupMembers(pid).length > 0)).toEqual([])
  })

  flask.it('exits 2 naming a route that answers 404 on every request', async () => {
    expect(await refused({ app: `${FIXTURE}/two_routes.py:app`, path: ['/', '/nope'] })).toMatch(/^lab run: GET \/nope answered 404 on every request \((\d+) of \1\): the app has no such route$/)
  })

  flask.it('exits 2 for what is not an app, an import error and a missing attribute', async () => {
    expect(await refused({ app: `${FIXTURE}/not_apps.py:greeting`, path: ['/'] })).toBe(`lab run: --app ${FIXTURE}/not_apps.py:greeting: greeting is a str, not callable; expected a WSGI or an ASGI application`)
    expect(await refused({ app: `${FIXTURE}/not_apps.py:one_argument`, path: ['/'] })).toMatch(/one_argument is a callable taking 1 positional arguments: neither WSGI .* nor ASGI/)
    expect(await refused({ app: `${FIXTURE}/broken.py:app`, path: ['/'] })).toBe(`lab run: --app ${FIXTURE}/broken.py:app: importing broken failed: RuntimeError: the database is not configured (at broken.py:1)`)
    expect(await refused({ app: `${FIXTURE}/two_routes.py:application`, path: ['/'] })).toContain('two_routes has no attribute application (callables there: Flask, app, index, slow)')
    expect(await refused({ app: 'no_such_module:app', path: ['/'] })).toBe(`lab run: --app no_such_module:app: no module no_such_module in ${process.cwd()}`)
  })
})

asgi.describe('lab run my-app on an ASGI function', () => {
  asgi.it('detects ASGI and runs it under Uvicorn', async () => {
    const r = await run({ app: `${FIXTURE}/not_apps.py:asgi_app`, path: ['/'] })
    expect(r.code, r.text).toBe(0)
    expect(r.text).toContain('ASGI')
    const doc = r.doc as ResultsDocument
    expect(doc.runs.map((x) => [x.topology, x.engines.server])).toEqual([['uvicorn', 'uvicorn']])
    expect(doc.runs[0]?.requests.ok).toBeGreaterThan(20)
  })
})

flask.describe('lab run my-app --python', () => {
  flask.it("imports the app's packages from a virtualenv made with the servers' Python, and not without it", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lab-my-app-venv-'))
    try {
      execFileSync('/usr/bin/python3', ['-m', 'venv', path.join(dir, 'venv')])
      const python = path.join(dir, 'venv', 'bin', 'python')
      const site = execFileSync(python, ['-c', 'import site; print(site.getsitepackages()[0])'], { encoding: 'utf8' }).trim()
      writeFileSync(path.join(site, 'lab_venv_only.py'), 'GREETING = b"from the virtualenv\\n"\n')
      writeFileSync(path.join(dir, 'app.py'), 'import lab_venv_only\n\ndef application(environ, start_response):\n    start_response("200 OK", [("Content-Type", "text/plain")])\n    return [lab_venv_only.GREETING]\n')
      const app = `${dir}/app.py:application`
      expect(await refused({ app, path: ['/'] })).toContain("importing app failed: ModuleNotFoundError: No module named 'lab_venv_only' (at ")
      const r = await run({ app, path: ['/'], python, topology: ['gunicorn-sync'] })
      expect(r.code, r.text).toBe(0)
      expect(r.doc?.runs.map((x) => [x.topology, x.errors.total])).toEqual([['gunicorn-sync', 0]])
      expect(r.doc?.runs[0]?.requests.ok).toBeGreaterThan(20)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
