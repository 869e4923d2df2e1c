import http from 'node:http'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { readEventLog } from '../../lab/store/events.js'
import { call, demo, startBody, stream, waitDone } from './live-helpers.js'

describe('the demo API', () => {
  it('lists the catalogue’s scenarios with their knobs and notes', async () => {
    const { server } = await demo()
    const r = await call(server, 'GET', '/api/scenarios')
    expect(r.status).toBe(200)
    const s = r.json().scenarios.find((x: { name: string }) => x.name === 'prefork-vs-async')
    expect(s.topologies).toEqual([{ id: 'prefork', model: 'prefork', workers: 4 }, { id: 'async', model: 'event-loop' }])
    expect(s.knobs.find((k: { id: string }) => k.id === 'topologies.prefork.server.workers')).toMatchObject({ min: 1, max: 64 })
    expect(s.notesHtml).toContain('<h2 id="predict-before-you-run">')
    expect(r.json().stacks).toEqual(['node', 'python'])
  })

  it('starts a run (202 with an id), refuses a second start with 409 naming it, and stops it', async () => {
    const { server } = await demo(100)
    const first = await call(server, 'POST', '/api/runs', { body: startBody })
    expect(first.status).toBe(202)
    const { id } = first.json()
    expect(id).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{6}$/)
    expect(first.json()).toMatchObject({ state: 'running', scenario: 'prefork-vs-async', command: 'npx lab run prefork-vs-async --quick --workload io-bound' })
    expect(server.current()).toBe(id)

    const second = await call(server, 'POST', '/api/runs', { body: startBody })
    expect(second.status).toBe(409)
    expect(second.json().running).toBe(id)

    const stopped = await call(server, 'POST', `/api/runs/${id}/stop`)
    expect(stopped.status).toBe(200)
    expect(stopped.json()).toMatchObject({ id, state: 'done', code: 130 })
    expect(server.current()).toBeUndefined()

    // and the next start is accepted
    const third = await call(server, 'POST', '/api/runs', { body: startBody })
    expect(third.status).toBe(202)
    await waitDone(server, third.json().id)
  })

  it('answers 400 naming each bad field', async () => {
    const { server } = await demo()
    const r = await call(server, 'POST', '/api/runs', {
      body: { ...startBody, knobs: { 'topologies.prefork.server.workers': 100, 'load.connections': [8, 5000] } },
    })
    expect(r.status).toBe(400)
    expect(r.json().problems).toEqual([
      { field: 'topologies.prefork.server.workers', message: 'topologies.prefork.server.workers: 100 is not allowed; expected an integer 1..64 (demo limit)' },
      { field: 'load.connections', message: 'load.connections.1: 5000 is not allowed; expected an integer 1..1024 (demo limit)' },
    ])
    expect(server.current()).toBeUndefined()
  })

  it('answers 400 for a body that is not JSON or has a path in it, 413 for one too large', async () => {
    const { server } = await demo()
    expect((await call(server, 'POST', '/api/runs', { body: '{nope' })).status).toBe(400)
    expect((await call(server, 'POST', '/api/runs', { body: { ...startBody, scenario: 'x'.repeat(20_000) } })).status).toBe(413)
    const r = await call(server, 'POST', '/api/runs', { body: { scenario: '../scenarios/prefork-vs-async' } })
    expect(r.status).toBe(400)
    expect(r.json().problems[0].field).toBe('scenario')
    expect((await call(server, 'POST', '/api/runs', { body: { ...startBody, out: '/tmp' } })).json().problems[0].field).toBe('out')
  })

  it('refuses a start that is not sent as JSON (no form posts)', async () => {
    const { server } = await demo()
    const r = await call(server, 'POST', '/api/runs', { body: 'scenario=prefork-vs-async', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })
    expect(r.status).toBe(415)
  })

  it('refuses 403 a foreign Host or Origin (DNS rebinding, cross-site pages) and accepts the loopback names', async () => {
    const { server } = await demo()
    const port = server.port
    for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1:${port + 1}`, `192.0.2.1:${port}`, `localhost.evil.example:${port}`]) {
      const r = await call(server, 'GET', '/api/scenarios', { headers: { Host: host } })
      expect(r.status, host).toBe(403)
    }
    for (const origin of ['http://evil.example', `http://evil.example:${port}`, `https://127.0.0.1:${port}`, `http://127.0.0.1:${port + 1}`, 'null']) {
      const r = await call(server, 'POST', '/api/runs', { body: startBody, headers: { Origin: origin } })
      expect(r.status, origin).toBe(403)
    }
    expect(server.current()).toBeUndefined()
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
      expect((await call(server, 'GET', '/api/runs', { headers: { Host: host, Origin: `http://${host}` } })).status, host).toBe(200)
    }
  })

  it('streams a run’s events, and gives a late subscriber the whole history first', async () => {
    const { server, out } = await demo(30)
    const { id } = (await call(server, 'POST', '/api/runs', { body: startBody })).json()
    // a browser that joins after the first level is done
    const early = await stream(server, '/api/events', (envs) => envs.some((e) => e.event.type === 'level-done'))
    expect(early.headers['content-type']).toBe('text/event-stream; charset=utf-8')
    const late = await stream(server, '/api/events', (envs) => envs.some((e) => e.event.type === 'done'))
    expect(late.envs[0]).toMatchObject({ run: id, seq: 0, event: { type: 'plan' } })
    expect(late.envs.map((e) => e.seq)).toEqual(late.envs.map((_, i) => i)) // no gap, no repeat
    const types = late.envs.map((e) => e.event.type)
    // prefork and async at the quick 32 connections, a sample for every second of each level's load (warm-up and ≥ 2 s window)
    expect(types.filter((t) => t === 'level-done')).toHaveLength(2)
    for (const level of [0, 1]) expect(late.envs.filter((e) => e.event.type === 'sample' && e.event.level === level).length).toBeGreaterThanOrEqual(3)

    // after the run, its own stream replays everything and ends
    const after = await stream(server, `/api/runs/${id}/events`)
    expect(after.ended).toBe(true)
    expect(after.envs).toEqual(late.envs)
    const done = after.envs.at(-1)?.event
    expect(done).toMatchObject({ type: 'done', code: 0, complete: true })

    // the same events are in the run folder as NDJSON
    if (done?.type !== 'done' || !done.file) throw new Error('no results file')
    const log = path.join(out, 'prefork-vs-async', path.basename(done.file).replace(/\.json$/, '.events.ndjson'))
    expect(readEventLog(log)).toEqual(after.envs.map((e) => e.event))
  })

  it('resumes a reconnecting browser after the last event it saw', async () => {
    const { server } = await demo(5)
    const { id } = (await call(server, 'POST', '/api/runs', { body: startBody })).json()
    await waitDone(server, id)
    const all = await stream(server, '/api/events', (envs) => envs.some((e) => e.event.type === 'done'))
    const resumed = await new Promise<string>((resolve) => {
      http.get({ host: '127.0.0.1', port: server.port, path: '/api/events', headers: { 'Last-Event-ID': `${id}:${all.envs.length - 3}` } }, (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => {
          text += c
          if ((text.match(/^data: /gm) ?? []).length >= 2) {
            res.destroy()
            resolve(text)
          }
        })
      })
    })
    const seqs = [...resumed.matchAll(/^id: [^:]+:(\d+)$/gm)].map((m) => Number(m[1]))
    expect(seqs).toEqual([all.envs.length - 2, all.envs.length - 1])
  })

  it('links the saved results and report under /results/, read-only, and nothing outside it', async () => {
    const { server } = await demo(2)
    const { id } = (await call(server, 'POST', '/api/runs', { body: startBody })).json()
    const run = await waitDone(server, id)
    expect(run.links.results).toMatch(/^\/results\/prefork-vs-async\/\d{8}T\d{6}Z\.json$/)
    expect(run.links.report).toMatch(/\.html$/)
    expect(run.links.events).toMatch(/\.events\.ndjson$/)
    const json = await call(server, 'GET', run.links.results)
    expect(json.status).toBe(200)
    expect(json.json().complete).toBe(true)
    const html = await call(server, 'GET', run.links.report)
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(html.headers['content-security-policy']).toContain("default-src 'none'")
    expect((await call(server, 'GET', run.links.events)).status).toBe(200)
    expect((await call(server, 'POST', run.links.results)).status).toBe(405)
    for (const p of ['/results/../package.json', '/results/prefork-vs-async/..%2F..%2Fpackage.json', '/results/x/y.json', '/results/prefork-vs-async/20261122T100000Z.json', '/package.json', '/etc/passwd']) {
      expect((await call(server, 'GET', p)).status, p).toBe(404)
    }
  })

  it('serves the live page with a strict Content-Security-Policy', async () => {
    const { server } = await demo()
    const r = await call(server, 'GET', '/')
    expect(r.status).toBe(200)
    expect(r.text).toContain('<div id="app">')
    expect(r.headers['content-security-policy']).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/)
    expect(r.headers['content-security-policy']).toContain("connect-src 'self'")
  })

  it('answers 404 for an unknown run and 405 for a wrong method', async () => {
    const { server } = await demo()
    expect((await call(server, 'GET', '/api/runs/nope')).status).toBe(404)
    expect((await call(server, 'POST', '/api/runs/nope/stop')).status).toBe(404)
    expect((await call(server, 'DELETE', '/api/runs')).status).toBe(405)
    expect((await call(server, 'POST', '/api/scenarios')).status).toBe(405)
  })

  it('stops the running run when closed', async () => {
    const { server } = await demo(200)
    const { id } = (await call(server, 'POST', '/api/runs', { body: startBody })).json()
    let open: () => void = () => {}
    const isOpen = new Promise<void>((r) => (open = r))
    const events = stream(server, `/api/runs/${id}/events`, undefined, 10_000, open)
    await isOpen // closed before the stream is open, the server would reset it instead of ending it
    await server.close()
    const { envs, ended } = await events
    expect(ended).toBe(true)
    expect(envs.at(-1)?.event).toMatchObject({ type: 'done', code: 130, complete: false })
  })
})
