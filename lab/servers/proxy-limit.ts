/**
 * The built-in reverse proxy's request limiters on its sockets
 * (lab/servers/reverse-proxy.ts): `limit_req` and `limit_conn` keyed by the
 * `client` query argument, as lab/engines/nginx.ts configures nginx. The
 * decisions are lab/servers/rate-limit.ts's; this file holds a delayed
 * request, answers a rejected one, and counts a request in progress until
 * its response closes.
 *
 * Order and place, as in nginx 1.22.1: both run once the request header is
 * read and before its body is (nginx's preaccess phase), `limit_req` first
 * (its handler is registered after `limit_conn`'s and nginx runs a phase's
 * handlers last-registered first, src/http/ngx_http.c
 * `ngx_http_init_phase_handlers`), so a delayed request counts against
 * `limit_conn` only once its delay is over. Static files (`/static/`) are not
 * limited: the lab's nginx puts the limits in `location /` only.
 */
import type http from 'node:http'
import type { ReverseProxyConfig } from '../contract/workload.js'
import { plain } from './proxy-answer.js'
import { ConnectionLimiter, RequestLimiter, queryArgument } from './rate-limit.js'

/**
 * Admits a request or answers it: resolves true when the request may go on
 * (after its delay, if any), false when it was answered (rejected) or its
 * client left while it was delayed.
 */
export type Admit = (target: string, res: http.ServerResponse) => Promise<boolean>

/** Waits `ms`, or less when the client goes away first (nginx watches the connection while it delays: `ngx_http_test_reading`). */
function hold(res: http.ServerResponse, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const gone = () => {
      clearTimeout(timer)
      resolve(false)
    }
    const timer = setTimeout(() => {
      res.off('close', gone)
      resolve(!res.destroyed)
    }, ms)
    res.once('close', gone)
  })
}

/**
 * The limiters a configuration asks for, as one admission step; undefined without any.
 * @param clock - whole milliseconds from a monotonic clock (nginx's `ngx_current_msec`)
 */
export function limiter(config: Pick<ReverseProxyConfig, 'limitReq' | 'limitConn'>, clock: () => number = () => Math.floor(performance.now())): Admit | undefined {
  const { limitReq, limitConn } = config
  if (!limitReq && !limitConn) return undefined
  const requests = limitReq ? new RequestLimiter(limitReq) : undefined
  const inProgress = limitConn ? new ConnectionLimiter(limitConn.connections) : undefined
  return async (target, res) => {
    const key = queryArgument(target, 'client')
    if (requests && limitReq) {
      const d = requests.decide(key, clock())
      if (d.action === 'reject') {
        plain(res, limitReq.status)
        return false
      }
      if (d.action === 'pass' && d.delayMs > 0 && !(await hold(res, d.delayMs))) return false
    }
    if (inProgress && limitConn) {
      const c = inProgress.enter(key)
      if (!c.admitted) {
        plain(res, limitConn.status)
        return false
      }
      // freed when the response closes: sent whole, or its client gone (nginx's request pool cleanup)
      if (res.closed) c.release()
      else res.once('close', c.release)
    }
    return true
  }
}
