/**
 * `lab demo [--port N] [--host H] [--open]`: the live classroom page. Starts
 * the demo server (lab/live/server.ts) on 127.0.0.1, prints its URL and serves
 * until Ctrl-C (or SIGTERM, or SIGHUP when its terminal closes), which stops a running run with its processes and
 * closes the server.
 *
 * Bound beyond loopback (`--host 0.0.0.0`, a LAN address), the demo is
 * view-only for everyone without the teacher token it prints at start
 * (lab/live/token.ts): students watch the charts; Run, Stop, Next and Pause
 * need the token, typed into the page by the teacher.
 *
 * Exit codes: 0 stopped; 1 could not start (page not built, port taken);
 * 2 bad input (port); 130 a second Ctrl-C quit at once.
 */
import type { Writable } from 'node:stream'
import { isLoopback } from '../live/guard.js'
import { newTeacherToken } from '../live/token.js'
import { startLiveServer, type LiveServer, type LiveServerOptions } from '../live/server.js'
import { killAllGroupsNow } from '../topology/group.js'
import { openFile } from './report.js'

/** Options of `lab demo`, as the CLI parsed them. */
export interface DemoOptions {
  /** Port to listen on (default 0: any free port). */
  port?: number
  /** Address to bind (default 127.0.0.1; anything not loopback prints a warning). */
  host?: string
  /** Open the page with xdg-open. */
  open?: boolean
}

/** Test seams of {@link demoCommand}. */
export interface DemoIO {
  stdout?: Writable
  stderr?: Writable
  /** Resolves when the demo should stop (default: the first SIGINT, SIGTERM or SIGHUP). */
  until?: Promise<unknown>
  /** Called with the started server (tests use its URL). */
  onListening?: (server: LiveServer) => void
  /** Extra server options (test seams: driver, start, out). */
  server?: Omit<LiveServerOptions, 'host' | 'port' | 'token'>
}

/**
 * Runs the demo server until Ctrl-C.
 * @returns the exit code
 */
export async function demoCommand(opts: DemoOptions, io: DemoIO = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout
  const stderr = io.stderr ?? process.stderr
  const port = opts.port ?? 0
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    stderr.write(`lab demo: --port ${String(opts.port)}: expected an integer 0..65535 (0 picks a free port)\n`)
    return 2
  }
  const host = opts.host ?? '127.0.0.1'
  const token = isLoopback(host) ? undefined : newTeacherToken()
  if (!isLoopback(host)) {
    stderr.write(
      `lab demo: listening on ${host}, not only on this machine: students who can reach it see the charts, view-only. ` +
        'Run, Stop, Next and Pause need the teacher token below; type it into the page (the "Teacher" field). ' +
        'Requests must still name this machine by a loopback name or that address (a DNS-rebinding defence).\n',
    )
  }
  let server: LiveServer
  try {
    server = await startLiveServer({ ...io.server, host, port, ...(token ? { token } : {}), log: (line) => stderr.write(`lab demo: ${line}\n`) })
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    const why = e.code === 'EADDRINUSE' ? `port ${port} is in use; pick another with --port, or --port 0 for any free one` : e.message
    stderr.write(`lab demo: ${why}\n`)
    return 1
  }
  io.onListening?.(server)
  stdout.write(`Live demo: ${server.url}\n`)
  if (token) stdout.write(`Teacher token: ${token}\n`)
  stderr.write('Open it in a browser (students on this machine can open the same URL). Ctrl-C stops the demo.\n')
  if (opts.open) openFile(server.url)

  let code = 0
  let quitNow: () => void = () => {}
  const quit = new Promise<void>((resolve) => (quitNow = resolve))
  let signals = 0
  const onSignal = (signal: NodeJS.Signals) => {
    signals++
    if (signals === 1) {
      stderr.write(`\n${signal}: stopping the demo (press Ctrl-C again to quit at once)\n`)
      stopNow()
    } else {
      killAllGroupsNow()
      code = 130
      quitNow()
    }
  }
  let stopNow: () => void = () => {}
  const stop = new Promise<unknown>((resolve) => (stopNow = () => resolve(undefined)))
  io.until?.then(stopNow, stopNow)
  if (!io.until) {
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
    process.on('SIGHUP', onSignal)
  }
  try {
    await stop
    await Promise.race([server.close(), quit])
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    process.off('SIGHUP', onSignal)
  }
  return code
}
