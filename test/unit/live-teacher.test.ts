import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { demoCommand } from '../../lab/commands/demo.js'
import type { Envelope } from '../../lab/core/events.js'
import type { LiveServer } from '../../lab/live/server.js'
import { newTeacherToken, tokenMatches } from '../../lab/live/token.js'
import { LevelGate } from '../../lab/run/gate.js'
import { call, demo, startBody, stream, waitDone, webDir } from './live-helpers.js'

const tick = () => new Promise((r) => setTimeout(r, 5))

describe('the teacher token', () => {
  it('is 24 base64url characters and differs every time', () => {
    const a = newTeacherToken()
    expect(a).toMatch(/^[\w-]{24}$/)
    expect(newTeacherToken()).not.toBe(a)
  })

  it('matches only itself: not a prefix, not a longer string, not an empty or missing header', () => {
    const t = newTeacherToken()
    expect(tokenMatches(t, t)).toBe(true)
    expect(tokenMatches(t, t.slice(0, -1))).toBe(false)
    expect(tokenMatches(t, `${t}x`)).toBe(false)
    expect(tokenMatches(t, '')).toBe(false)
    expect(tokenMatches(t, undefined)).toBe(false)
    expect(tokenMatches(t, [t])).toBe(false)
  })
})

describe('the gate between levels', () => {
  it('lets a run through at once when neither stepping nor paused', async () => {
    const gate = new LevelGate()
    await expect(gate.wait()).resolves.toBe(0)
  })

  it('holds a step-mode run until Next, and Next releases exactly one hold', async () => {
    const gate = new LevelGate(true)
    const reasons: string[] = []
    let released = false
    const held = gate.wait(undefined, (r) => reasons.push(r)).then(() => (released = true))
    await tick()
    expect(released).toBe(false)
    expect(gate.state()).toEqual({ step: true, paused: false, holding: 'step' })
    expect(gate.next()).toBe(true)
    await held
    expect(reasons).toEqual(['step'])
    expect(gate.state().holding).toBeNull()
    expect(gate.next()).toBe(false) // nothing held: a second press does not skip the next hold
    let second = false
    void gate.wait().then(() => (second = true))
    await tick()
    expect(second).toBe(false)
    gate.setStep(false) // turning step mode off releases the hold
    await tick()
    expect(second).toBe(true)
  })

  it('holds a paused run until Resume; Next does not end a pause', async () => {
    const gate = new LevelGate(true)
    gate.pause()
    let released = false
    void gate.wait(undefined, (r) => expect(r).toBe('pause')).then(() => (released = true))
    await tick()
    expect(gate.next()).toBe(false)
    await tick()
    expect(released).toBe(false)
    gate.resume()
    await tick()
    expect(released).toBe(true)
    expect(gate.state()).toEqual({ step: true, paused: false, holding: null })
  })

  it('ends a hold when the run is stopped', async () => {
    const gate = new LevelGate(true)
    const stop = new AbortController()
    const held = gate.wait(stop.signal)
    stop.abort('stop')
    await expect(held).resolves.toBeGreaterThanOrEqual(0)
    expect(gate.state().holding).toBeNull()
  })
})

const held = (envs: Envelope[]) => envs.filter((e) => e.event.type === 'hold')
const levelsDone = (envs: Envelope[]) => envs.filter((e) => e.event.type === 'level-done').length

describe('the demo’s step mode and pause', () => {
  it('in step mode measures one level, holds, and measures exactly one more after each Next', async () => {
    const { server } = await demo(2)
    const start = await call(server, 'POST', '/api/runs', { body: { ...startBody, step: true } })
    expect(start.status).toBe(202)
    const id = start.json().id as string
    const first = await stream(server, `/api/runs/${id}/events`, (envs) => held(envs).length === 1)
    expect(levelsDone(first.envs)).toBe(1)
    expect((await call(server, 'GET', `/api/runs/${id}`)).json().gate).toEqual({ step: true, paused: false, holding: 'step' })
    const next = await call(server, 'POST', `/api/runs/${id}/gate`, { body: { action: 'next' } })
    expect(next.status).toBe(200)
    const second = await stream(server, `/api/runs/${id}/events`, (envs) => held(envs).length === 2)
    expect(levelsDone(second.envs)).toBe(2)
    const release = second.envs.find((e) => e.event.type === 'release')?.event
    expect(release?.type === 'release' && release.heldMs).toBeGreaterThan(0)
    // the held time is outside every level: the next level starts after the release
    const starts = second.envs.filter((e) => e.event.type === 'level-start')
    expect(starts[1]?.seq).toBeGreaterThan(second.envs.find((e) => e.event.type === 'release')?.seq ?? Infinity)
    await call(server, 'POST', `/api/runs/${id}/gate`, { body: { action: 'step-off' } })
    expect((await waitDone(server, id)).code).toBe(0)
  })

  it('pauses at the next level boundary and goes on after Resume; a Stop ends a paused run', async () => {
    const { server } = await demo(20)
    const id = (await call(server, 'POST', '/api/runs', { body: startBody })).json().id as string
    expect((await call(server, 'POST', `/api/runs/${id}/gate`, { body: { action: 'pause' } })).json().gate.paused).toBe(true)
    const paused = await stream(server, `/api/runs/${id}/events`, (envs) => held(envs).length === 1)
    expect(held(paused.envs)[0]?.event).toMatchObject({ type: 'hold', reason: 'pause' })
    await call(server, 'POST', `/api/runs/${id}/gate`, { body: { action: 'resume' } })
    const resumed = await stream(server, `/api/runs/${id}/events`, (envs) => levelsDone(envs) > levelsDone(paused.envs))
    expect(resumed.envs.some((e) => e.event.type === 'release')).toBe(true)
    expect((await waitDone(server, id)).code).toBe(0)
    const again = (await call(server, 'POST', '/api/runs', { body: startBody })).json().id as string
    await call(server, 'POST', `/api/runs/${again}/gate`, { body: { action: 'pause' } })
    await stream(server, `/api/runs/${again}/events`, (envs) => held(envs).length === 1)
    expect((await call(server, 'POST', `/api/runs/${again}/stop`)).json().code).toBe(130)
  })

  it('refuses an unknown gate action and a gate request that is not JSON', async () => {
    const { server } = await demo(20)
    const id = (await call(server, 'POST', '/api/runs', { body: startBody })).json().id as string
    expect((await call(server, 'POST', `/api/runs/${id}/gate`, { body: { action: 'skip' } })).status).toBe(400)
    expect((await call(server, 'POST', `/api/runs/${id}/gate`, { body: 'x', headers: { 'Content-Type': 'text/plain' } })).status).toBe(415)
    await call(server, 'POST', `/api/runs/${id}/stop`)
  })
})

