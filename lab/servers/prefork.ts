/**
 * The built-in sync pre-fork server (`model: 'prefork'`), modelled on
 * Gunicorn's arbiter and `sync` worker (Gunicorn docs, "Design"):
 *
 * - the **master** (arbiter) forks W workers, keeps W alive (a worker that
 *   exits is replaced and logged), kills and replaces a worker busy longer than
 *   `timeout_s` (Gunicorn `--timeout`, default 30), on SIGHUP starts new
 *   workers and stops the old ones gracefully (Gunicorn's reload), and on
 *   SIGTERM stops the workers gracefully, then exits;
 * - each **worker** accepts ONE connection from the shared listening socket,
 *   serves it synchronously (blocking reads, a blocking wait, CPU burn,
 *   blocking writes) and closes it, then accepts the next. It parses the
 *   request head, then runs the handler, which reads the body itself (only
 *   `POST /work` does), as Gunicorn's sync worker leaves `wsgi.input` to the
 *   application (lab/servers/sync-http.ts). While it is busy it
 *   does not accept, so waiting connections queue in the kernel's accept
 *   backlog (`backlog`, Gunicorn default 2048), not inside a busy worker.
 *
 * How a Node process gets Gunicorn's accept loop: with node:cluster's
 * SCHED_NONE every worker listens on the same socket. libuv calls the
 * 'connection' handler once per accepted socket and accepts the next one only
 * after the handler returns; the handler here serves the whole connection
 * before returning, so a worker holds at most one connection at a time.
 *
 * node:cluster closes the shared socket when its last worker exits, which
 * would refuse connections whenever every worker is dead at once (a crash
 * storm, hung workers killed together); Gunicorn's arbiter keeps its socket
 * open, so clients wait in the backlog instead. To keep that, the master
 * starts a "socket keeper" first: a cluster worker that listens on the socket
 * and then blocks forever without accepting anything, so the socket outlives
 * every worker. It does no work and is not counted among the workers.
 *
 * Worker state (busy since, requests served) lives in a small file shared
 * with the master (like Gunicorn's per-worker temp file), written with one
 * pwrite per change and read by the master to find hung workers and to answer
 * `{type:'status'}` from the lab.
 */
import cluster, { type Worker } from 'node:cluster'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { BlockingRequestReader } from './sync-http.js'
import { freePort } from '../contract/ports.js'
import type { ServerMessage } from '../contract/workload.js'
import { REASON, body, burnCpu, chance, readConfig, readStatic, route, sseEvent } from './workload.js'

const config = readConfig()
const SLOT_BYTES = 24 // Float64 ×3: busySinceMs (0 = idle), requests, pid
const statePath = path.join(config.stateDir, `prefork-${cluster.isPrimary ? process.pid : process.ppid}.state`)

if (cluster.isPrimary) void master()
else worker()

// ---------------------------------------------------------------- master ---

function log(message: string): void {
  process.stderr.write(`[master ${process.pid}] ${message}\n`)
}

function tell(message: ServerMessage): void {
  if (process.connected) process.send?.(message)
}

