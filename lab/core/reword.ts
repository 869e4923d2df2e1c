/**
 * Sentences a results document keeps in English, re-worded in the reader's
 * language: why a theory figure is approximate (lab/core/model.ts
 * `approximations`, lab/core/open-level.ts) and why a window was made longer (lab/core/window.ts
 * `chooseWindow`). Each was written from a template of lab/i18n/en/model.ts;
 * the template is matched against the sentence, its values read back and the
 * same template of the language filled with them (a number's decimal point
 * becomes the language's separator; a placeholder that is not a sentence of
 * its own must read back as a number). A sentence no template matches (a
 * document from an older lab) stays English.
 *
 * Pure: no I/O.
 */
import { decimalSeparator } from './format-number.js'
import { MESSAGES, currentLang, t, type MessageKey } from './i18n.js'
import type { Lang } from './i18n-lang.js'

type ModelKey = keyof (typeof MESSAGES)['en']['model']

/** A template and, for the placeholders that hold a sentence of their own, the templates that sentence may come from. */
interface Template {
  key: ModelKey
  nested?: Partial<Record<string, readonly Template[]>>
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** The English template as an anchored pattern: each `{{name}}` a lazy group, a repeated one a back-reference. */
function pattern(english: string): { re: RegExp; names: string[] } {
  const names: string[] = []
  const source = english
    .split(/(\{\{\s*\w+\s*\}\})/)
    .map((part) => {
      const name = /^\{\{\s*(\w+)\s*\}\}$/.exec(part)?.[1]
      if (name === undefined) return escape(part)
      if (names.includes(name)) return `\\k<${name}>`
      names.push(name)
      return `(?<${name}>.+?)`
    })
    .join('')
  return { re: new RegExp(`^${source}$`, 's'), names }
}

/** A value read back from the English: a number (every plain placeholder of lab/i18n/en/model.ts is one) with the language's decimal separator, else undefined (the template does not fit). */
const localValue = (v: string, lang: Lang): string | undefined => (/^-?\d+(\.\d+)?$/.test(v) ? v.replace('.', decimalSeparator(lang)) : undefined)

/**
 * One English sentence written from one of `templates`, in `lang`.
 * @returns the sentence re-worded, or undefined when no template matches it
 */
export function reword(sentence: string, templates: readonly Template[], lang: Lang = currentLang()): string | undefined {
  for (const tpl of templates) {
    const { re, names } = pattern(MESSAGES.en.model[tpl.key])
    const m = re.exec(sentence)
    if (!m) continue
    const vars: Record<string, string> = {}
    let ok = true
    for (const name of names) {
      const raw = m.groups?.[name] ?? ''
      const nested = tpl.nested?.[name]
      const fill = nested ? reword(raw, nested, lang) : localValue(raw, lang)
      if (fill === undefined) ok = false
      vars[name] = fill ?? raw
    }
    if (ok) return t(`model.${tpl.key}` as MessageKey, vars, lang)
  }
  return undefined
}

const FCFS: readonly Template[] = [{ key: 'fcfs' }]
/** The sentences of lab/core/model.ts `approximations`. */
const APPROXIMATIONS: readonly Template[] = (['eventLoop', 'workers', 'proxy'] as const)
  .map((key): Template => ({ key, nested: { fcfs: FCFS } }))
  .concat([{ key: 'loops' }, { key: 'limit' }, { key: 'threads' }, { key: 'recycling' }, { key: 'balancer' }, { key: 'deploy' }])
// the longer template first: `{{seconds}} s` alone would also match a whole headroom clause
/** The clauses of lab/core/open-level.ts (an open loop's reasons, joined by `; `). */
const OPEN: readonly Template[] = (['openProxy', 'openPool', 'openShare', 'openLoss', 'openLoss503', 'openLossCpu', 'openUnstable', 'openGrowth'] as const).map((key) => ({ key }))
const TOOK: readonly Template[] = [{ key: 'headroom' }, { key: 'seconds' }]
const WHY: readonly Template[] = [{ key: 'latency', nested: { took: TOOK } }, { key: 'completions', nested: { took: TOOK } }, { key: 'rareEvents', nested: { took: TOOK } }, { key: 'rareKind', nested: { took: TOOK } }, { key: 'wholeSeconds' }]
/** The messages of lab/core/window.ts `chooseWindow`. */
const WINDOW: readonly Template[] = [{ key: 'asAsked' }, { key: 'extended', nested: { why: WHY } }, { key: 'tooShort', nested: { why: WHY } }]

/**
 * A prediction's `approximate` (one or more sentences of lab/core/model.ts
 * `approximations`, joined by spaces, or an open loop's clauses of
 * lab/core/open-level.ts, joined by `; `) in `lang`; a sentence no template
 * matches stays as written.
 */
export function rewordApproximate(text: string, lang: Lang = currentLang()): string {
  if (lang === 'en') return text
  return text
    .split(/(?<=\.) (?=[A-Z])/)
    .map((s) => reword(s, APPROXIMATIONS, lang) ?? rewordClauses(s, lang) ?? s)
    .join(' ')
}

/** An open loop's reasons (clauses joined by `; `), each in `lang`; undefined unless every clause is known. */
function rewordClauses(text: string, lang: Lang): string | undefined {
  const clauses = text.split('; ').map((c) => reword(c, OPEN, lang))
  return clauses.every((c): c is string => c !== undefined) ? clauses.join('; ') : undefined
}

/** A level's window message (lab/core/window.ts `chooseWindow`) in `lang`, or as written when no template matches. */
export function rewordWindow(message: string, lang: Lang = currentLang()): string {
  return lang === 'en' ? message : (reword(message, WINDOW, lang) ?? message)
}
