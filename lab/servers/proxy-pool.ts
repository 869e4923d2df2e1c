/**
 * The built-in reverse proxy's connections to one upstream
 * (lab/servers/reverse-proxy.ts): nginx's `keepalive N` in an `upstream`
 * block, "the maximum number of idle keepalive connections to upstream
 * servers that are preserved in the cache of each worker process. When this
 * number is exceeded, the least recently used connections are closed"
 * (https://nginx.org/en/docs/http/ngx_http_upstream_module.html#keepalive,
 * nginx 1.22). There is no limit on connections in use (nginx's `max_conns`
 * is 0 by default), so a request never waits for a connection.
 */
import http from 'node:http'
import type { Socket } from 'node:net'
import type { Duplex } from 'node:stream'

/**
 * An `http.Agent` that keeps at most `idle` idle connections, closing the
 * least recently used beyond that, once per turn of the event loop
 * (`setImmediate`, after the turn's I/O callbacks) instead of at each
 * release.
 *
 * Why: node:http's own limit (`maxFreeSockets`, Node 20 docs, "new
 * Agent([options])") closes a connection the moment it is released while
 * `idle` others wait, even when a request read in the same turn then opens a
 * new one. Under a closed-loop load whose bursts exceed `idle` that made ~30 %
 * of requests open an upstream connection (socket, connect, close: strace)
 * against ~11 % for nginx 1.22 with the same `keepalive 16`. Trimmed once per
 * turn, the cache still holds at most `idle` connections whenever the proxy
 * waits for I/O, and the least recently used go first: free sockets are kept
 * in release order and `scheduling: 'lifo'` reuses the newest (Node 20 docs,
 * `scheduling`; `agent.freeSockets`, which this only reads).
 */
export class UpstreamAgent extends http.Agent {
  private trimQueued = false
  private readonly trimLater = () => this.trim()

  /** @param idle - idle connections kept (nginx `keepalive`), at least 1 */
  constructor(private readonly idle: number) {
    // the agent itself never closes a released connection: trim() does
    super({ keepAlive: true, maxFreeSockets: Number.MAX_SAFE_INTEGER, scheduling: 'lifo' })
  }

  /** node:http calls this when a request releases its connection (Node 20 docs, `agent.keepSocketAlive`); the trim is queued for the end of the turn. */
  override keepSocketAlive(socket: Duplex): boolean {
    // @types/node says void; Node 20 returns whether to keep it ("If this method returns a falsy value, the socket will be destroyed")
    const keep = Boolean(super.keepSocketAlive(socket) as unknown)
    if (keep && !this.trimQueued) {
      this.trimQueued = true
      setImmediate(this.trimLater)
    }
    return keep
  }

  /** Idle connections now, those already closing left out. */
  idleCount(): number {
    let n = 0
    for (const name in this.freeSockets) for (const s of this.freeSockets[name] ?? []) if (!s.destroyed) n++
    return n
  }

  /** Closes the least recently used idle connections beyond `idle`. */
  private trim(): void {
    this.trimQueued = false
    // one upstream per agent, so one list, oldest first
    for (const name in this.freeSockets) {
      const list = this.freeSockets[name] as Socket[] | undefined
      if (!list || list.length <= this.idle) continue // the common case: nothing to count
      let excess = this.idleCount() - this.idle
      for (let k = 0; k < list.length && excess > 0; k++) {
        const s = list[k] as Socket
        if (s.destroyed) continue
        s.destroy() // the agent drops it from freeSockets on 'close'
        excess--
      }
    }
  }
}

/** The agent for one upstream: {@link UpstreamAgent} with `keepalive` > 0, else one that closes every connection after its request (nginx without `keepalive`). */
export function upstreamAgent(keepalive: number): http.Agent {
  return keepalive > 0 ? new UpstreamAgent(keepalive) : new http.Agent({ keepAlive: false })
}
