/**
 * How the built-in reverse proxy (lab/servers/reverse-proxy.ts) answers a
 * client itself: its own error pages, an upstream's answer passed on whole,
 * and static files under `/static/` (nginx's `root`/`try_files` role).
 * Headers go to node:http as flat name/value lists, the form it writes
 * without building an object per response.
 */
import fs from 'node:fs'
import type http from 'node:http'
import path from 'node:path'
import { HOP_BY_HOP, contentType, staticFile, type CachedResponse } from './proxy-logic.js'

// ------------------------------------------------------------ answering ---

const REASONS: Record<number, string> = {
  404: 'Not Found',
  413: 'Request Entity Too Large',
  429: 'Too Many Requests',
  502: 'Bad Gateway',
  503: 'Service Temporarily Unavailable',
  504: 'Gateway Timeout',
}

/** Answers `status` with a one-line text body (`extra`: more headers, a flat name/value list); destroys the connection when its header is out already. */
export function plain(res: http.ServerResponse, status: number, extra: string[] = []): void {
  if (res.headersSent) {
    res.destroy()
    return
  }
  const body = Buffer.from(`${status} ${REASONS[status] ?? ''}\n`)
  res.writeHead(status, ['Content-Type', 'text/plain', 'Content-Length', String(body.length), ...extra])
  res.end(body)
}

/**
 * Upstream response headers as the client gets them, a flat name/value list
 * like `rawHeaders` (the form node:http writes without building an object):
 * hop-by-hop ones, Content-Length and Date dropped (node:http writes its own).
 */
export function passHeaders(raw: string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < raw.length; i += 2) {
    const lower = (raw[i] as string).toLowerCase()
    if (HOP_BY_HOP.has(lower) || lower === 'content-length' || lower === 'date') continue
    out.push(raw[i] as string, raw[i + 1] as string)
  }
  return out
}

/** Bodies up to this size go out as a latin1 string, one byte per character, which node:http writes together with the header in one write() instead of a writev() of two buffers (the profile's largest item). */
const ONE_WRITE_BYTES = 16 * 1024

export function sendWhole(res: http.ServerResponse, r: CachedResponse, extra: string[]): void {
  res.writeHead(r.status, [...r.headers, ...extra, 'Content-Length', String(r.body.length)])
  // a HEAD response's body is dropped by node:http
  if (r.body.length <= ONE_WRITE_BYTES) res.end(r.body.toString('latin1'), 'latin1')
  else res.end(r.body)
}

// ------------------------------------------------------------ static files ---

const files = new Map<string, { mtimeMs: number; size: number; data: Buffer }>()

/** Answers `GET`/`HEAD /static/<file>` from `dir` (404 for anything else); files up to 8 MiB are kept in memory until they change, larger ones stream from disk. */
export async function serveStatic(req: http.IncomingMessage, res: http.ServerResponse, dir: string): Promise<void> {
  const file = staticFile(req.url ?? '/', dir, path.join)
  if (!file) return plain(res, 404)
  let st: fs.Stats
  try {
    st = await fs.promises.stat(file)
  } catch {
    return plain(res, 404)
  }
  if (!st.isFile()) return plain(res, 404)
  let cached = files.get(file)
  if (!cached || cached.mtimeMs !== st.mtimeMs || cached.size !== st.size) {
    if (st.size > 8 * 1024 * 1024) {
      // large files stream from disk at the client's pace
      res.writeHead(200, { 'Content-Type': contentType(file), 'Content-Length': st.size, 'Last-Modified': st.mtime.toUTCString() })
      if (req.method === 'HEAD') return void res.end()
      fs.createReadStream(file).on('error', () => res.destroy()).pipe(res)
      return
    }
    cached = { mtimeMs: st.mtimeMs, size: st.size, data: await fs.promises.readFile(file) }
    if (files.size >= 64) files.delete(files.keys().next().value as string)
    files.set(file, cached)
  }
  res.writeHead(200, { 'Content-Type': contentType(file), 'Content-Length': cached.data.length, 'Last-Modified': st.mtime.toUTCString() })
  res.end(cached.data)
}

