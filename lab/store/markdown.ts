/**
 * Markdown → HTML for the pages: a scenario's notes and handout, and the
 * glossary. Raw HTML in the markdown is shown as text, and only http(s),
 * mailto, in-page and glossary links are kept, so notes from a mailed
 * results file cannot run script. Imports nothing of the lab but lab/core, so
 * the page build (web/vite.config.ts) can render the glossary with it too.
 */
import { Marked, type Tokens } from 'marked'
import { GLOSSARY_ID_PREFIX, glossaryHref, glossaryTerms, termSlug } from '../core/glossary.js'

const slugify = (text: string): string =>
  text
    .toLowerCase()
    .replace(/<[^>]*>/g, '')
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .trim()
    .replace(/\s+/g, '-') || 'section'

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/**
 * A markdown renderer whose headings get an id (`prefix` + a slug of the
 * text, made unique with `-2`, `-3`...) and a visible `#` link to themselves.
 */
function renderer(prefix = ''): Marked {
  const seen = new Map<string, number>()
  return new Marked({
    gfm: true,
    renderer: {
      heading({ tokens, depth, text }: Tokens.Heading): string {
        const base = prefix + slugify(text)
        const n = (seen.get(base) ?? 0) + 1
        seen.set(base, n)
        const id = n === 1 ? base : `${base}-${n}`
        return `<h${depth} id="${id}">${this.parser.parseInline(tokens)}<a class="anchor" href="#${id}" aria-label="Link to this section">#</a></h${depth}>\n`
      },
      html({ text }: Tokens.HTML | Tokens.Tag): string {
        return escapeHtml(text)
      },
      link({ href, title, tokens }: Tokens.Link): string {
        const inner = this.parser.parseInline(tokens)
        const glossary = glossaryHref(href)
        if (glossary) return `<a class="glossary-link" href="${escapeHtml(glossary)}">${inner}</a>`
        if (!/^(https?:|mailto:|#)/i.test(href)) return inner
        return `<a href="${escapeHtml(href)}"${title ? ` title="${escapeHtml(title)}"` : ''}>${inner}</a>`
      },
    },
  })
}

/**
 * Renders notes (or a handout) markdown to HTML: headings with ids and `#`
 * links, raw HTML as text, only safe links; a link into docs/glossary.md
 * (`../../docs/glossary.md#backlog`) points at the page's glossary (`#glossary-backlog`).
 */
export function renderNotes(markdown: string): string {
  return renderer().parse(markdown, { async: false })
}

/**
 * Renders the glossary (docs/glossary.md) to HTML: each entry's paragraph gets
 * the id `glossary-<slug of its bold text>` and class `glossary-entry`, and an
 * empty anchor per name of an entry with several (`glossary-p50`,
 * `glossary-p99`); headings get `glossary-` ids too (lab/core/glossary.ts).
 */
export function renderGlossary(markdown: string): string {
  const marked = renderer(GLOSSARY_ID_PREFIX)
  const terms = new Map(glossaryTerms(markdown).map((t) => [t.id, t]))
  marked.use({
    renderer: {
      paragraph({ tokens }: Tokens.Paragraph): string {
        const first = tokens[0]
        const term = first?.type === 'strong' ? terms.get(termSlug(first.text.replace(/\.$/, ''))) : undefined
        const inner = this.parser.parseInline(tokens)
        if (!term) return `<p>${inner}</p>\n`
        const aliases = term.aliases.filter((a) => a !== term.id).map((a) => `<span id="${GLOSSARY_ID_PREFIX}${escapeHtml(a)}"></span>`)
        return `<p class="glossary-entry" id="${GLOSSARY_ID_PREFIX}${escapeHtml(term.id)}">${aliases.join('')}${inner}</p>\n`
      },
    },
  })
  return marked.parse(markdown, { async: false })
}
