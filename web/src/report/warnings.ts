/**
 * The warnings of a set of documents as the report and the live page list
 * them, their messages in the current language. Pure.
 */
import { t } from '../../../lab/core/i18n.js'
import { warningCode } from '../../../lab/core/vocabulary.js'
import { warningMessages } from '../../../lab/core/warnings.js'
import type { Context } from './context.js'
import type { WarningView } from './types.js'

/** The warnings of every document, each with its title, explanation and the run it is about. */
export function warningViews(ctx: Context): WarningView[] {
  return ctx.docs.flatMap((doc, d) => {
    const messages = warningMessages(doc)
    return doc.warnings.map((w, i) => {
      const run = w.run === undefined ? undefined : doc.runs[w.run]
      const code = warningCode.parse(w.code)
      const text = { title: t(`warning.${code}.title`), explanation: t(`warning.${code}.explanation`) }
      return { code: w.code, ...text, message: messages[i] ?? w.message, run: run ? ctx.runLabel(d, run) : '' }
    })
  })
}
