/**
 * The built-in async server (`model: 'event-loop'`): one process, one event
 * loop, keep-alive on (like Uvicorn, whose keep-alive timeout is 5 s).
 * `io_ms` is a timer, so waits overlap; `cpu_ms` runs on the loop and blocks
 * every other request meanwhile (that is the lesson).
 *
 * Every request runs as a task from a ready queue, in batches, as asyncio and
 * uvloop run their ready callbacks (see {@link callSoon}); `POST /work` reads
 * the whole body first, as an ASGI app reads its `http.request` messages.
 *
 * Started by the lab with `LAB_SERVER_CONFIG`; reports `{type:'ready', port}`
 * over IPC once listening on 127.0.0.1 (port 0). Exits on SIGTERM, SIGINT or
 * when its parent goes away.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import type { ServerMessage } from '../contract/workload.js'
import { REASON, body, burnCpu, chance, readConfig, readStatic, route, sseEvent } from './workload.js'

const config = readConfig()
const keepAlive = config.keepAlive
const pid = String(process.pid)

function send(res: http.ServerResponse, status: number, payload: Buffer, type = 'text/plain', close = !keepAlive): void {
  afterBatch(() => {
    if (res.destroyed) return // the client left meanwhile
    res.writeHead(status, REASON[status], {
      'Content-Type': type,
      'Content-Length': payload.length,
      'X-Worker': pid,
      ...(close ? { Connection: 'close' } : {}),
    })
    res.end(payload)
  })
}

// The ready queue, asyncio's `_ready`. CPython's `BaseEventLoop._run_once`
// (Lib/asyncio/base_events.py, 3.11) polls for I/O, then runs the callbacks
// ready at that moment (`ntodo = len(self._ready)`), every one of them, and
// only then polls again; callbacks made ready meanwhile wait for the next
// turn. uvloop 0.17 does the same (`Loop._on_idle`, uvloop/loop.pyx), and
// holds the small writes the batch made (below the transport's high-water
// mark) until the batch ends (`_exec_queued_writes`). Uvicorn 0.17.6 starts
// one task per request from its parser callback (`create_task` in
// `on_headers_complete`), so a request read by one poll runs in the batch
// after it, behind every other request that poll read, and its answer leaves
// when that batch ends. Here the request handler (Node's poll phase) queues
// the task, the batch runs in one `setImmediate` (the check phase, before the
// next poll), and the answers are written when the batch ends.
//
// One difference is Node's own: its libuv (1.46) accepts one new connection
// per turn of the loop (libuv #3696, "don't accept() connections in a
// loop"), where Debian's libuv 1.44 under uvloop accepts every waiting one at
// once. So while the last turn accepted a connection, the batch waits a turn
// (at most MAX_ACCEPT_TURNS turns in a row), and a crowd of new connections
// is taken in before the work, as uvloop takes it; measured with 128
// connections and 10 ms jobs, without this only 72 had been answered once
// after 6 s.
const MAX_ACCEPT_TURNS = 128
let acceptedThisTurn = false
let acceptTurns = 0
let ready: Array<() => void> = []
let writes: Array<() => void> = []
let inBatch = false
function runBatch(): void {
  if (acceptedThisTurn && acceptTurns < MAX_ACCEPT_TURNS) {
    acceptedThisTurn = false
    acceptTurns++
    setImmediate(runBatch)
    return
  }
  acceptedThisTurn = false
  acceptTurns = 0
  const batch = ready
  ready = []
  inBatch = true
  for (const task of batch) task()
  inBatch = false
  const out = writes
  writes = []
  for (const write of out) write()
}
/** Queues `task` for the next batch (asyncio `loop.call_soon`). */
function callSoon(task: () => void): void {
  ready.push(task)
  if (ready.length === 1) setImmediate(runBatch)
}
/** Runs `write` when the batch in progress ends (at once outside a batch), as uvloop flushes its queued writes. */
function afterBatch(write: () => void): void {
  if (inBatch) writes.push(write)
  else write()
}

