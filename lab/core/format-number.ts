/**
 * Numbers as the reader's language writes them (Intl.NumberFormat, ECMA-402):
 * `1234.5` is `1234.5` in English, `1234,5` in pt-BR and ru (decimal comma).
 * No thousands separator: the CLI's columns and the charts' tables stay as
 * compact as in English. Every number the lab prints goes through {@link num}
 * (re-exported by lab/core/format.ts). Pure.
 */
import { currentLang } from './i18n.js'
import type { Lang } from './i18n-lang.js'

const formats = new Map<string, Intl.NumberFormat>()

/**
 * `n` with exactly `digits` decimals in `lang` (default the current language,
 * lab/core/i18n.ts). English is `n.toFixed(digits)` itself, so English output
 * is what it always was.
 * @param digits - decimals, 0..20
 */
export function num(n: number, digits = 1, lang: Lang = currentLang()): string {
  if (lang === 'en' || !Number.isFinite(n)) return n.toFixed(digits)
  const key = `${lang}:${digits}`
  let f = formats.get(key)
  if (!f) formats.set(key, (f = new Intl.NumberFormat(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false })))
  return f.format(n)
}
