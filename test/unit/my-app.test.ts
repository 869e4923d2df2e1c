/**
 * `lab run my-app`'s pure part (lab/core/my-app.ts) and the command's checks
 * that need no server (lab/commands/my-app.ts): `--app` forms, routes,
 * the `--requests` file, the topologies per interface, and the calibration
 * level read into demands or into a 404 problem.
 */
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { locateApp, myAppCommand, probeProblem } from '../../lab/commands/my-app.js'
import { appRequests, appTopologies, calibrationDemands, calibrationScenario, calibrationWorkload, myAppScenario, parseAppSpec, type AppSpec } from '../../lab/core/my-app.js'
import type { RunResult } from '../../lab/core/results.js'
import { validateScenario } from '../../lab/core/scenario.js'
import { requestKinds } from '../../lab/core/mix.js'

const FIXTURES = path.resolve('test/fixtures/my-app')
const spec = (raw: string): AppSpec => {
  const s = parseAppSpec(raw)
  if (!s.ok) throw new Error(s.problems.join('\n'))
  return s.value
}

describe('--app', () => {
  it('reads a file path, a module and a dotted Django entry', () => {
    expect(spec('path/to/app.py:app')).toEqual({ raw: 'path/to/app.py:app', form: 'file', target: 'path/to/app.py', attr: 'app' })
    expect(spec('main:api.app')).toMatchObject({ form: 'module', target: 'main', attr: 'api.app' })
    expect(spec('mysite.wsgi:application')).toMatchObject({ form: 'module', target: 'mysite.wsgi', attr: 'application' })
  })

  it('refuses a missing attribute, a bad name and a file that is not .py, each in one line', () => {
    for (const [raw, says] of [
      [undefined, '--app is missing'],
      ['app.py', "no attribute after ':'"],
      ['app.py:1x', 'is not a Python attribute name'],
      ['dir/app.txt:app', 'is not a .py file'],
      ['my-app:app', 'is not a Python module name'],
    ] as const) {
      const s = parseAppSpec(raw)
      expect(s.ok).toBe(false)
      if (!s.ok) {
        expect(s.problems).toHaveLength(1)
        expect(s.problems[0]).toContain(says)
      }
    }
  })

  it('finds a file in its folder, and a module inside packages from the first folder that is not one', () => {
    expect(locateApp(spec('test/fixtures/my-app/two_routes.py:app'))).toEqual({ ok: true, value: { dir: FIXTURES, module: 'two_routes', attr: 'app' } })
    const django = locateApp(spec('lab/apps/django_app/wsgi.py:application'))
    expect(django).toEqual({ ok: true, value: { dir: path.resolve('lab/apps'), module: 'django_app.wsgi', attr: 'application' } })
    expect(locateApp(spec('nowhere/app.py:app'))).toEqual({ ok: false, problem: '--app nowhere/app.py:app: no such file nowhere/app.py' })
  })

  it("turns the probe's verdicts into lines naming the problem", () => {
    const s = spec('app.py:app')
    const at = { dir: '/x', module: 'app', attr: 'app' }
    expect(probeProblem(s, at, { problem: 'not-an-app', message: 'app is a callable taking 1 positional arguments' }, '/usr/bin/python3')).toMatch(/neither WSGI .* nor ASGI/)
    expect(probeProblem(s, at, { problem: 'import-error', message: "ModuleNotFoundError: No module named 'sqlalchemy' (at app.py:2)" }, '/usr/bin/python3')).toMatch(
      /importing app failed: ModuleNotFoundError.*--python/,
    )
    expect(probeProblem(s, at, { problem: 'attribute-missing', message: 'app has no attribute app', callables: ['create_app'] }, 'py')).toBe('--app app.py:app: app has no attribute app (callables there: create_app)')
  })
})

describe('the routes to load', () => {
  it('takes each --path once, or a weighted --requests list', () => {
    expect(appRequests(['/', '/items?id=3'], undefined)).toEqual({ ok: true, value: [{ path: '/', weight: 1 }, { path: '/items?id=3', weight: 1 }] })
    const file = [{ path: '/', weight: 9 }, { method: 'POST', path: '/items', body: '{"name":"x"}' }]
    expect(appRequests([], file)).toEqual({ ok: true, value: [{ path: '/', weight: 9 }, { method: 'POST', path: '/items', body: '{"name":"x"}', weight: 1 }] })
  })

  it('refuses no route, a path without a slash, both flags, a bad file entry and /health', () => {
    const problem = (r: ReturnType<typeof appRequests>) => (r.ok ? '' : r.problems.join('\n'))
    expect(problem(appRequests([], undefined))).toContain('--path is missing')
    expect(problem(appRequests(['items'], undefined))).toContain('--path items: expected a path starting with /')
    expect(problem(appRequests(['/'], [{ path: '/' }]))).toContain('one or the other')
    expect(problem(appRequests([], [{ path: '/', method: 'BREW' }], 'r.json'))).toMatch(/^--requests r\.json: 0\.method/)
    expect(problem(appRequests(['/health'], undefined))).toContain('the lab answers GET /health itself')
  })
})

