/**
 * The workload contract shared by the built-in servers (design.md, "The
 * workload contract"):
 *
 * - `GET /work?io_ms=50&cpu_ms=0&bytes=1024`: wait `io_ms`, then burn `cpu_ms`
 *   of CPU time, then answer 200 with `bytes` bytes;
 * - `GET /health`: 200 `ok` at once;
 * - every response carries `X-Worker: <pid>`.
 *
 * How to wait is the server's business (a sync worker blocks, an event loop
 * yields), so this module only routes, burns CPU and builds bodies.
 */

/** Upper bounds of the query parameters; larger values answer 400. */
export const LIMITS = { io_ms: 60_000, cpu_ms: 10_000, bytes: 10_000_000 } as const

/** What a request asks for. */
export type Route =
  | { kind: 'work'; ioMs: number; cpuMs: number; bytes: number }
  | { kind: 'health' }
  | { kind: 'error'; status: 400 | 404 | 405; message: string }

function intParam(q: URLSearchParams, name: keyof typeof LIMITS, fallback: number): number | string {
  const raw = q.get(name)
  if (raw === null || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 0 || n > LIMITS[name]) return `${name}=${raw}: expected an integer 0..${LIMITS[name]}`
  return n
}

/**
 * Routes a request by method and target (`/path?query`).
 * Defaults for `/work`: io_ms 0, cpu_ms 0, bytes 1024.
 */
export function route(method: string, target: string): Route {
  const q = target.indexOf('?')
  const path = q < 0 ? target : target.slice(0, q)
  if (path !== '/work' && path !== '/health') return { kind: 'error', status: 404, message: `no route ${path}` }
  if (method !== 'GET' && method !== 'HEAD') return { kind: 'error', status: 405, message: `${method} not allowed` }
  if (path === '/health') return { kind: 'health' }
  const query = new URLSearchParams(q < 0 ? '' : target.slice(q + 1))
  const ioMs = intParam(query, 'io_ms', 0)
  const cpuMs = intParam(query, 'cpu_ms', 0)
  const bytes = intParam(query, 'bytes', 1024)
  for (const v of [ioMs, cpuMs, bytes]) if (typeof v === 'string') return { kind: 'error', status: 400, message: v }
  return { kind: 'work', ioMs: ioMs as number, cpuMs: cpuMs as number, bytes: bytes as number }
}

let sink = 0

/**
 * Burns `ms` milliseconds of this process's CPU time (user + system, from
 * `process.cpuUsage()`), not wall time: with more busy processes than cores a
 * wall-clock loop is preempted and counts its waiting as work (design.md).
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
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  431: 'Request Header Fields Too Large',
  501: 'Not Implemented',
}

/** Configuration the runner hands a built-in server in `LAB_SERVER_CONFIG` (JSON). */
export interface BuiltinServerConfig {
  workers: number
  timeout_s: number
  backlog: number
  keepAlive: boolean
  /** Folder for the master's worker-state file (created and removed by the runner). */
  stateDir: string
}

/** Reads `LAB_SERVER_CONFIG`. @throws Error when it is missing or not JSON. */
export function readConfig(): BuiltinServerConfig {
  const raw = process.env.LAB_SERVER_CONFIG
  if (!raw) throw new Error('LAB_SERVER_CONFIG is not set; built-in servers are started by the lab')
  return JSON.parse(raw) as BuiltinServerConfig
}

/** Messages a built-in server sends its parent over IPC. */
export type ServerMessage =
  | { type: 'ready'; port: number; processes: Array<{ pid: number; role: 'master' | 'worker' | 'server' }> }
  | { type: 'processes'; processes: Array<{ pid: number; role: 'master' | 'worker' | 'server' }> }
  | { type: 'event'; kind: 'worker-exit' | 'worker-spawn' | 'worker-timeout'; pid: number; message: string }
  | { type: 'status'; workers: Array<{ pid: number; busy: boolean; requests: number }> }
