/**
 * Which bodies a proxy part buffers, by engine: nginx and the built-in proxy
 * read the schema's `request_buffering` / `buffering` (nginx's
 * `proxy_request_buffering` / `proxy_buffering`, both on by default); Apache
 * httpd and Caddy stream by default and buffer only with `engine_buffering`
 * (lab/core/scenario.ts `proxySchema`; scenarios/proxy-buffering/notes.md
 * gives the measurements and sources). Pure.
 */

/** The proxy settings this reads (lab/core/scenario.ts `proxySchema`). */
export interface ProxyBufferShape {
  engine?: string
  buffering?: boolean
  request_buffering?: boolean
  engine_buffering?: boolean
}

/** Whether a proxy holds a slow client's request body (`request`) and a slow reader's response (`response`) itself. */
export interface ProxyBuffers {
  request: boolean
  response: boolean
}

/**
 * The buffers a proxy part has, per engine:
 * - `apache` (httpd 2.4 mod_proxy_http): the response is streamed in
 *   `ProxyIOBufferSize` pieces (8 KiB), never buffered whole; the request body
 *   is prefetched up to 16 KiB (`MAX_MEM_SPOOL` in mod_proxy_http.c) before
 *   the upstream is contacted, so a body trickling at bytes per second never
 *   reaches a worker (`request: true`); with `engine_buffering`
 *   (`SetEnv proxy-sendcl 1` with mod_buffer's `SetInputFilter BUFFER`, so
 *   that a non-protocol filter reads the body) it is spooled whole, whatever its pace;
 * - `caddy` (2.6 `reverse_proxy`): both streamed, both buffered with
 *   `engine_buffering` (`buffer_requests`, `buffer_responses`);
 * - otherwise (nginx, the built-in proxy, or a stack's default): the schema's
 *   `request_buffering` and `buffering` (on unless set false).
 */
export function proxyBuffers(p: ProxyBufferShape): ProxyBuffers {
  if (p.engine === 'apache') return { request: true, response: false }
  if (p.engine === 'caddy') return { request: p.engine_buffering === true, response: p.engine_buffering === true }
  return { request: p.request_buffering !== false, response: p.buffering !== false }
}
