/**
 * The demo server's test helpers: a demo with the fake driver and fake
 * topologies, raw HTTP calls, SSE reading. Importing this file registers the
 * hooks that make a stand-in page and close every demo after each test.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll } from 'vitest'
import type { Envelope } from '../../lab/core/events.js'
import { startLiveServer, type LiveServer, type LiveServerOptions } from '../../lab/live/server.js'
import { FakeDriver } from '../../lab/load/fake.js'
import { fakeTopology } from '../support/live-fakes.js'

// The page is only served here: a stand-in keeps these tests independent of `npm run build`.
/** The stand-in page's folder (set before each file's tests). */
export let webDir: string
beforeAll(() => {
  webDir = mkdtempSync(path.join(os.tmpdir(), 'lab-live-web-'))
  writeFileSync(path.join(webDir, 'live.html'), '<!doctype html><title>live</title><script type="module">document.title = "x"</script><div id="app"></div>')
})
afterAll(() => rmSync(webDir, { recursive: true, force: true }))

const servers: LiveServer[] = []
const dirs: string[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

/** A demo server with the fake driver (each second of load takes `secondMs`) and fake topologies. */
export async function demo(secondMs = 5, over: Partial<LiveServerOptions> = {}): Promise<{ server: LiveServer; out: string }> {
  const out = mkdtempSync(path.join(os.tmpdir(), 'lab-live-'))
  dirs.push(out)
  const server = await startLiveServer({ out, webDir, driver: () => new FakeDriver(() => 80, { secondMs }), start: fakeTopology, ...over })
  servers.push(server)
  return { server, out }
}

export interface Answer {
  status: number
  headers: http.IncomingHttpHeaders
  text: string
  json: () => any
}

/** A request with full control of the headers (fetch will not send a foreign Host). */
export function call(server: LiveServer, method: string, p: string, opts: { body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body)
    const req = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        method,
        path: p,
        headers: { ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...opts.headers },
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (text += c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) }))
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

export const startBody = { scenario: 'prefork-vs-async', quick: true, workloads: ['io-bound'] }

/** Reads an SSE stream until `until` says so (or it ends), then hangs up; `opened` is called when the response has begun. */
export function stream(
  server: LiveServer,
  p: string,
  until: (envs: Envelope[]) => boolean = () => false,
  timeoutMs = 10_000,
  opened: () => void = () => {},
): Promise<{ envs: Envelope[]; ended: boolean; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const envs: Envelope[] = []
    let buffer = ''
    const req = http.get({ host: '127.0.0.1', port: server.port, path: p }, (res) => {
      opened()
      const timer = setTimeout(() => finish(false), timeoutMs)
      const finish = (ended: boolean) => {
        clearTimeout(timer)
        req.destroy()
        resolve({ envs, ended, headers: res.headers })
      }
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        buffer += chunk
        let cut: number
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const message = buffer.slice(0, cut)
          buffer = buffer.slice(cut + 2)
          const data = message.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n')
          if (data) envs.push(JSON.parse(data) as Envelope)
        }
        if (until(envs)) finish(false)
      })
      res.on('end', () => finish(true))
    })
    req.on('error', (err) => (req.destroyed ? undefined : reject(err)))
  })
}

export async function waitDone(server: LiveServer, id: string, ms = 10_000): Promise<any> {
  const end = Date.now() + ms
  for (;;) {
    const r = (await call(server, 'GET', `/api/runs/${id}`)).json()
    if (r.state === 'done' || Date.now() > end) return r
    await new Promise((res) => setTimeout(res, 20))
  }
}
