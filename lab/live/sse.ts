/**
 * The demo's server-sent events: each run's stream (history first, ended
 * after `done`) and the followers of every run (`GET /api/events`). Every
 * message is `id: <run>:<seq>` and `data: <Envelope JSON>`, so a reconnecting
 * EventSource's `Last-Event-ID` says where it left off.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Envelope } from '../core/events.js'

/** Comment line sent this often (ms) so idle proxies and browsers keep the stream open. */
const PING_MS = 15_000

/** Open event streams, and who gets which envelope. */
export class SseBroker {
  private readonly followers = new Set<ServerResponse>()
  private readonly byRun = new Map<string, Set<ServerResponse>>()

  /** Follows every run: `history` (the latest run's events) from after `lastEventId`, then each envelope published. */
  follow(req: IncomingMessage, res: ServerResponse, history: readonly Envelope[]): void {
    open(req, res)
    const [lastRun, lastSeq] = String(req.headers['last-event-id'] ?? '').split(':')
    const from = history.length && lastRun === history[0]?.run && lastSeq !== undefined && /^\d+$/.test(lastSeq) ? Number(lastSeq) + 1 : 0
    for (const env of history.slice(from)) send(res, env)
    this.followers.add(res)
    res.on('close', () => this.followers.delete(res))
  }

  /** Follows one run: its `history`, then its envelopes until {@link end}; when `ended`, only the history. */
  subscribe(req: IncomingMessage, res: ServerResponse, run: string, history: readonly Envelope[], ended: boolean): void {
    open(req, res)
    for (const env of history) send(res, env)
    if (ended) return void res.end()
    let set = this.byRun.get(run)
    if (!set) this.byRun.set(run, (set = new Set()))
    set.add(res)
    res.on('close', () => set.delete(res))
  }

  /** Sends an envelope to every follower and to its run's streams. */
  publish(env: Envelope): void {
    for (const res of [...this.followers, ...(this.byRun.get(env.run) ?? [])]) send(res, env)
  }

  /** Ends a run's streams (after its `done`). */
  end(run: string): void {
    for (const res of this.byRun.get(run) ?? []) res.end()
    this.byRun.delete(run)
  }

  /** Ends the followers' streams (the server is closing). */
  close(): void {
    for (const res of this.followers) res.end()
    this.followers.clear()
  }
}

function open(req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  })
  res.socket?.setNoDelay(true)
  res.write('retry: 2000\n\n')
  const ping = setInterval(() => res.write(': ping\n\n'), PING_MS)
  req.on('close', () => clearInterval(ping))
  res.on('close', () => clearInterval(ping))
}

function send(res: ServerResponse, env: Envelope): void {
  res.write(`id: ${env.run}:${env.seq}\ndata: ${JSON.stringify(env)}\n\n`)
}
