/**
 * The queueing model's lines beside the measurements: what the legends call
 * them, and measured ÷ theory at one level. Pure.
 */
import type { Level } from './context.js'
import { theoryRatio } from './format.js'

/** What the charts' legends call the model's lines: the textbook model (io_ms and cpu_ms only). */
export const THEORY = 'theory (queueing model)'

/** What the legends call the model calibrated to the machine. */
export const MACHINE = 'this machine (calibrated model)'

/** The caption's sentence about the dashed lines. */
export const THEORY_CAPTION = ` Dashed: ${THEORY}, the textbook law with io_ms and cpu_ms only, the same topology's colour.`

/** The caption's sentence about the dotted lines. */
export const MACHINE_CAPTION = ` Dotted: ${MACHINE}, which adds what serving a request and driving the load cost on the machine that ran it.`

/** What a measured ÷ predicted column's title ends with: the range that says the model explains the level. */
export const RATIO_GOOD = '(good ≈ 1.00)'

/** measured ÷ theory at one level, null without a level, a prediction or a response. */
export function ratioAt(
  level: Level | undefined,
  measured: (l: Level) => number,
  predicted: (p: NonNullable<Level['prediction']>) => number,
): number | null {
  if (!level?.prediction || level.responses === 0) return null
  return theoryRatio(measured(level), predicted(level.prediction))
}