let inFlight = 0
const limit = config.limitConcurrency ?? 0

/** One request, run as a task: the app's first step, up to its first wait. */
function handle(req: http.IncomingMessage, res: http.ServerResponse, shed: boolean): void {
  const method = req.method ?? 'GET'
  const r = route(method, req.url ?? '/')
  if (r.kind === 'health') return send(res, 200, Buffer.from('ok'))
  if (r.kind === 'error') return send(res, r.status, Buffer.from(r.message + '\n'))
  if (r.kind === 'static') {
    const file = readStatic(r.target, config.staticDir)
    return file ? send(res, 200, file.body, file.type) : send(res, 404, Buffer.from('no such file\n'))
  }
  // Uvicorn --limit-concurrency answers 503 with `connection: close` and closes
  // (uvicorn/protocols/http/flow_control.py, `service_unavailable`, 0.17.6)
  if (shed) return send(res, 503, Buffer.from('over capacity\n'), 'text/plain', true)
  if (r.kind === 'stream') return stream(res, r.events, r.intervalMs)
  const work = () => {
    if (chance(r.crashPct, 'crash')) process.exit(70) // a crash takes the only process with it: there is no master to respawn it
    if (chance(r.hangPct, 'hang')) return // a hung handler: this request never gets an answer, the others go on
    const finish = () => {
      burnCpu(r.cpuMs) // blocks the loop: nothing else runs meanwhile
      send(res, 200, body(r.bytes))
    }
    if (r.ioMs > 0) setTimeout(() => callSoon(finish), r.ioMs) // yields: other requests run meanwhile
    else finish()
  }
  if (method !== 'POST') return work()
  // an ASGI app awaits the body's messages: each chunk is read by a poll, the rest runs in a later batch
  req.on('data', () => {})
  req.once('end', () => callSoon(work))
}

const server = http.createServer({ keepAliveTimeout: 5000 }, (req, res) => {
  // Like Uvicorn, decide at the request's head (`on_headers_complete`) whether it is over the limit,
  // counting requests in progress (Uvicorn counts its open connections too; see scenarios/overload)
  const shed = limit > 0 && inFlight >= limit
  if (!shed) {
    inFlight++
    res.once('close', () => inFlight--)
  }
  callSoon(() => handle(req, res, shed))
})

/** A server-sent events stream: one timer per stream, so the loop holds many at once. */
function stream(res: http.ServerResponse, events: number, intervalMs: number): void {
  afterBatch(() => res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', 'X-Worker': pid }))
  let sent = 0
  const timer = setInterval(
    () =>
      callSoon(() => {
        if (sent >= events) return
        const event = sseEvent(sent++)
        const last = sent >= events
        if (last) clearInterval(timer)
        afterBatch(() => (last ? res.end(event) : res.write(event)))
      }),
    intervalMs,
  )
  res.once('close', () => clearInterval(timer))
}

server.on('connection', () => (acceptedThisTurn = true))

/**
 * `GET /ws?room=N`: a WebSocket broadcast room (the `ws` library, RFC 6455).
 * Every text message is relayed to every open socket of its room, the
 * sender's included; each socket costs the loop only its buffers.
 */
const rooms = new Map<string, Set<WebSocket>>()
const wss = new WebSocketServer({ server, path: '/ws', perMessageDeflate: false })
wss.on('connection', (ws, req) => {
  const room = new URL(req.url ?? '/', 'http://x').searchParams.get('room') ?? '0'
  const members = rooms.get(room) ?? new Set<WebSocket>()
  rooms.set(room, members)
  members.add(ws)
  ws.on('message', (data, isBinary) => {
    for (const m of members) if (m.readyState === m.OPEN) m.send(data, { binary: isBinary })
  })
  ws.on('close', () => members.delete(ws))
  ws.on('error', () => ws.terminate())
})

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
