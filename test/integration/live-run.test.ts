import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Envelope, LevelStartEvent, SampleEvent } from '../../lab/core/events.js'
import { startLiveServer, type LiveServer } from '../../lab/live/server.js'
import { readEventLog } from '../../lab/store/events.js'
import { liveGroupCount } from '../../lab/topology/group.js'
import { alive, waitFor } from './helpers.js'

const out = mkdtempSync(path.join(os.tmpdir(), 'lab-live-run-'))
const webDir = mkdtempSync(path.join(os.tmpdir(), 'lab-live-web-'))
let server: LiveServer

beforeAll(async () => {
  // the page is not under test here (test/e2e/live.test.ts is)
  const { writeFileSync } = await import('node:fs')
  writeFileSync(path.join(webDir, 'live.html'), '<!doctype html><div id="app"></div>')
  server = await startLiveServer({ out, webDir })
})
afterEach(async () => {
  // whatever a test left running is stopped before the next
  const id = server.current()
  if (id) await post(`/api/runs/${id}/stop`, undefined)
})
afterAll(async () => {
  await server?.close()
  rmSync(out, { recursive: true, force: true })
  rmSync(webDir, { recursive: true, force: true })
})

function post(p: string, body: unknown): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const text = body === undefined ? '' : JSON.stringify(body)
    const req = http.request({ host: '127.0.0.1', port: server.port, path: p, method: 'POST', headers: { 'Content-Type': 'application/json' } }, (res) => {
      let data = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (data += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(data) }))
    })
    req.on('error', reject)
    req.end(text)
  })
}

/** Follows a run's stream; `onEvent` may act on each event (stop the run...). Resolves with every envelope, each stamped with when it arrived. */
function follow(id: string, onEvent: (env: Envelope) => void = () => {}, timeoutMs = 60_000): Promise<Array<Envelope & { received: number }>> {
  return new Promise((resolve, reject) => {
    const envs: Array<Envelope & { received: number }> = []
    let buffer = ''
    const req = http.get({ host: '127.0.0.1', port: server.port, path: `/api/runs/${id}/events` }, (res) => {
      const timer = setTimeout(() => {
        req.destroy()
        reject(new Error(`no done within ${timeoutMs} ms; got ${envs.map((e) => e.event.type).join(', ')}`))
      }, timeoutMs)
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        buffer += chunk
        let cut: number
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const data = buffer.slice(0, cut).split('\n').find((l) => l.startsWith('data: '))
          buffer = buffer.slice(cut + 2)
          if (!data) continue
          const env = { ...(JSON.parse(data.slice(6)) as Envelope), received: performance.timeOrigin + performance.now() }
          envs.push(env)
          onEvent(env)
        }
      })
      res.on('end', () => {
        clearTimeout(timer)
        resolve(envs)
      })
    })
    req.on('error', reject)
  })
}

const pidsOf = (envs: Envelope[]): number[] => [
  ...new Set(
    envs.flatMap((e) =>
      e.event.type === 'level-start'
        ? (e.event as LevelStartEvent).processes.map((p) => p.pid)
        : e.event.type === 'sample'
          ? [...(e.event as SampleEvent).processes.map((p) => p.pid), ...((e.event as SampleEvent).workers ?? []).map((w) => w.pid)]
          : [],
    ),
  ),
]

