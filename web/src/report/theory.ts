/**
 * The queueing model's lines beside the measurements: what the legends call
 * them, and measured ÷ theory at one level. Pure.
 */
import { t } from '../../../lab/core/i18n.js'
import type { Level } from './context.js'
import { theoryRatio } from './format.js'

/** What the charts' legends call the model's lines: the textbook model (io_ms and cpu_ms only), in the current language. */
export const THEORY = (): string => t('charts.theoryModel')

/** What the legends call the model calibrated to the machine. */
export const MACHINE = (): string => t('charts.machineModel')

/** The caption's sentence about the dashed lines. */
export const THEORY_CAPTION = (): string => t('charts.theoryCaption', { dashed: t('charts.dashed'), theory: THEORY() })

/** The caption's sentence about the dotted lines. */
export const MACHINE_CAPTION = (): string => t('charts.machineCaption', { dotted: t('charts.dotted'), machine: MACHINE() })

/** What a measured ÷ predicted column's title ends with: the range that says the model explains the level. */
export const RATIO_GOOD = (): string => t('charts.ratioGood')

/**
 * The measured ÷ predicted column's title: `async measured ÷ this machine (good ≈ 1.00)`.
 * @param label - what comes first, with its trailing space (`async `), or ''
 * @param machine - whether the basis is the calibrated model (else the textbook one)
 */
export const measuredOver = (label: string, machine: boolean): string =>
  t('charts.measuredOver', { label, basis: t(machine ? 'charts.thisMachine' : 'charts.theory'), good: RATIO_GOOD() })

/** measured ÷ theory at one level, null without a level, a prediction or a response. */
export function ratioAt(
  level: Level | undefined,
  measured: (l: Level) => number,
  predicted: (p: NonNullable<Level['prediction']>) => number,
): number | null {
  if (!level?.prediction || level.responses === 0) return null
  return theoryRatio(measured(level), predicted(level.prediction))
}
