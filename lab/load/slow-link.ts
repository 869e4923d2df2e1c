/**
 * Slow clients behind a real link (docs/network-links.md): the same clients
 * as lab/load/slow-clients.ts, unpaced, in their own process inside the
 * run's network namespace (lab/topology/netns.ts), talking to the front part
 * on the host's end of the veth pair, whose tc qdisc sets their pace.
 * The process is the lab's child (`ip netns exec` execs node in place), is
 * stopped by its pid, and ends by itself when the lab's stdin pipe closes.
 */
import { spawn } from 'node:child_process'
import path from 'node:path'
import { ROOT } from '../topology/paths.js'
import type { NetLink } from '../topology/netns.js'
import type { SlowClientsOptions, SlowClientsResult } from './slow-clients.js'

/** The compiled child program (built into dist/ with the rest of the lab). */
export const CHILD = path.join(ROOT, 'dist', 'lab', 'load', 'slow-link-child.js')

/** Slow clients running in a namespace. */
export interface LinkedSlowClients {
  /** Stops them and resolves with what they did (zeros when the child is gone); idempotent. */
  stop(): Promise<SlowClientsResult>
}

/**
 * Starts `opts.count` slow clients inside the link's namespace against the
 * front part's port on the link's host address; resolves once they all sent
 * their first bytes.
 * @param port - the front part's port (it listens on `link.hostAddress` too)
 * @throws Error with the child's output when it exits or is not ready within 10 s
 */
export async function startLinkedSlowClients(link: NetLink, port: number, opts: Omit<SlowClientsOptions, 'baseUrl' | 'paced' | 'linkAddress'>): Promise<LinkedSlowClients> {
  const full: SlowClientsOptions = { ...opts, baseUrl: `http://${link.hostAddress}:${port}`, paced: false, linkAddress: link.hostAddress }
  const [cmd, ...prefix] = link.execPrefix
  const child = spawn(cmd as string, [...prefix, process.execPath, CHILD, JSON.stringify(full)], { stdio: ['pipe', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  child.stdout.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const line = (type: string) => out.split('\n').find((l) => l.startsWith(`{"type":"${type}"`))
  const until = (type: string, ms: number) =>
    new Promise<string | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(line(type)), ms)
      const check = () => {
        const l = line(type)
        if (l) {
          clearTimeout(timer)
          resolve(l)
        }
      }
      child.stdout.on('data', check)
      void exited.then(() => {
        clearTimeout(timer)
        resolve(line(type))
      })
    })
  if (!(await until('ready', 10_000))) {
    child.kill('SIGKILL')
    throw new Error(`the slow clients in ${link.ns} did not start${err ? `:\n${err.trim()}` : ''}`)
  }
  const empty: SlowClientsResult = { count: opts.count, mode: opts.mode, bytesPerS: 0, connects: 0, serverClosed: 0, responses: 0, bytesSent: 0, bytesReceived: 0 }
  let stopping: Promise<SlowClientsResult> | undefined
  return {
    stop: () =>
      (stopping ??= (async () => {
        child.stdin.end('stop\n')
        const l = await until('result', 5000)
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
        await exited
        return l ? (JSON.parse(l) as { result: SlowClientsResult }).result : empty
      })()),
  }
}
