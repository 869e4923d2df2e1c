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

/** A file directly in the scenario's folder (no folder part, not hidden), e.g. "gunicorn.conf.py". */
export const fileName = (example: string) =>
  z
    .string({ error: `a file name in the scenario folder, e.g. "${example}"` })
    .regex(/^[\w-][\w.-]*$/, { error: `a file name in the scenario folder, e.g. "${example}"` })
