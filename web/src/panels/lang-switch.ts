/**
 * The language switch, on both pages: a <select> of en, pt-BR and ru, each
 * named in its own language. The page passes what to do on a change (draw
 * itself again in the new language, lab/core/i18n.ts).
 */
import { LANGS, type Lang } from '../../../lab/core/i18n-lang.js'
import { t } from '../../../lab/core/i18n.js'
import { h } from './dom.js'

/** Each language as its speakers write its name. */
const NAMES: Readonly<Record<Lang, string>> = { en: 'English', 'pt-BR': 'Português (Brasil)', ru: 'Русский' }

/**
 * A labelled select of the languages, `current` selected.
 * @param onChange - called with the language picked
 */
export function langSwitch(current: Lang, onChange: (lang: Lang) => void): HTMLElement {
  const select = h('select', { class: 'lang-switch', 'aria-label': t('report.language') }, ...LANGS.map((l) => h('option', { value: l, ...(l === current ? { selected: '' } : {}) }, NAMES[l]))) as HTMLSelectElement
  select.addEventListener('change', () => onChange(select.value as Lang))
  return h('label', { class: 'lang-field' }, `${t('report.language')} `, select)
}
