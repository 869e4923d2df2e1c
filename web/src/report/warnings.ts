/**
 * The warnings of a set of
 * documents as the report and the live page list them. Pure.
 */
import { t } from '../../../lab/core/i18n.js'
import { warningCode } from '../../../lab/core/vocabulary.js'
import type { Context } from './context.js'
import type { WarningView } from './types.js'

/** The warnings of every document, each with its title, explanation and the run it is about. */
export function warningViews(ctx: Context): WarningView[] {
  return ctx.docs.flatMap((doc, d) =>
    doc.warnings.map((w) => {
      const run = w.run === undefined ? undefined : doc.runs[w.run]
      const code = warningCode.parse(w.code)
      const text = { title: t(`warning.${code}.title`), explanation: t(`warning.${code}.explanation`) }
      return { code: w.code, ...text, message: w.message, run: run ? ctx.runLabel(d, run) : '' }
    }),
  )
}
