/**
 * The UI strings in the reader's language, through i18next
 * (https://www.i18next.com, the resources in lab/i18n/): the CLI summary, the
 * report page and the live page all call {@link t}. One language is current
 * at a time ({@link setLang}: `lab run --lang`, the pages' language switch);
 * a key missing from a translation falls back to English.
 * Pure: no I/O (the resources are bundled modules).
 */
import i18next from 'i18next'
import { en } from '../i18n/en.js'
import { ptBR } from '../i18n/pt-BR.js'
import { ru } from '../i18n/ru.js'
import type { Lang } from './i18n-lang.js'

export type { Lang } from './i18n-lang.js'

/** Every language's strings, by language (the resources i18next is given). */
export const MESSAGES = { en, 'pt-BR': ptBR, ru } as const

/**
 * A key of the strings: `summary.warnings`, `warning.errors-seen.title` (dotted path in lab/i18n/en.ts);
 * a plural's key without its `_one`/`_other` suffix (`lesson.kindCaveat`, called with a `count`).
 */
export type MessageKey = Leaves<typeof en>
type Leaves<T, P extends string = ''> = T extends string ? P : { [K in keyof T & string]: Leaves<T[K], P extends '' ? Base<K> : `${P}.${Base<K>}`> }[keyof T & string]
type Base<K extends string> = K extends `${infer B}_${'one' | 'other'}` ? B : K

const instance = i18next.createInstance()
void instance.init({
  lng: 'en',
  fallbackLng: 'en',
  resources: { en: { translation: en }, 'pt-BR': { translation: ptBR }, ru: { translation: ru } },
  initAsync: false,
  // the strings are text, not HTML: the pages set textContent, the CLI prints them
  interpolation: { escapeValue: false },
})

let current: Lang = 'en'

/** Makes `lang` the language of every {@link t} and number format from now on. */
export function setLang(lang: Lang): void {
  current = lang
}

/** The current language (`en` until {@link setLang}). */
export function currentLang(): Lang {
  return current
}

/**
 * A UI string in the current language, its `{{name}}` placeholders filled from `vars`.
 * @param lang - this language instead of the current one
 */
export function t(key: MessageKey, vars: Record<string, string | number> = {}, lang: Lang = current): string {
  return instance.t(key, { ...vars, lng: lang })
}
