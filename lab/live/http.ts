/**
 * Small HTTP helpers of the demo server: JSON answers, refusals in the API's
 * error shape (lab/core/live-api.ts) and a bounded JSON body reader.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ErrorResponse } from '../core/live-api.js'

/** Largest request body read, in bytes (a start request is well under 1 KiB). */
export const MAX_BODY = 16 * 1024

/** Answers `body` as JSON, never cached. */
export function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(text) })
  res.end(text)
}

/** Answers a refusal: `{error, ...extra}`. */
export function fail(res: ServerResponse, status: number, error: string, extra: Omit<ErrorResponse, 'error'> = {}): void {
  json(res, status, { error, ...extra } satisfies ErrorResponse)
}

/** An error with the HTTP status to answer. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

/**
 * Reads a JSON body (an empty body reads as `{}`).
 * @throws HttpError 413 when it is over {@link MAX_BODY} bytes (past 64 times that, the
 *   connection is dropped), 400 when it is not JSON
 */
export function readJsonBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      // past the limit, keep reading (and dropping) so the client gets its answer; past 1 MiB, hang up
      if (size > 64 * MAX_BODY) req.destroy()
      else if (size <= MAX_BODY) chunks.push(c)
    })
    req.on('end', () => {
      if (size > MAX_BODY) return reject(new HttpError(413, `the body is over ${MAX_BODY} bytes`))
      try {
        resolve(size === 0 ? {} : JSON.parse(Buffer.concat(chunks).toString('utf8')))
      } catch (err) {
        reject(new HttpError(400, `the body is not JSON (${(err as Error).message})`))
      }
    })
    req.on('error', reject)
  })
}