async function master(): Promise<void> {
  cluster.schedulingPolicy = cluster.SCHED_NONE
  fs.writeFileSync(statePath, Buffer.alloc(SLOT_BYTES * config.workers))
  const stateFd = fs.openSync(statePath, 'r')
  const port = config.port ?? (await freePort())
  const slots: Array<Worker | undefined> = new Array(config.workers).fill(undefined)
  const timedOut = new Set<number>()
  let stopping = false
  let readySent = false
  const listening = new Set<Worker>()

  const processes = () => [
    { pid: process.pid, role: 'master' as const },
    ...slots.filter((w): w is Worker => !!w?.process.pid).map((w) => ({ pid: w.process.pid as number, role: 'worker' as const })),
  ]

  const readState = () => {
    const buf = Buffer.alloc(SLOT_BYTES * config.workers)
    fs.readSync(stateFd, buf, 0, buf.length, 0)
    const f = new Float64Array(buf.buffer, buf.byteOffset, buf.length / 8)
    return slots.map((w, i) => ({
      pid: w?.process.pid ?? 0,
      busySince: f[i * 3] ?? 0,
      requests: f[i * 3 + 1] ?? 0,
      statePid: f[i * 3 + 2] ?? 0,
    }))
  }

  // a worker is listening once it listens on every address: 127.0.0.1, and the link's when there is one
  const addresses = config.alsoListen ? 2 : 1
  const spawn = (slot: number, respawn: boolean) => {
    const w = cluster.fork({ LAB_SLOT: String(slot), LAB_PORT: String(port) })
    slots[slot] = w
    let heard = 0
    w.on('listening', () => {
      if (++heard < addresses) return
      listening.add(w)
      if (respawn) {
        log(`booted worker ${w.process.pid} in slot ${slot}`)
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
    const pid = w.process.pid as number
    listening.delete(w)
    if (retired.delete(w)) tell({ type: 'event', kind: 'worker-exit', pid, message: `old worker ${pid} finished and exited (reload)` })
    if (slot < 0) return
    slots[slot] = undefined
    if (stopping) {
      if (slots.every((s) => s === undefined)) finish()
      return
    }
    const why = timedOut.delete(pid) ? 'killed after timeout' : signal ? `killed by ${signal}` : code === 0 ? 'exited after max_requests (recycled)' : `exited with code ${code}`
    log(`worker ${pid} ${why}; starting a new one`)
    tell({ type: 'event', kind: 'worker-exit', pid, message: `worker ${pid} ${why}` })
    spawn(slot, true)
  })

  // Gunicorn's arbiter checks its workers about once a second ("murder_workers").
  const watchdog = setInterval(() => {
    const now = Date.now()
    for (const s of readState()) {
      if (s.busySince > 0 && s.statePid === s.pid && now - s.busySince > config.timeout_s * 1000 && !timedOut.has(s.pid)) {
        timedOut.add(s.pid)
        log(`WORKER TIMEOUT (pid:${s.pid}) busy for ${((now - s.busySince) / 1000).toFixed(1)} s > ${config.timeout_s} s`)
        tell({ type: 'event', kind: 'worker-timeout', pid: s.pid, message: `worker ${s.pid} busy over ${config.timeout_s} s; killed` })
        try {
          process.kill(s.pid, 'SIGKILL')
        } catch {
          // already gone
        }
      }
    }
  }, Math.min(1000, (config.timeout_s * 1000) / 4))

  process.on('message', (m: { type?: string }) => {
    if (m?.type === 'status') {
      tell({
        type: 'status',
        workers: readState()
          .filter((s) => s.pid > 0)
          .map((s) => ({ pid: s.pid, busy: s.busySince > 0 && s.statePid === s.pid, requests: s.statePid === s.pid ? s.requests : 0 })),
      })
    }
  })

  function finish(): void {
    clearInterval(watchdog)
    try {
      fs.closeSync(stateFd)
      fs.rmSync(statePath, { force: true })
    } catch {
      // best effort
    }
    process.exit(0)
  }

  // SIGHUP, as Gunicorn's arbiter handles it (docs/source/signals.rst and arbiter.py `reload`, 20.1): start
  // a new set of workers, then stop the old ones gracefully: each finishes the request it is serving, then
  // exits. The listening socket stays open throughout, so clients wait in the backlog and none is refused.
  const retired = new Set<Worker>()
  process.on('SIGHUP', () => {
    if (stopping) return
    log('Handling signal: hup; starting new workers, stopping the old ones gracefully')
    const old = slots.filter((w): w is Worker => !!w)
    for (let i = 0; i < slots.length; i++) spawn(i, true)
    for (const w of old) {
      retired.add(w)
      w.process.kill('SIGTERM')
    }
  })

  const stop = () => {
    if (stopping) return
    stopping = true
    for (const w of slots) if (w?.process.pid) process.kill(w.process.pid, 'SIGTERM')
    if (slots.every((s) => s === undefined)) finish()
    // Gunicorn waits `graceful_timeout` (30 s); the lab's runner kills the group sooner.
    setTimeout(() => {
      for (const w of slots) if (w?.process.pid) w.process.kill('SIGKILL')
      finish()
    }, 30_000).unref()
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
  process.on('disconnect', stop)

  let keeper: Worker | undefined
  const startKeeper = () =>
    new Promise<void>((resolve) => {
      keeper = cluster.fork({ LAB_KEEPER: '1', LAB_PORT: String(port) })
      let heard = 0
      keeper.on('listening', () => ++heard === addresses && resolve())
    })
  cluster.on('exit', (w) => {
    if (w === keeper && !stopping) {
      log('the socket keeper exited; starting another')
      void startKeeper()
    }
  })
  const killKeeper = () => keeper?.process.kill('SIGKILL')
  process.on('exit', killKeeper)

  await startKeeper()
  for (let i = 0; i < config.workers; i++) spawn(i, false)
}

// ---------------------------------------------------------------- worker ---

interface StreamHandle {
  fd: number
  setBlocking(blocking: boolean): number
}

function keepSocket(): void {
  // The keeper must never hold a client's connection: during a restart clients connect as soon as the port
  // listens, and one the keeper accepted would wait forever. A connection it did accept is closed at once, so
  // the client sees an error, not a hang.
  const hosts = ['127.0.0.1', ...(config.alsoListen ? [config.alsoListen] : [])]
  let left = hosts.length
  for (const host of hosts) {
    const server = net.createServer((socket) => socket.destroy())
    server.listen({ port: Number(process.env.LAB_PORT), host, backlog: config.backlog }, () => {
      // Cluster tells the master we listen in this same 'listening' event, after this callback (a synchronous
      // IPC write). Blocking on the next tick, once every address listens, leaves the event loop no turn in
      // which to poll the sockets and accept.
      if (--left === 0) process.nextTick(() => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0))
    })
  }
}

function worker(): void {
  if (process.env.LAB_KEEPER) return keepSocket()
  const slot = Number(process.env.LAB_SLOT)
  const port = Number(process.env.LAB_PORT)
  const stateFd = fs.openSync(statePath, 'r+')
  const state = new Float64Array(3)
  const stateBuf = Buffer.from(state.buffer)
  const sleeper = new Int32Array(new SharedArrayBuffer(4))
  const xWorker = String(process.pid)
  state[2] = process.pid
  // Gunicorn's sync worker: after `max_requests` (+ a random 0..jitter, drawn once at boot) it exits after the
  // current request and the master replaces it (gunicorn/workers/base.py, 20.1).
  const maxRequests = config.maxRequests ? config.maxRequests + Math.floor(Math.random() * ((config.maxRequestsJitter ?? 0) + 1)) : Infinity
  const leaked: Buffer[] = []

  const publish = (busySince: number) => {
    state[0] = busySince
    fs.writeSync(stateFd, stateBuf, 0, SLOT_BYTES, slot * SLOT_BYTES)
  }
  publish(0)

  const writeAll = (fd: number, parts: Buffer[]) => {
    let rest = parts.filter((p) => p.length > 0)
    while (rest.length) {
      let n = fs.writevSync(fd, rest)
      const next: Buffer[] = []
      for (const p of rest) {
        if (n >= p.length) n -= p.length
        else {
          next.push(p.subarray(n))
          n = 0
        }
      }
      rest = next
    }
  }

  const respond = (fd: number, status: number, payload: Buffer, keep: boolean, head = false, type = 'text/plain') => {
    const headers =
      `HTTP/1.1 ${status} ${REASON[status] ?? ''}\r\n` +
      `Content-Type: ${type}\r\nContent-Length: ${payload.length}\r\n` +
      `X-Worker: ${xWorker}\r\nConnection: ${keep ? 'keep-alive' : 'close'}\r\n\r\n`
    writeAll(fd, head ? [Buffer.from(headers, 'latin1')] : [Buffer.from(headers, 'latin1'), payload])
  }

  /** Serves one connection to the end, synchronously. */
  const serve = (fd: number) => {
    const reader = new BlockingRequestReader((into) => fs.readSync(fd, into, 0, into.length, null))
    for (;;) {
      const head = reader.head()
      if (head === undefined) return // the client closed
      if ('status' in head) return respond(fd, head.status, Buffer.from(head.message + '\n'), false)
      const { method, target, version, connection } = head
      let keep =
        config.keepAlive && (version === 'HTTP/1.1' ? !connection.includes('close') : connection.includes('keep-alive'))
      const r = route(method, target)
      // The body is the handler's to read, as WSGI leaves wsgi.input to the app: only POST /work
      // reads it, and a body nobody read ends the connection after the answer (Gunicorn's sync
      // worker closes every connection anyway).
      if (r.kind === 'work' && method === 'POST') {
        const read = reader.readBody(head)
        if (read === undefined) return
        if (typeof read !== 'number') return respond(fd, read.status, Buffer.from(read.message + '\n'), false)
      } else if (head.body.kind !== 'none') keep = false

      state[1] = (state[1] ?? 0) + 1
      if (r.kind === 'health') respond(fd, 200, Buffer.from('ok'), keep, method === 'HEAD')
      else if (r.kind === 'error') respond(fd, r.status, Buffer.from(r.message + '\n'), keep)
      else if (r.kind === 'static') {
        // the worker reads and writes the file itself, held for the whole transfer
        const file = readStatic(target, config.staticDir)
        if (file) respond(fd, 200, file.body, keep, method === 'HEAD', file.type)
        else respond(fd, 404, Buffer.from('no such file\n'), keep)
      }
      else if (r.kind === 'stream') {
        // a sync worker is pinned to a stream for its whole life
        writeAll(fd, [Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nX-Worker: ${xWorker}\r\nConnection: close\r\n\r\n`, 'latin1')])
        for (let i = 0; i < r.events; i++) {
          Atomics.wait(sleeper, 0, 0, r.intervalMs)
          writeAll(fd, [sseEvent(i)])
        }
        return
      } else {
        if (chance(r.crashPct, 'crash')) process.exit(70) // the worker dies mid-request; the master starts another
        if (chance(r.hangPct, 'hang')) Atomics.wait(sleeper, 0, 0) // hangs until the master kills it after timeout_s
        if (r.leakKb) leaked.push(Buffer.alloc(r.leakKb * 1024, 1)) // filled, so the pages count in RSS
        if (r.ioMs > 0) Atomics.wait(sleeper, 0, 0, r.ioMs) // blocks this worker, like time.sleep in WSGI
        burnCpu(r.cpuMs)
        respond(fd, 200, body(r.bytes), keep, method === 'HEAD')
      }
      if (!keep) return
      publish(Date.now()) // still held by this connection, waiting for its next request
    }
  }

  const onConnection = (socket: net.Socket) => {
    publish(Date.now())
    const handle = (socket as unknown as { _handle: StreamHandle })._handle
    try {
      handle.setBlocking(true)
      serve(handle.fd)
    } catch {
      // the client went away (ECONNRESET, EPIPE): nothing to answer
    } finally {
      socket.destroy()
      publish(0)
    }
    if ((state[1] ?? 0) >= maxRequests) {
      process.stderr.write(`[worker ${process.pid}] Autorestarting worker after current request (${state[1]} served)\n`)
      process.exit(0)
    }
  }
  // one connection at a time across both addresses: `serve` blocks the worker whichever socket it came from
  const servers = ['127.0.0.1', ...(config.alsoListen ? [config.alsoListen] : [])].map((host) =>
    net.createServer({ pauseOnConnect: true }, onConnection).listen({ port, host, backlog: config.backlog }),
  )

  // Signals are handled between requests only: a sync worker finishes what it is doing first.
  let open = servers.length
  const stop = () => servers.forEach((s) => s.close(() => --open === 0 && process.exit(0)))
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}
