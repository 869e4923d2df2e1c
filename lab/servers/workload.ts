/**
 * The built-in servers' side of the workload contract (docs/workload-contract.md;
 * its routes, bounds and messages are in lab/contract/workload.ts):
 *
 * - `GET /work?io_ms=50&cpu_ms=0&bytes=1024`: wait `io_ms`, then burn `cpu_ms`
 *   of CPU time, then answer 200 with `bytes` bytes;
 * - `POST /work?...`: the handler first reads the whole request body itself
 *   (Content-Length or chunked), then does what `GET /work` does;
 * - `GET /health`: 200 `ok` at once;
 * - `GET /static/<file>`: a file from the folder in `staticDir` (404 without one);
 * - every response carries `X-Worker: <pid>`.
 *
 * How to wait is the server's business (a sync worker blocks, an event loop
 * yields), so this module only routes, burns CPU and builds bodies.
 */

import fs from 'node:fs'
import nodePath from 'node:path'
import { DEFAULTS, LIMITS, type BuiltinServerConfig, type Param } from '../contract/workload.js'
import { contentType, staticFile } from './proxy-logic.js'

/** What a request asks for. */
export type Route =
  | {
      kind: 'work'
      ioMs: number
      cpuMs: number
      bytes: number
      /** Percent of requests on which the worker process dies before answering (fault injection). */
      crashPct: number
      /** Percent of requests that never get an answer (a hung handler). */
      hangPct: number
      /** KiB the worker keeps for ever after this request (a leak; built-in pre-fork only); absent: none. */
      leakKb?: number
    }
  | { kind: 'stream'; events: number; intervalMs: number }
  | { kind: 'static'; target: string }
  | { kind: 'health' }
  | { kind: 'error'; status: 400 | 404 | 405; message: string }

function intParam(q: URLSearchParams, name: Param): number | string {
  const raw = q.get(name)
  if (raw === null || raw === '') return DEFAULTS[name]
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 0 || n > LIMITS[name]) return `${name}=${raw}: expected an integer 0..${LIMITS[name]}`
  return n
}

function pctParam(q: URLSearchParams, name: Param): number | string {
  const raw = q.get(name)
  if (raw === null || raw === '') return DEFAULTS[name]
  const n = Number(raw)
  if (!Number.isFinite(n) || n < 0 || n > LIMITS[name]) return `${name}=${raw}: expected a percentage 0..${LIMITS[name]}`
  return n
}

/**
 * Routes a request by method and target (`/path?query`); absent parameters
 * take their defaults, out-of-bounds ones answer 400 (lab/contract/bounds.json).
 */
export function route(method: string, target: string): Route {
  const q = target.indexOf('?')
  const path = q < 0 ? target : target.slice(0, q)
  if (path.startsWith('/static/')) {
    if (method !== 'GET' && method !== 'HEAD') return { kind: 'error', status: 405, message: `${method} not allowed` }
    return { kind: 'static', target }
  }
  if (path !== '/work' && path !== '/health' && path !== '/stream') return { kind: 'error', status: 404, message: `no route ${path}` }
  // POST /work: the handler reads the whole body itself, then answers as GET does
  const allowed = method === 'GET' || method === 'HEAD' || (method === 'POST' && path === '/work')
  if (!allowed) return { kind: 'error', status: 405, message: `${method} not allowed` }
  if (path === '/health') return { kind: 'health' }
  const query = new URLSearchParams(q < 0 ? '' : target.slice(q + 1))
  if (path === '/stream') {
    const events = intParam(query, 'events')
    const intervalMs = intParam(query, 'interval_ms')
    for (const v of [events, intervalMs]) if (typeof v === 'string') return { kind: 'error', status: 400, message: v }
    return { kind: 'stream', events: events as number, intervalMs: intervalMs as number }
  }
  const ioMs = intParam(query, 'io_ms')
  const cpuMs = intParam(query, 'cpu_ms')
  const bytes = intParam(query, 'bytes')
  const crashPct = pctParam(query, 'crash_pct')
  const hangPct = pctParam(query, 'hang_pct')
  const leakKb = intParam(query, 'leak_kb')
  for (const v of [ioMs, cpuMs, bytes, crashPct, hangPct, leakKb]) if (typeof v === 'string') return { kind: 'error', status: 400, message: v }
  return { kind: 'work', ioMs: ioMs as number, cpuMs: cpuMs as number, bytes: bytes as number, crashPct: crashPct as number, hangPct: hangPct as number, ...(leakKb ? { leakKb: leakKb as number } : {}) }
}

const files = new Map<string, { mtimeMs: number; size: number; data: Buffer }>()