describe('the scenario of a run', () => {
  const servers = { workers: 3, threads: 4, nginx: false }
  const requests = [{ path: '/', weight: 3 }, { path: '/slow', weight: 1, method: 'POST' as const, body: 'x' }]

  it('runs a WSGI app under Gunicorn sync and gthread, an ASGI app under Uvicorn, and each behind nginx when asked', () => {
    expect(Object.keys(appTopologies('wsgi', servers))).toEqual(['gunicorn-sync', 'gunicorn-gthread'])
    expect(appTopologies('wsgi', servers)['gunicorn-gthread']).toEqual({ server: { model: 'threaded', engine: 'gunicorn', workers: 3, threads: 4, app: 'my-app' } })
    expect(Object.keys(appTopologies('asgi', { ...servers, nginx: true }))).toEqual(['uvicorn', 'nginx-uvicorn'])
  })

  it('is a valid scenario whose request kinds carry each route, its method, body and measured demand', () => {
    const s = validateScenario(myAppScenario(spec('app.py:app'), 'wsgi', servers, requests, [{ io_ms: 0.4, cpu_ms: 0.6 }, { io_ms: 5.2, cpu_ms: 0.7 }]))
    expect(s.ok).toBe(true)
    if (!s.ok) return
    const kinds = requestKinds(s.value.workloads.requests as Parameters<typeof requestKinds>[0])
    expect(kinds).toEqual([
      { label: 'GET /', path: '/', weight: 3, kind: 'work', ioMs: 0.4, cpuMs: 0.6 },
      { label: 'POST /slow', path: '/slow', weight: 1, kind: 'work', ioMs: 5.2, cpuMs: 0.7, method: 'POST', body: 'x' },
    ])
    expect(s.value.quick?.connections).toEqual([16])
  })

  it('refuses a path entry with /work parameters, and a method without a path', () => {
    const base = myAppScenario(spec('app.py:app'), 'asgi', servers, [{ path: '/', weight: 1 }], [{ io_ms: 1, cpu_ms: 1 }])
    const withMix = (mix: unknown[]) => validateScenario({ ...base, workloads: { requests: { mix } } })
    expect(withMix([{ path: '/', io_ms: 5 }])).toEqual({ ok: false, problems: [expect.stringMatching(/^workloads\.requests\.mix\.0\.path: .*a path entry without static, io_ms/)] })
    expect(withMix([{ io_ms: 5, method: 'POST' }])).toEqual({ ok: false, problems: [expect.stringMatching(/^workloads\.requests\.mix\.0\.method: .*go with a path entry/)] })
  })

  it('calibrates the first topology at one connection, one workload per route', () => {
    const s = validateScenario(calibrationScenario('wsgi', servers, requests))
    expect(s.ok).toBe(true)
    if (!s.ok) return
    expect(Object.keys(s.value.topologies)).toEqual(['gunicorn-sync'])
    expect(Object.keys(s.value.workloads)).toEqual([calibrationWorkload(0), calibrationWorkload(1)])
    expect(s.value.load.connections).toEqual([1])
  })
})

/** A calibration level's result with only what calibrationDemands reads. */
function level(workload: string, o: { total: number; ok: number; meanMs: number; cpuUs: number | null; byStatus?: Record<string, number> }): RunResult {
  return {
    workload,
    requests: { total: o.total, ok: o.ok },
    latencyMs: { mean: o.meanMs },
    cpuPerResponseUs: o.cpuUs,
    errors: { total: o.total - o.ok, timeouts: 0, resets: 0, non2xx: o.total - o.ok, byStatus: o.byStatus ?? {} },
  } as unknown as RunResult
}

describe('the calibration level', () => {
  const requests = [{ path: '/', weight: 1 }, { path: '/slow', weight: 1 }]

  it("gives each route its server CPU per response and the rest of its one-connection latency as the wait", () => {
    const d = calibrationDemands(requests, [level('route-1', { total: 900, ok: 900, meanMs: 1.5, cpuUs: 600 }), level('route-2', { total: 300, ok: 300, meanMs: 6.1, cpuUs: 700 })])
    expect(d).toEqual({ ok: true, value: [{ io_ms: 0.9, cpu_ms: 0.6 }, { io_ms: 5.4, cpu_ms: 0.7 }] })
  })

  it('names a route that answered 404 on every request', () => {
    const d = calibrationDemands(requests, [level('route-1', { total: 900, ok: 900, meanMs: 1.5, cpuUs: 600 }), level('route-2', { total: 285, ok: 0, meanMs: 1, cpuUs: null, byStatus: { '404': 285 } })])
    expect(d).toEqual({ ok: false, problems: ['GET /slow answered 404 on every request (285 of 285): the app has no such route'] })
  })
})

describe('lab run my-app before any server starts', () => {
  async function run(o: Parameters<typeof myAppCommand>[0]) {
    const stderr = new PassThrough()
    let text = ''
    stderr.on('data', (c: Buffer) => (text += c.toString()))
    const outcome = await myAppCommand({ ...o, stderr })
    return { code: outcome.code, text }
  }

  it('exits 2 with one line for a missing file, bad counts and a missing --requests file', async () => {
    expect(await run({ app: 'test/fixtures/my-app/nope.py:app', path: ['/'] })).toEqual({ code: 2, text: 'lab run: --app test/fixtures/my-app/nope.py:app: no such file test/fixtures/my-app/nope.py\n' })
    expect(await run({ app: 'test/fixtures/my-app/two_routes.py:app', path: ['/'], workers: 0 })).toEqual({ code: 2, text: 'lab run: --workers 0: expected an integer 1..64\n' })
    expect(await run({ app: 'a.py:app', requests: 'test/fixtures/my-app/none.json' })).toEqual({ code: 2, text: 'lab run: --requests test/fixtures/my-app/none.json: no such file\n' })
  })
})
