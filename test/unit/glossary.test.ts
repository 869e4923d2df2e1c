import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { firstUses, glossaryHref, glossaryTerms, termSlug } from '../../lab/core/glossary.js'
import { renderGlossary, renderNotes } from '../../lab/store/markdown.js'

const glossary = readFileSync(new URL('../../docs/glossary.md', import.meta.url), 'utf8')
const terms = glossaryTerms(glossary)

describe('the glossary as data', () => {
  it('slugs terms as GitHub slugs headings', () => {
    expect(termSlug("Little's law")).toBe('littles-law')
    expect(termSlug('p50, p99')).toBe('p50-p99')
    expect(termSlug('TIME_WAIT')).toBe('time_wait')
    expect(termSlug('Pre-fork')).toBe('pre-fork')
  })

  it('reads every bold entry of docs/glossary.md, with an anchor per name of a shared entry', () => {
    const ids = terms.map((t) => t.id)
    expect(ids).toEqual(expect.arrayContaining(['backlog', 'pre-fork', 'littles-law', 'p50-p99', 'saturation-knee', 'closed-loop', 'time_wait', 'mva']))
    expect(terms.find((t) => t.id === 'p50-p99')).toEqual({ id: 'p50-p99', aliases: ['p50', 'p99'], names: ['p50', 'p99'] })
    // one-letter names (σ, n, S) are never matched in running text
    expect(terms.find((t) => t.id === 'service-time-s-utilisation')?.names).toEqual(['Service time', 'utilisation'])
    expect(terms.flatMap((t) => t.names)).not.toContain('n')
  })

  it('points links into docs/glossary.md (or a translation) at the page’s glossary, and no other link', () => {
    expect(glossaryHref('../../docs/glossary.md#backlog')).toBe('#glossary-backlog')
    expect(glossaryHref('docs/glossary.pt-BR.md#littles-law')).toBe('#glossary-littles-law')
    expect(glossaryHref('https://example.org/#backlog')).toBeUndefined()
    expect(glossaryHref('../../docs/measurement.md#window')).toBeUndefined()
  })

  it('finds each term’s first use once, whole words only, plurals included, longest name first', () => {
    const seen = new Set<string>()
    const text = 'Two workers share one backlog; the other workers wait. An open loop is not a loop. Backlogged? prefork.'
    const uses = firstUses(text, terms, seen).map((u) => [text.slice(u.start, u.end), u.id])
    expect(uses).toEqual([
      ['workers', 'worker'],
      ['backlog', 'backlog'],
      ['open loop', 'open-loop'],
    ])
    // a second text of the same page links nothing already linked
    expect(firstUses('the backlog again', terms, seen)).toEqual([])
  })
})

describe('rendering the glossary', () => {
  it('gives each entry an id the handouts link to, and an anchor per name', () => {
    const html = renderGlossary(glossary)
    expect(html).toContain('<p class="glossary-entry" id="glossary-backlog"><strong>Backlog.</strong>')
    expect(html).toContain('<p class="glossary-entry" id="glossary-p50-p99"><span id="glossary-p50"></span><span id="glossary-p99"></span><strong>p50, p99.</strong>')
    expect(html).toContain('<h2 id="glossary-servers">')
  })

  it('turns a note’s glossary link into an in-page link, and still drops unsafe links', () => {
    const html = renderNotes('[backlog](../../docs/glossary.md#backlog) and [x](javascript:alert(1))')
    expect(html).toBe('<p><a class="glossary-link" href="#glossary-backlog">backlog</a> and x</p>\n')
  })
})
