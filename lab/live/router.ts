/**
 * The demo's router: a table of routes, each a path (exact, or a pattern
 * whose groups become `params`) with a handler per method. `HEAD` is served
 * by the `GET` handler; a path without a handler for the method gets 405, an
 * unknown path 404.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { fail } from './http.js'

/** What a handler gets. */
export interface RouteContext {
  req: IncomingMessage
  res: ServerResponse
  /** The path pattern's groups, in order (none for an exact path). */
  params: string[]
  /** A `HEAD` request: answer the headers without a body. */
  head: boolean
}

export type Handler = (c: RouteContext) => void | Promise<void>

/** One row of the table. */
export interface Route {
  /** An exact path, or a pattern matched against the whole path. */
  path: string | RegExp
  GET?: Handler
  POST?: Handler
}

function match(path: Route['path'], p: string): string[] | undefined {
  if (typeof path === 'string') return path === p ? [] : undefined
  const m = path.exec(p)
  return m ? m.slice(1).map((g) => g ?? '') : undefined
}

/** Hands a request to the first route whose path matches. */
export async function dispatch(routes: readonly Route[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  const p = new URL(req.url ?? '/', 'http://localhost').pathname
  const method = req.method ?? 'GET'
  for (const route of routes) {
    const params = match(route.path, p)
    if (!params) continue
    const handler = method === 'HEAD' ? route.GET : method === 'GET' || method === 'POST' ? route[method] : undefined
    if (!handler) return fail(res, 405, `${method} not allowed`)
    return handler({ req, res, params, head: method === 'HEAD' })
  }
  return fail(res, 404, `no route ${p}`)
}
