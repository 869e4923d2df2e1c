/**
 * The built-in async server (`model: 'event-loop'`): one process, one event
 * loop, keep-alive on (like Uvicorn, whose keep-alive timeout is 5 s).
 * `io_ms` is a timer, so waits overlap; `cpu_ms` runs on the loop and blocks
 * every other request meanwhile (that is the lesson).
 *
 * Started by the lab with `LAB_SERVER_CONFIG`; reports `{type:'ready', port}`
 * over IPC once listening on 127.0.0.1 (port 0). Exits on SIGTERM, SIGINT or
 * when its parent goes away.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { ServerMessage } from '../contract/workload.js'
import { REASON, body, burnCpu, chance, readConfig, readStatic, route, sseEvent } from './workload.js'

const config = readConfig()
const keepAlive = config.keepAlive
const pid = String(process.pid)

function send(res: http.ServerResponse, status: number, payload: Buffer, type = 'text/plain'): void {
  res.writeHead(status, REASON[status], {
    'Content-Type': type,
    'Content-Length': payload.length,
    'X-Worker': pid,
    ...(keepAlive ? {} : { Connection: 'close' }),
  })
  res.end(payload)
}

// CPU work runs from a FIFO queue, one job per turn of the loop, so the loop
// polls for I/O between jobs the way asyncio runs ready callbacks, then polls.
// Running it inside the request handler instead starves new connections: Node
// 20's libuv accepts one connection per loop iteration, and measured with 64
// connections at 10 ms CPU each, the 64th connection was accepted only after
// 2.9 s, so a closed loop never reached steady state.
const jobs: Array<() => void> = []
let scheduled = false
function runNext(): void {
  scheduled = false
  jobs.shift()?.()
  if (jobs.length > 0) {
    scheduled = true
    setImmediate(runNext)
  }
}
function enqueue(job: () => void): void {
  jobs.push(job)
  if (!scheduled) {
    scheduled = true
    setImmediate(runNext)
  }
}

let inFlight = 0
const limit = config.limitConcurrency ?? 0

const server = http.createServer({ keepAliveTimeout: 5000 }, (req, res) => {
  const r = route(req.method ?? 'GET', req.url ?? '/')
  if (r.kind === 'health') return send(res, 200, Buffer.from('ok'))
  if (r.kind === 'error') return send(res, r.status, Buffer.from(r.message + '\n'))
  if (r.kind === 'static') {
    const file = readStatic(r.target, config.staticDir)
    return file ? send(res, 200, file.body, file.type) : send(res, 404, Buffer.from('no such file\n'))
  }
  // Uvicorn --limit-concurrency: past the limit, answer 503 at once instead of queueing
  if (limit > 0 && inFlight >= limit) return send(res, 503, Buffer.from('over capacity\n'))
  inFlight++
  res.once('close', () => inFlight--)
  if (r.kind === 'stream') return stream(res, r.events, r.intervalMs)
  if (chance(r.crashPct)) process.exit(70) // a crash takes the only process with it: there is no master to respawn it
  if (chance(r.hangPct)) return // a hung handler: this request never gets an answer, the others go on
  const finish =
    r.cpuMs > 0
      ? () =>
          enqueue(() => {
            burnCpu(r.cpuMs) // blocks the loop: nothing else runs meanwhile
            send(res, 200, body(r.bytes))
          })
      : () => send(res, 200, body(r.bytes))
  if (r.ioMs > 0) setTimeout(finish, r.ioMs) // yields: other requests run meanwhile
  else finish()
})

/** A server-sent events stream: one timer per stream, so the loop holds many at once. */
function stream(res: http.ServerResponse, events: number, intervalMs: number): void {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', 'X-Worker': pid })
  let sent = 0
  const timer = setInterval(() => {
    res.write(sseEvent(sent++))
    if (sent >= events) {
      clearInterval(timer)
      res.end()
    }
  }, intervalMs)
  res.once('close', () => clearInterval(timer))
}

server.listen({ port: 0, host: '127.0.0.1', backlog: config.backlog }, () => {
  const { port } = server.address() as AddressInfo
  const ready: ServerMessage = { type: 'ready', port, processes: [{ pid: process.pid, role: 'server' }] }
  process.send?.(ready)
})

function stop(): void {
  server.close(() => process.exit(0))
  server.closeAllConnections()
  setTimeout(() => process.exit(0), 2000).unref()
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
process.on('disconnect', stop)
