/**
 * Slow clients in the model: which of them hold a worker's slot, by what the
 * proxy in front buffers (lab/core/proxy-buffers.ts). Split from
 * lab/core/model.ts, which re-exports it. Pure.
 */
import { proxyBuffers, type ProxyBufferShape } from './proxy-buffers.js'

/** The proxy settings the model reads (lab/core/scenario.ts, `proxySchema`). */
export interface ProxyShape extends ProxyBufferShape {
  /** Seconds a micro-cache keeps an answer; > 0: the model makes no prediction. */
  cache_ttl_s?: number
  buffering?: boolean
  request_buffering?: boolean
  static_dir?: string
  /** How the proxy picks an upstream (the schema's default is round-robin). */
  balance?: 'round-robin' | 'least-conn'
}

/** The slow-client settings the model reads (lab/core/scenario.ts, `slowClientsSchema`). */
export interface SlowClientsShape {
  count: number
  mode: 'slow-headers' | 'slow-body' | 'slow-reader'
  response_bytes?: number
}

/**
 * Bytes of a response the kernel's socket buffers take per unbuffered hop
 * before a slow reader stops the writer, as measured on this project's
 * machines (Linux loopback, default `net.ipv4.tcp_wmem` 4 MiB max): with 3
 * slow readers at 16 KiB/s in front of 3 sync workers, a 1 MB response left
 * the workers free and a 4 MB one pinned them; through an unbuffered proxy
 * (two hops) 4 MB left them free and 10 MB pinned them.
 */
export const SOCKET_BUFFER_BYTES_PER_HOP = 2 * 1024 * 1024

/**
 * How many sync workers slow clients hold for the whole level (they are
 * released only when a worker is killed after `timeout_s`):
 * - `slow-headers`: bare, each holds a worker reading its endless headers;
 *   behind any proxy none (a proxy reads request headers whole first);
 * - `slow-body`: bare, or behind a proxy that streams request bodies
 *   ({@link proxyBuffers}: `request_buffering` off, or Apache/Caddy's defaults);
 * - `slow-reader`: bare, or behind a proxy that streams responses, when the
 *   response is larger than the socket buffers on the way
 *   ({@link SOCKET_BUFFER_BYTES_PER_HOP} per hop).
 * An event loop is not held by a slow connection (the caller ignores this for it).
 */
export function heldBySlowClients(def: { proxy?: ProxyShape }, slow: SlowClientsShape | undefined): number {
  if (!slow) return 0
  const p = def.proxy
  let held: boolean
  if (slow.mode === 'slow-headers') held = !p
  else if (slow.mode === 'slow-body') held = !p || !proxyBuffers(p).request
  else {
    const hops = p ? 2 : 1
    held = (!p || !proxyBuffers(p).response) && (slow.response_bytes ?? 4_000_000) > hops * SOCKET_BUFFER_BYTES_PER_HOP
  }
  return held ? slow.count : 0
}
