/**
 * The built-in threaded server (`model: 'threaded'`, `--stack node`): W
 * processes × T threads with one interpreter lock per process, modelled on
 * Gunicorn's gthread worker, uWSGI's `--processes W --threads T` and
 * mod_wsgi's `WSGIDaemonProcess processes=W threads=T` under CPython's GIL.
 *
 * - the **master** forks W workers, replaces one that exits (logged as
 *   `worker-exit` then `worker-spawn`), and on SIGTERM stops them and exits;
 * - each **worker** is one process whose T "threads" are T request slots: a
 *   request takes a free slot (or waits, first come first served, in the
 *   process's queue, as gthread's accepted connections wait for its thread
 *   pool), holds it for its wait (`io_ms`, a timer: waits of different slots
 *   overlap, as a thread in `time.sleep` releases the GIL), then burns its
 *   `cpu_ms` on the process's one JavaScript thread (so CPU work of one
 *   process runs one request at a time, as Python bytecode does under the
 *   GIL), answers, and frees the slot.
 *
 * The master accepts and hands connections to the workers in turn
 * (node:cluster's SCHED_RR). A worker accepting for itself (SCHED_NONE, as the
 * built-in pre-fork server does) would take every connection that arrives
 * while it is idle, as Gunicorn's gthread worker does (it accepts up to
 * `--worker-connections`), leaving the other processes idle: measured here, 7
 * of 8 simultaneous connections went to one of 2 workers. The hand-off costs
 * the master CPU per connection (an IPC message carrying the socket): the
 * calibrated hello-world cost was about 2 ms of CPU per response on a loaded
 * 2-core machine, against well under 1 ms for the pre-fork server, so it
 * shows in cheap requests, not in 10 ms of work. Keep-alive is off
 * unless the part turns it on: every answer says `Connection: close`, so each
 * request is a new connection, handed to the next process.
 *
 * What it leaves out of a real GIL: CPython forces a switch every 5 ms
 * (`sys.getswitchinterval()`), so a long CPU burn is sliced and interleaved
 * with other threads; here one request's burn runs to its end. Throughput is
 * the same; latencies of CPU-heavy mixes differ (scenarios/threads-and-the-gil).
 *
 * Started by the lab with `LAB_SERVER_CONFIG` (`workers`, `threads`, ...);
 * reports `{type:'ready', port, processes}` once every worker listens.
 */
import cluster, { type Worker } from 'node:cluster'
import http from 'node:http'
import type { ServerMessage } from '../contract/workload.js'
import { freePort } from '../contract/ports.js'
import { REASON, body, burnCpu, chance, readConfig, readStatic, route, sseEvent } from './workload.js'

const config = readConfig()
const threads = Math.max(1, config.threads ?? 1)

if (cluster.isPrimary) void master()
else worker()

function tell(message: ServerMessage): void {
  if (process.connected) process.send?.(message)
}

