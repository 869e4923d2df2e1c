/**
 * The field types scenario schemas are built from (lab/core/scenario.ts):
 * bounded numbers whose error names the allowed range, the workload
 * contract's parameters within their bounds, folders and file names that
 * cannot leave the scenario's folder. Pure.
 */
import { z } from 'zod'
import { BOUNDS, type Param } from '../contract/workload.js'

/** An integer min..max; the error names the range (and unit). */
export const intIn = (min: number, max: number, unit = '') => {
  const expected = `an integer ${min}..${max}${unit}`
  return z
    .number({ error: expected })
    .int({ error: expected })
    .min(min, { error: expected })
    .max(max, { error: expected })
}
/** A number min..max; the error names the range (and unit). */
export const numIn = (min: number, max: number, unit = '') => {
  const expected = `a number ${min}..${max}${unit}`
  return z.number({ error: expected }).min(min, { error: expected }).max(max, { error: expected })
}
/** A query parameter of the workload contract, within its bounds (lab/contract/bounds.json). */
export const param = (name: Param) => {
  const b = BOUNDS[name]
  return (b.integer ? intIn : numIn)(b.min, b.max, b.unit ? ` ${b.unit}` : '')
}
/** true or false. */
export const bool = () => z.boolean({ error: 'true or false' })
/** A folder: relative to the scenario's folder (or absolute), without `..`. */
export const folder = () =>
  z
    .string({ error: 'a folder inside the scenario folder, e.g. "static"' })
    .regex(/^\/?[\w.-]+(\/[\w.-]+)*\/?$/, { error: 'a folder inside the scenario folder, e.g. "static"' })
    .refine((p) => !p.split('/').includes('..'), { error: 'a folder inside the scenario folder, e.g. "static"' })
/** A file below a static folder, without `..`. */
export const staticName = () =>
  z
    .string({ error: 'a file name in the static folder, e.g. "page-200k.txt"' })
    .regex(/^[\w.-]+(\/[\w.-]+)*$/, { error: 'a file name in the static folder, e.g. "page-200k.txt"' })
    .refine((p) => !p.split('/').includes('..'), { error: 'a file name in the static folder, e.g. "page-200k.txt"' })

/** The HTTP methods a `path` entry may send (RFC 9110 §9.3, without CONNECT, TRACE and OPTIONS). */
export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const
/** A request target: starts with `/`, printable ASCII without spaces (RFC 9112 §3.2 origin-form). */
export const requestPath = () =>
  z
    .string({ error: 'a path starting with /, e.g. "/" or "/items?id=3"' })
    .max(2048, { error: 'a path of at most 2048 characters' })
    .regex(/^\/[\x21-\x7e]*$/, { error: 'a path starting with /, e.g. "/" or "/items?id=3" (no spaces)' })

/** The method and body of a request to any route (a `mix` entry's, a `--requests` file's). */
export const requestFields = {
  /** The method (default GET). */
  method: z.enum(HTTP_METHODS, { error: HTTP_METHODS.join(', ') }).optional(),
  /** The body (sent with `Content-Type: application/json` when it parses as JSON, else `text/plain`). */
  body: z.string({ error: 'a request body (a string)' }).max(65_536, { error: 'a body of at most 65536 characters' }).optional(),
}

/** A `mix` entry's fields for any route of the app (`lab run my-app`, docs/my-app.md). */
export const pathEntryFields = {
  /** Any request target, sent as it is (no query parameters added). */
  path: requestPath().optional(),
  ...requestFields,
  /** What the model assumes a `path` request costs, ms (a wait and CPU; `lab run my-app` measures them on its calibration level). Default 0 and 0. */
  demand: z.strictObject({ io_ms: numIn(0, 60_000, ' ms'), cpu_ms: numIn(0, 10_000, ' ms') }).optional(),
}

/** A `mix` entry mixing a `path` with `/work` or static fields, or `method`/`body`/`demand` without a `path`: one issue each. */
export function pathEntryIssues(e: Record<string, unknown>): Array<{ path: string[]; message: string }> {
  const given = (keys: string[]) => keys.some((k) => e[k] !== undefined)
  if (e.path !== undefined && given(['static', 'io_ms', 'cpu_ms', 'bytes'])) return [{ path: ['path'], message: 'a path entry without static, io_ms, cpu_ms or bytes (its cost for the model goes in demand)' }]
  if (e.path === undefined && given(['method', 'body', 'demand'])) return [{ path: ['method'], message: 'method, body and demand go with a path entry' }]
  return []
}
/** A file directly in the scenario's folder (no folder part, not hidden), e.g. "gunicorn.conf.py". */
export const fileName = (example: string) =>
  z
    .string({ error: `a file name in the scenario folder, e.g. "${example}"` })
    .regex(/^[\w-][\w.-]*$/, { error: `a file name in the scenario folder, e.g. "${example}"` })
