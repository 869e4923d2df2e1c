/**
 * The glossary (docs/glossary.md) as data: its terms, their anchors, and
 * where a text first uses each, so the report and the demo can link a term's
 * first use in a handout or the notes to its entry in the rendered glossary.
 *
 * An entry is a paragraph that opens with the term in bold, ending with a
 * full stop: `**Backlog.** The kernel's queue …`; several names share an
 * entry when separated by commas (`**p50, p99.**`). Anchors follow GitHub's
 * heading slugs (lowercase, punctuation dropped, spaces → `-`), so a handout's
 * `[backlog](../../docs/glossary.md#backlog)` names the same entry on GitHub
 * and in the report, where ids carry the prefix `glossary-`.
 *
 * Pure: no I/O, no DOM.
 */

/** One glossary entry. */
export interface GlossaryTerm {
  /** The entry's anchor: the slug of the whole bold text (`p50-p99`, `littles-law`). */
  id: string
  /** Every name's own anchor, when the entry has several (`p50`, `p99`); may repeat `id`. */
  aliases: string[]
  /** The names a text may use for it, as written (`p50`, `Little's law`); names under 2 letters are left out. */
  names: string[]
}

/** The prefix of the glossary's element ids in the pages, so they never clash with a note's headings. */
export const GLOSSARY_ID_PREFIX = 'glossary-'

/**
 * GitHub's heading slug: lowercase, every character but letters, digits,
 * spaces, `-` and `_` dropped, each space a `-` (`Little's law` → `littles-law`,
 * `TIME_WAIT` → `time_wait`, `p50, p99` → `p50-p99`).
 */
export function termSlug(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s+/g, '-')
}

/** A name as a text uses it: a trailing one-letter symbol dropped (`Service time S` → `Service time`). */
const usable = (name: string): string => name.replace(/\s+\p{L}$/u, '').trim()

/**
 * The glossary's entries, in the order written.
 * @param markdown - docs/glossary.md (or a translation with the same shape)
 */
export function glossaryTerms(markdown: string): GlossaryTerm[] {
  const terms: GlossaryTerm[] = []
  for (const m of markdown.matchAll(/^\*\*([^*\n]+?)\.\*\*/gm)) {
    const whole = m[1] as string
    const parts = whole.split(',').map((p) => p.trim()).filter(Boolean)
    terms.push({
      id: termSlug(whole),
      aliases: parts.length > 1 ? parts.map(termSlug) : [],
      names: parts.map(usable).filter((n) => [...n].length >= 2),
    })
  }
  return terms
}

/**
 * The in-page anchor of a link into the glossary (`../../docs/glossary.md#backlog`,
 * `docs/glossary.pt-BR.md#backlog`, `glossary.md#backlog` → `#glossary-backlog`),
 * or undefined for any other link.
 */
export function glossaryHref(href: string): string | undefined {
  const m = /(?:^|\/)glossary(?:\.[A-Za-z-]+)?\.md#([^#\s]+)$/.exec(href)
  return m ? `#${GLOSSARY_ID_PREFIX}${decodeURIComponent(m[1] as string)}` : undefined
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** One use of a term in a text: `text.slice(start, end)` names entry `id`. */
export interface TermUse {
  start: number
  end: number
  id: string
}

/**
 * The first use of each term in `text` that `seen` does not yet hold, in
 * order; adds the ids found to `seen` (so a caller walking several texts of
 * one page links each term once). Matching ignores case, takes whole words
 * only (a plural `s`/`es` or `ed` allowed), and prefers the longest name
 * (`open loop` before `loop`).
 * @param seen - ids already linked on the page; changed in place
 */
export function firstUses(text: string, terms: readonly GlossaryTerm[], seen: Set<string>): TermUse[] {
  const byName = new Map<string, string>()
  for (const t of terms) for (const n of t.names) if (!byName.has(n.toLowerCase())) byName.set(n.toLowerCase(), t.id)
  if (byName.size === 0) return []
  const names = [...byName.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp)
  const re = new RegExp(`(?<![\\p{L}\\p{N}_-])(${names.join('|')})(?:s|es|ed)?(?![\\p{L}\\p{N}_])`, 'giu')
  const uses: TermUse[] = []
  for (const m of text.matchAll(re)) {
    const id = byName.get((m[1] as string).toLowerCase()) as string
    if (seen.has(id)) continue
    seen.add(id)
    uses.push({ start: m.index, end: m.index + m[0].length, id })
  }
  return uses
}