async function master(): Promise<void> {
  cluster.schedulingPolicy = cluster.SCHED_RR
  const port = config.port ?? (await freePort())
  const slots: Array<Worker | undefined> = new Array(config.workers).fill(undefined)
  const listening = new Set<Worker>()
  let stopping = false
  let readySent = false
  const processes = () => [
    { pid: process.pid, role: 'master' as const },
    ...slots.filter((w): w is Worker => !!w?.process.pid).map((w) => ({ pid: w.process.pid as number, role: 'worker' as const })),
  ]
  const spawn = (slot: number, respawn: boolean) => {
    const w = cluster.fork({ LAB_PORT: String(port) })
    slots[slot] = w
    w.on('listening', () => {
      listening.add(w)
      if (respawn) {
        tell({ type: 'event', kind: 'worker-spawn', pid: w.process.pid as number, message: `worker ${w.process.pid} booted` })
        tell({ type: 'processes', processes: processes() })
      }
      if (!readySent && slots.every((s) => s && listening.has(s))) {
        readySent = true
        tell({ type: 'ready', port, processes: processes() })
      }
    })
  }
  cluster.on('exit', (w, code, signal) => {
    const slot = slots.indexOf(w)
    listening.delete(w)
    if (slot < 0) return
    slots[slot] = undefined
    if (stopping) {
      if (slots.every((s) => s === undefined)) process.exit(0)
      return
    }
    const pid = w.process.pid as number
    tell({ type: 'event', kind: 'worker-exit', pid, message: `worker ${pid} ${signal ? `killed by ${signal}` : `exited with code ${code}`}` })
    spawn(slot, true)
  })
  const stop = () => {
    if (stopping) return
    stopping = true
    for (const w of slots) w?.process.kill('SIGTERM')
    if (slots.every((s) => s === undefined)) process.exit(0)
    setTimeout(() => process.exit(0), 3000).unref()
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
  process.on('disconnect', stop)
  for (let i = 0; i < config.workers; i++) spawn(i, false)
}

function worker(): void {
  const pid = String(process.pid)
  let free = threads
  const waiting: Array<() => void> = []
  /** Runs `task` on a free thread, now or when one frees (FIFO); `task` calls the release it is given exactly once. */
  const onThread = (task: (release: () => void) => void) => {
    const run = () => {
      free--
      let done = false
      task(() => {
        if (done) return
        done = true
        free++
        waiting.shift()?.()
      })
    }
    if (free > 0) run()
    else waiting.push(run)
  }

  const send = (res: http.ServerResponse, status: number, payload: Buffer, type = 'text/plain') => {
    if (res.destroyed) return
    res.writeHead(status, REASON[status], { 'Content-Type': type, 'Content-Length': payload.length, 'X-Worker': pid, ...(config.keepAlive ? {} : { Connection: 'close' }) })
    res.end(payload)
  }

  const handle = (req: http.IncomingMessage, res: http.ServerResponse, release: () => void) => {
    // a client that left while its request waited for a thread: 'close' has fired already
    if (res.destroyed || res.closed) return release()
    res.once('close', release) // a client that leaves frees its thread when its handler is done with it
    const r = route(req.method ?? 'GET', req.url ?? '/')
    if (r.kind === 'health') return send(res, 200, Buffer.from('ok'))
    if (r.kind === 'error') return send(res, r.status, Buffer.from(r.message + '\n'))
    if (r.kind === 'static') {
      const file = readStatic(r.target, config.staticDir)
      return file ? send(res, 200, file.body, file.type) : send(res, 404, Buffer.from('no such file\n'))
    }
    if (r.kind === 'stream') {
      // a thread is held by its stream for the stream's whole life
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', 'X-Worker': pid, Connection: 'close' })
      let sent = 0
      const timer = setInterval(() => {
        const last = ++sent >= r.events
        if (last) clearInterval(timer)
        if (last) res.end(sseEvent(sent - 1))
        else res.write(sseEvent(sent - 1))
      }, r.intervalMs)
      res.once('close', () => clearInterval(timer))
      return
    }
    if (chance(r.crashPct, 'crash')) process.exit(70) // the process dies with every request it holds; the master starts another
    if (chance(r.hangPct, 'hang')) {
      res.removeListener('close', release) // a hung thread stays taken, even after its client gives up
      return
    }
    const finish = () => {
      burnCpu(r.cpuMs) // under the "GIL": nothing else of this process runs meanwhile
      send(res, 200, body(r.bytes))
    }
    if (r.ioMs > 0) setTimeout(finish, r.ioMs) // the thread waits; the others run
    else finish()
  }

  const server = http.createServer({ keepAliveTimeout: 2000 }, (req, res) => {
    // the body is read by the thread that serves the request (WSGI's wsgi.input)
    onThread((release) => {
      if (req.method === 'POST') {
        req.on('data', () => {})
        req.once('end', () => handle(req, res, release))
        req.once('error', release)
      } else handle(req, res, release)
    })
  })
  server.listen({ port: Number(process.env.LAB_PORT), host: '127.0.0.1', backlog: config.backlog })
  const stop = () => {
    server.close(() => process.exit(0))
    server.closeAllConnections()
    setTimeout(() => process.exit(0), 2000).unref()
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}