describe('the view-only demo', () => {
  it('says it is view-only, refuses Run, Stop and Next without the token, and accepts them with it', async () => {
    const token = newTeacherToken()
    const { server } = await demo(20, { token })
    expect((await call(server, 'GET', '/api/scenarios')).json().viewOnly).toBe(true)
    const refused = await call(server, 'POST', '/api/runs', { body: startBody })
    expect(refused.status).toBe(401)
    expect(refused.json().error).toMatch(/view-only.*teacher token/)
    expect((await call(server, 'POST', '/api/runs', { body: startBody, headers: { 'X-Lab-Token': 'guess' } })).status).toBe(401)
    expect((await call(server, 'POST', '/api/token', { headers: { 'X-Lab-Token': token } })).status).toBe(204)
    const started = await call(server, 'POST', '/api/runs', { body: startBody, headers: { 'X-Lab-Token': token } })
    expect(started.status).toBe(202)
    const id = started.json().id as string
    expect((await call(server, 'GET', `/api/runs/${id}`)).status).toBe(200) // watching needs no token
    expect((await call(server, 'POST', `/api/runs/${id}/gate`, { body: { action: 'pause' } })).status).toBe(401)
    expect((await call(server, 'POST', `/api/runs/${id}/stop`)).status).toBe(401)
    expect((await call(server, 'POST', `/api/runs/${id}/stop`, { headers: { 'X-Lab-Token': token } })).json().state).toBe('done')
  })

  it('still refuses a foreign Host or Origin, token or not', async () => {
    const token = newTeacherToken()
    const { server } = await demo(20, { token })
    const headers = { 'X-Lab-Token': token }
    expect((await call(server, 'POST', '/api/token', { headers: { ...headers, Host: `evil.example:${server.port}` } })).status).toBe(403)
    expect((await call(server, 'POST', '/api/token', { headers: { ...headers, Origin: 'http://evil.example' } })).status).toBe(403)
  })

  it('needs no token when bound to loopback only', async () => {
    const { server } = await demo()
    expect((await call(server, 'GET', '/api/scenarios')).json().viewOnly).toBe(false)
    expect((await call(server, 'POST', '/api/token')).status).toBe(204)
  })
})

describe('lab demo --host beyond loopback', () => {
  it('prints a teacher token on the terminal, which the server then asks of every control request', async () => {
    let stdout = ''
    let stderr = ''
    const sink = (add: (s: string) => void) => new Writable({ write: (c, _e, cb) => (add(String(c)), cb()) })
    let stop: () => void = () => {}
    let server: LiveServer | undefined
    const listening = new Promise<void>((resolve) => {
      void demoCommand(
        { host: '0.0.0.0', port: 0 },
        { stdout: sink((s) => (stdout += s)), stderr: sink((s) => (stderr += s)), until: new Promise((r) => (stop = () => r(undefined))), server: { webDir }, onListening: (s) => ((server = s), resolve()) },
      )
    })
    await listening
    try {
      const token = /^Teacher token: ([\w-]{24})$/m.exec(stdout)?.[1]
      expect(token).toBeDefined()
      expect(stderr).toMatch(/view-only/)
      const live = server as LiveServer
      expect((await call(live, 'POST', '/api/token')).status).toBe(401)
      expect((await call(live, 'POST', '/api/token', { headers: { 'X-Lab-Token': token as string } })).status).toBe(204)
    } finally {
      stop()
      await server?.close()
    }
  })
})
