/**
 * The teacher token of a view-only demo (`lab demo --host <address>` beyond
 * loopback): Run, Stop, Next and Pause (every `POST`) need it in the
 * `X-Lab-Token` header; everyone else may watch. The token is printed on the
 * teacher's terminal at start and never sent to a page; the page holds it
 * only once the teacher has typed it in.
 *
 * Comparison is constant-time: both sides are hashed with SHA-256 and compared
 * with `crypto.timingSafeEqual` (Node docs, "crypto.timingSafeEqual"), so
 * neither the token's length nor its first differing byte shows in the time
 * an answer takes.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

/** The request header that carries the token. */
export const TOKEN_HEADER = 'x-lab-token'

/** A new random token: 18 random bytes (144 bits) as 24 base64url characters. */
export function newTeacherToken(): string {
  return randomBytes(18).toString('base64url')
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest()

/** Whether `given` is the token, compared in constant time; false when absent or empty. */
export function tokenMatches(expected: string, given: string | string[] | undefined): boolean {
  if (typeof given !== 'string' || given === '' || expected === '') return false
  return timingSafeEqual(digest(expected), digest(given))
}

/**
 * Whether a request may control the demo: any `GET`/`HEAD` may (it only
 * watches); a `POST` needs the token when there is one.
 */
export function mayControl(req: IncomingMessage, token: string | undefined): boolean {
  if (token === undefined || req.method === 'GET' || req.method === 'HEAD') return true
  return tokenMatches(token, req.headers[TOKEN_HEADER])
}

/** Why a control request without the right token is refused (answered 401). */
export const VIEW_ONLY =
  'this demo is view-only: Run, Stop, Next and Pause need the teacher token printed in the terminal where `lab demo` started'
