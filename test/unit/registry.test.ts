/**
 * The engine registry against the vocabulary: one table whose engines are
 * exactly the vocabulary's engine names, each with its Debian packages (or
 * none, built in), its install line and its doctor row; a default engine on
 * each stack for every part it has one for; and a scenario that names an
 * engine the registry lacks, or one that cannot serve its part, refused with
 * the field and the allowed values named. Nothing here starts an engine.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { doctorRows } from '../../lab/commands/doctor.js'
import { proxySchema, validateScenario, type ServerDef, type TopologyDef } from '../../lab/core/scenario.js'
import { APP_NAMES, ENGINE_NAMES, PROXY_ENGINE_NAMES, SERVER_ENGINE_NAMES, STACKS, oneOf } from '../../lab/core/vocabulary.js'
import { APPS, ENGINES, appOf, engines, installCommand, isBuiltinEngine, packagesOf, proxyEngineOf, resolveTopology, serverEngineOf } from '../../lab/engines/registry.js'

const empty = mkdtempSync(path.join(os.tmpdir(), 'lab-no-engines-'))
afterAll(() => rmSync(empty, { recursive: true, force: true }))

const server = (model: ServerDef['model'], extra: Partial<ServerDef> = {}): ServerDef => ({ model, workers: 2, timeout_s: 30, backlog: 2048, ...extra })

describe('the registry table', () => {
  it("holds exactly the vocabulary's engines, each under its own name, servers and proxies where the vocabulary puts them", () => {
    expect(Object.keys(ENGINES).sort()).toEqual([...ENGINE_NAMES].sort())
    for (const [key, engine] of Object.entries(ENGINES)) expect(engine.name).toBe(key)
    expect(engines().filter((e) => e.role === 'server').map((e) => e.name).sort()).toEqual([...SERVER_ENGINE_NAMES].sort())
    expect(engines().filter((e) => e.role === 'proxy').map((e) => e.name).sort()).toEqual([...PROXY_ENGINE_NAMES].sort())
  })

  it("holds exactly the vocabulary's apps, each under its own name, with an entry point in lab/apps", () => {
    expect(Object.keys(APPS).sort()).toEqual([...APP_NAMES].sort())
    for (const [key, app] of Object.entries(APPS)) {
      expect(app.name).toBe(key)
      expect(Object.keys(app.entries).length, key).toBeGreaterThan(0)
      for (const entry of Object.values(app.entries)) expect(entry).toMatch(/^[\w.]+:\w+$/)
    }
  })

  it('gives every engine its install line: `npm run build` for the built-in ones, apt-get with its Debian packages for the others', () => {
    for (const e of engines()) {
      if (e.source.kind === 'built-in') {
        expect(packagesOf(e), e.name).toEqual([])
        expect(installCommand(e), e.name).toBe('npm run build')
      } else {
        expect(packagesOf(e).length, e.name).toBeGreaterThan(0)
        expect(installCommand(e), e.name).toBe(`apt-get install -y ${packagesOf(e).join(' ')}`)
      }
    }
  })

  it('gives every engine a doctor row, and every app that needs a package one too, with its packages when it is missing', async () => {
    const rows = await doctorRows({ searchPath: [empty] })
    expect(rows.map((r) => r.engine)).toEqual([...engines().map((e) => e.name), 'flask', 'django', 'fastapi', 'quart', 'fastapi-def', 'whoami-proxyfix'])
    for (const e of engines()) {
      const row = rows.find((r) => r.engine === e.name)
      expect(row?.role, e.name).toMatch(new RegExp(`--stack ${e.stack}$`))
      if (e.source.kind === 'debian') expect(row?.install, e.name).toEqual(e.source.packages)
    }
    expect(rows.find((r) => r.engine === 'flask')).toMatchObject({ found: false, install: ['python3-flask'], role: 'app: WSGI (in gunicorn)' })
  })

  it('declares for every engine the models it runs and the protocols it speaks (every one speaks http)', () => {
    for (const e of engines()) {
      expect(e.models.length, e.name).toBeGreaterThan(0)
      expect(e.protocols, e.name).toContain('http')
    }
  })

  it('tells the built-in engines from the Debian ones', () => {
    expect(isBuiltinEngine('node-prefork')).toBe(true)
    expect(isBuiltinEngine('node-reverse-proxy')).toBe(true)
    expect(isBuiltinEngine('gunicorn')).toBe(false)
    expect(isBuiltinEngine('no-such-engine')).toBe(false)
  })
})

describe('the stack defaults', () => {
  it('give each stack a pre-fork server, an event-loop server and a reverse proxy', () => {
    for (const stack of STACKS) {
      expect(serverEngineOf(server('prefork'), stack).stack).toBe(stack)
      expect(serverEngineOf(server('event-loop'), stack).stack).toBe(stack)
      expect(proxyEngineOf({ proxy: proxySchema.parse({}) }, stack)?.stack).toBe(stack)
    }
    expect(proxyEngineOf({}, 'python')).toBeNull()
  })

  it('run the threaded model on Gunicorn (gthread) with --stack python and on node-threaded with --stack node', () => {
    expect(serverEngineOf(server('threaded'), 'python').name).toBe('gunicorn')
    expect(serverEngineOf(server('threaded'), 'node').name).toBe('node-threaded')
  })

  it('refuse a pinned engine that does not run the model, naming those that do', () => {
    expect(() => serverEngineOf({ model: 'event-loop', engine: 'wsgiref' }, 'python')).toThrow('server.engine: wsgiref does not run model event-loop; engines that do: node-event-loop, uvicorn')
  })

  it("serve the app of the engine's interface unless the part names one, and refuse an app of another interface", () => {
    expect(appOf({}, ENGINES.gunicorn)).toEqual({ app: APPS.wsgi, interface: 'wsgi', entry: 'wsgi_app:application' })
    expect(appOf({ app: 'flask' }, ENGINES.gunicorn)).toEqual({ app: APPS.flask, interface: 'wsgi', entry: 'flask_app:application' })
    expect(appOf({}, ENGINES.uvicorn)).toEqual({ app: APPS.asgi, interface: 'asgi', entry: 'asgi_app:app' })
    expect(appOf({ app: 'flask' }, ENGINES['node-prefork'])).toBeUndefined()
    expect(() => appOf({ app: 'flask' }, ENGINES.uvicorn)).toThrow('server.app: flask implements WSGI; uvicorn serves ASGI')
  })
})

describe('a scenario naming an engine', () => {
  const scenario = (topology: Record<string, unknown>) => ({
    name: 't',
    title: 't',
    summary: 't',
    topologies: { t: topology },
    workloads: { w: {} },
    load: { connections: [1] },
  })

  it('the registry does not have fails validation, naming the field and the allowed engines', () => {
    for (const name of SERVER_ENGINE_NAMES) expect(oneOf(SERVER_ENGINE_NAMES)).toContain(`'${name}'`)
    expect(validateScenario(scenario({ server: { model: 'prefork', engine: 'no-such-server' } }))).toEqual({
      ok: false,
      problems: [`topologies.t.server.engine: "no-such-server" is not allowed; expected ${oneOf(SERVER_ENGINE_NAMES)}`],
    })
    expect(validateScenario(scenario({ server: { model: 'prefork' }, proxy: { engine: 'no-such-proxy' } }))).toEqual({
      ok: false,
      problems: [`topologies.t.proxy.engine: "no-such-proxy" is not allowed; expected ${oneOf(PROXY_ENGINE_NAMES)}`],
    })
  })

  it('that does not run its model is refused before anything starts, naming the engines that do', () => {
    const def = { server: server('event-loop', { engine: 'gunicorn' }) } as TopologyDef
    expect(() => resolveTopology(def, 'python')).toThrow('server.engine: gunicorn does not run model event-loop; engines that do: node-event-loop, uvicorn')
  })
})
