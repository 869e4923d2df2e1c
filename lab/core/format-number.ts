/**
 * Numbers as the reader's language writes them (Intl.NumberFormat, ECMA-402):
 * `1234.5` is `1234.5` in English, `1234,5` in pt-BR and ru (decimal comma).
 * No thousands separator: the CLI's columns and the charts' tables stay as
 * compact as in English. Every number the lab prints goes through {@link num}
 * (re-exported by lab/core/format.ts). Pure.
 */
import { currentLang } from './i18n.js'
import type { Lang } from './i18n-lang.js'

const separators = new Map<Lang, string>()

/** The decimal separator `lang` writes (Intl.NumberFormat's `decimal` part): `.` in English, `,` in pt-BR and ru. */
export function decimalSeparator(lang: Lang): string {
  let sep = separators.get(lang)
  if (sep === undefined) {
    sep = new Intl.NumberFormat(lang).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.'
    separators.set(lang, sep)
  }
  return sep
}

/**
 * `n` with exactly `digits` decimals in `lang` (default the current language,
 * lab/core/i18n.ts). The digits are `n.toFixed(digits)`'s in every language
 * (Intl rounds some halves the other way, and a figure must read the same in
 * every language); only the decimal separator is the language's.
 * @param digits - decimals, 0..100
 */
export function num(n: number, digits = 1, lang: Lang = currentLang()): string {
  const fixed = n.toFixed(digits)
  return lang === 'en' ? fixed : fixed.replace('.', decimalSeparator(lang))
}