describe('lab demo with real servers', () => {
  it('runs a quick scenario live: per-second samples with busy workers, then results, report and event log', async () => {
    const started = await post('/api/runs', {
      scenario: 'prefork-vs-async',
      quick: true,
      workloads: ['io-bound'],
      knobs: { 'load.connections': [8], 'load.duration_s': 2 },
    })
    expect(started.status).toBe(202)
    const envs = await follow(started.json.id)
    const types = envs.map((e) => e.event.type)
    expect(types[0]).toBe('plan')
    expect(types.at(-1)).toBe('done')
    expect(types.filter((t) => t === 'level-done')).toHaveLength(2)

    const samples = envs.map((e) => e.event).filter((e): e is SampleEvent => e.type === 'sample')
    const prefork = samples.filter((s) => s.topology === 'prefork')
    expect(prefork.length).toBeGreaterThanOrEqual(2)
    // 8 connections on 4 workers blocking 50 ms: ~80 req/s, every worker busy, p50 ≈ 100 ms
    const measured = prefork.filter((s) => !s.warmup)
    expect(measured.length).toBeGreaterThanOrEqual(1)
    for (const s of measured) {
      expect(s.perSecond).toBeGreaterThan(50)
      expect(s.perSecond).toBeLessThan(100)
      expect(s.p50Ms).toBeGreaterThan(80)
      expect(s.p99Ms).toBeGreaterThanOrEqual(s.p50Ms as number)
    }
    const last = prefork.at(-1) as SampleEvent
    expect(last.workers).toHaveLength(4)
    expect(last.workers?.filter((w) => w.busyFraction > 0).length).toBeGreaterThanOrEqual(3)
    expect(last.processes.filter((p) => p.role === 'worker')).toHaveLength(4)
    const asyncSample = samples.find((s) => s.topology === 'async' && !s.warmup)
    expect(asyncSample?.perSecond).toBeGreaterThan(100) // 8 connections × 1/50 ms overlap: ~155 req/s
    expect(asyncSample?.workers).toBeUndefined()

    // each sample left the lab within a moment of its second's end
    const delays = envs.filter((e) => e.event.type === 'sample').map((e) => e.received - e.event.at)
    expect(Math.max(...delays)).toBeLessThan(1000)

    const done = envs.at(-1)?.event
    if (done?.type !== 'done') throw new Error('no done')
    expect(done).toMatchObject({ code: 0, complete: true })
    expect(existsSync(done.file as string)).toBe(true)
    expect(existsSync(done.report as string)).toBe(true)
    const doc = JSON.parse(readFileSync(done.file as string, 'utf8'))
    expect(doc.runs).toHaveLength(2)
    expect(doc.command).toBe("npx lab run prefork-vs-async --quick --set 'quick.connections=[8]' --set quick.duration_s=2 --workload io-bound")
    const log = readEventLog((done.file as string).replace(/\.json$/, '.events.ndjson'))
    expect(log).toEqual(envs.map(({ event }) => event))

    for (const pid of pidsOf(envs)) expect(await waitFor(() => !alive(pid), 3000), `pid ${pid}`).toBe(true)
    expect(liveGroupCount()).toBe(0)
  })

  it('stops a run mid-level: 200 once every process of it is gone, what was measured kept', async () => {
    const started = await post('/api/runs', {
      scenario: 'prefork-vs-async',
      quick: true,
      topologies: ['prefork'],
      workloads: ['io-bound'],
      knobs: { 'load.connections': [8, 16], 'load.duration_s': 20 },
    })
    expect(started.status).toBe(202)
    const id = started.json.id as string
    let stop: Promise<{ status: number; json: any }> | undefined
    const envs = await follow(id, (env) => {
      if (env.event.type === 'sample' && env.event.t === 2 && !stop) stop = post(`/api/runs/${id}/stop`, undefined)
    })
    const answer = await (stop as Promise<{ status: number; json: any }>)
    expect(answer.status).toBe(200)
    expect(answer.json).toMatchObject({ id, state: 'done', code: 130 })
    expect(envs.at(-1)?.event).toMatchObject({ type: 'done', code: 130, complete: false })
    const pids = pidsOf(envs)
    expect(pids.length).toBeGreaterThanOrEqual(5) // master + 4 workers
    // the stop answered after teardown: nothing of the run is left
    for (const pid of pids) expect(alive(pid), `pid ${pid}`).toBe(false)
    expect(liveGroupCount()).toBe(0)
    expect(server.current()).toBeUndefined()
  })
})