/**
 * A static file for `GET /static/<file>`, read from `dir` (synchronously: a
 * sync worker blocks on its disk reads like a WSGI app serving files; kept in
 * memory while unchanged, as the page cache would keep it).
 * @returns the body and its content type, or undefined when there is no such file (404)
 */
export function readStatic(target: string, dir: string | undefined): { body: Buffer; type: string } | undefined {
  if (!dir) return undefined
  const file = staticFile(target, dir, nodePath.join)
  if (!file) return undefined
  try {
    const st = fs.statSync(file)
    if (!st.isFile()) return undefined
    let cached = files.get(file)
    if (!cached || cached.mtimeMs !== st.mtimeMs || cached.size !== st.size) {
      cached = { mtimeMs: st.mtimeMs, size: st.size, data: fs.readFileSync(file) }
      if (files.size >= 64) files.delete(files.keys().next().value as string)
      files.set(file, cached)
    }
    return { body: cached.data, type: contentType(file) }
  } catch {
    return undefined
  }
}

/** What each kind of fault has accrued in this process since it last fired, percent (see {@link chance}). */
const owed = new Map<FaultKind, number>()

/** The injected faults of `/work`: `crash_pct` and `hang_pct`. */
export type FaultKind = 'crash' | 'hang'

/**
 * Decides, for one request, whether the injected fault `kind` happens: on
 * `pct` % of this process's requests that ask for it, evenly spaced after
 * the first (every 100 / pct-th: 5 % is every 20th). The first comes after
 * a random number of requests between half and one and a half spacings
 * (5 %: 10 to 30, 20 on average), so that the workers of a pool do not
 * fault in step and a worker that lives only until its first crash or hang
 * serves 100 / pct requests on average, as with a coin per request. Coins
 * would make the count in a window binomial (at 20 expected hangs ± 22 %,
 * which moved worker-timeout's answered req/s by ± 25 % from run to run):
 * a worker's life in requests has σ ≈ 29 % of its mean here, ≈ 100 % with
 * coins (docs/workload-contract.md, "Fault injection").
 * @param pct - percent 0..100; 0 never fires and leaves the count alone
 */
export function chance(pct: number, kind: FaultKind): boolean {
  if (!(pct > 0)) return false
  // the first fault at request ⌈(100 − start) / pct⌉: uniform start over [pct / 2 − 50, pct / 2 + 50) puts it 10 to 30 requests in at 5 %, 20 on average, and on the first at 100 %
  const due = (owed.get(kind) ?? Math.random() * 100 - 50 + pct / 2) + pct
  const fires = due >= 100
  owed.set(kind, fires ? due - 100 : due)
  return fires
}

/** One server-sent event: `data: <i>` and a blank line (HTML Living Standard, "Server-sent events"). */
export function sseEvent(i: number): Buffer {
  return Buffer.from(`data: ${i}\n\n`)
}

let sink = 0

/**
 * Burns `ms` milliseconds of this process's CPU time (user + system, from
 * `process.cpuUsage()`), not wall time: with more busy processes than cores a
 * wall-clock loop is preempted and counts its waiting as work (docs/measurement.md, "CPU time, not wall time").
 */
export function burnCpu(ms: number): void {
  if (ms <= 0) return
  const start = process.cpuUsage()
  const goalUs = ms * 1000
  for (;;) {
    for (let i = 1; i < 2000; i++) sink += Math.sqrt(i)
    const used = process.cpuUsage(start)
    if (used.user + used.system >= goalUs) break
  }
  if (sink === -1) console.log(sink)
}

const bodies = new Map<number, Buffer>()

/** A body of `bytes` bytes (`x` repeated, newline-terminated when it has room); cached per size. */
export function body(bytes: number): Buffer {
  let b = bodies.get(bytes)
  if (!b) {
    b = Buffer.alloc(bytes, 'x')
    if (bytes > 0) b[bytes - 1] = 0x0a
    if (bodies.size > 32) bodies.clear()
    bodies.set(bytes, b)
  }
  return b
}

/** The reason phrase of the statuses the built-in servers send. */
export const REASON: Record<number, string> = {
  200: 'OK',
  503: 'Service Unavailable',
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  431: 'Request Header Fields Too Large',
  501: 'Not Implemented',
}

/** Reads `LAB_SERVER_CONFIG`. @throws Error when it is missing or not JSON. */
export function readConfig(): BuiltinServerConfig {
  const raw = process.env.LAB_SERVER_CONFIG
  if (!raw) throw new Error('LAB_SERVER_CONFIG is not set; built-in servers are started by the lab')
  return JSON.parse(raw) as BuiltinServerConfig
}
