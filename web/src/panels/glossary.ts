/**
 * The glossary on both pages: docs/glossary.md rendered at build time
 * (`virtual:lab-glossary`, web/vite.config.ts) as a section, and the first
 * use of each term in a handout or the notes linked to its entry
 * (lab/core/glossary.ts finds the uses; here they become links).
 */
import { glossaries } from 'virtual:lab-glossary'
import { GLOSSARY_ID_PREFIX, firstUses, type GlossaryTerm } from '../../../lab/core/glossary.js'
import { h } from './dom.js'
import { t } from '../../../lab/core/i18n.js'

/** The glossary of a language, falling back to English. */
function glossary(lang = 'en'): { html: string; terms: GlossaryTerm[] } {
  return glossaries[lang] ?? glossaries.en ?? { html: '', terms: [] }
}

/** The glossary as a page section (`#lab-glossary`), or null when the build found none. */
export function glossarySection(lang?: string): HTMLElement | null {
  const { html } = glossary(lang)
  if (html.trim() === '') return null
  const body = h('div', { class: 'glossary-body' })
  body.innerHTML = html // rendered at build time from the repository's own docs/glossary.md, raw HTML escaped
  return h('section', { id: 'lab-glossary', class: 'panel glossary', 'aria-label': t('charts.panel.glossary') }, h('h2', {}, t('charts.panel.glossary')), body)
}

/** Where a term's use is not linked: inside a link, code, a heading or a table head. */
const SKIP = 'a, code, pre, h1, h2, h3, h4, h5, h6, th, script, style'

/**
 * Links the first use of each glossary term in `container`'s text to its
 * entry (`<a class="glossary-link" href="#glossary-backlog">`). A term the
 * text already links (a handout's `[backlog](../../docs/glossary.md#backlog)`)
 * counts as used. Call again after the container's content changes.
 * @param seen - entry ids linked so far; pass one set for texts that share a page section
 * @returns the ids linked, for tests
 */
export function linkTerms(container: HTMLElement, lang?: string, seen = new Set<string>()): Set<string> {
  const { terms } = glossary(lang)
  const idOf = new Map<string, string>(terms.flatMap((t) => [[t.id, t.id] as const, ...t.aliases.map((a) => [a, t.id] as const)]))
  for (const a of container.querySelectorAll<HTMLAnchorElement>(`a[href^="#${GLOSSARY_ID_PREFIX}"]`)) {
    const id = idOf.get(decodeURIComponent(a.getAttribute('href')?.slice(1 + GLOSSARY_ID_PREFIX.length) ?? ''))
    if (id) seen.add(id)
  }
  const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => (n.parentElement?.closest(SKIP) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  })
  const texts: Text[] = []
  for (let n = walker.nextNode(); n; n = walker.nextNode()) texts.push(n as Text)
  for (const node of texts) {
    const text = node.data
    const uses = firstUses(text, terms, seen)
    if (uses.length === 0) continue
    const parts: (string | Node)[] = []
    let at = 0
    for (const u of uses) {
      parts.push(text.slice(at, u.start), h('a', { class: 'glossary-link', href: `#${GLOSSARY_ID_PREFIX}${u.id}`, title: t('charts.panel.inGlossary') }, text.slice(u.start, u.end)))
      at = u.end
    }
    parts.push(text.slice(at))
    node.replaceWith(...parts.filter((p) => p !== ''))
  }
  return seen
}
