/**
 * The demo's host and origin guard: a request whose `Host` or `Origin` is not
 * this server on a loopback name (or the address it was told to bind) is
 * refused, so a web page elsewhere cannot drive it through DNS rebinding or
 * cross-site requests.
 */
import type { IncomingMessage } from 'node:http'
import os from 'node:os'

/** Whether `host` is a loopback name or address (127.0.0.0/8, ::1, localhost). */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase()
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h)
}

/**
 * The `Host` values (lower case, `name:port`; also bare `name` on port 80)
 * that name this server: the loopback names, plus the bound address when it is
 * not loopback (every interface's address for `0.0.0.0` / `::`).
 */
export function allowedHosts(bound: string | undefined, port: number): Set<string> {
  const names = ['127.0.0.1', 'localhost', '[::1]']
  if (bound && !isLoopback(bound)) {
    if (bound === '0.0.0.0' || bound === '::') {
      for (const list of Object.values(os.networkInterfaces())) {
        for (const a of list ?? []) names.push(a.family === 'IPv6' ? `[${a.address.toLowerCase()}]` : a.address)
      }
    } else names.push(bound.includes(':') && !bound.startsWith('[') ? `[${bound.toLowerCase()}]` : bound.toLowerCase())
  }
  const out = new Set<string>()
  for (const n of names) {
    out.add(`${n}:${port}`)
    if (port === 80) out.add(n)
  }
  return out
}

/**
 * Checks a request's `Host` and `Origin` (when sent) against `allowed`.
 * @returns why it is refused (answer 403), or undefined when it may pass
 */
export function refusal(req: IncomingMessage, allowed: ReadonlySet<string>, port: number): string | undefined {
  const host = (req.headers.host ?? '').toLowerCase()
  if (!allowed.has(host)) return `Host ${JSON.stringify(req.headers.host ?? '')} is not this demo; open it at http://127.0.0.1:${port}/`
  const origin = req.headers.origin
  if (origin === undefined) return undefined
  try {
    const o = new URL(origin)
    if (o.protocol === 'http:' && allowed.has(o.host.toLowerCase()) && o.pathname === '/' && origin === o.origin) return undefined
  } catch {
    // not a URL: refused below
  }
  return `Origin ${JSON.stringify(origin)} may not use this demo`
}
