/**
 * What a translation must keep from the English it translates
 * (test/unit/translations.test.ts): the markdown's `#`/`##` headings in
 * number and order, its numerals, inline code and code blocks (commands),
 * `--set` lines and link targets; a UI string's `{{placeholders}}` and numerals.
 * Pure: strings in, problems out.
 */

/** The parts of a markdown file a translation keeps unchanged. */
export interface Skeleton {
  /** `#` or `##` for each such heading, in order (their text is translated). */
  headings: string[]
  /** Every numeral, sorted; `1,5` and `1.5` count alike (a decimal comma is the translation's). */
  numbers: string[]
  /** Inline code spans and fenced code blocks, sorted (commands, paths, field names). */
  code: string[]
  /** `--set path=value` as written, sorted. */
  sets: string[]
  /** Link targets, sorted; `glossary.pt-BR.md` counts as `glossary.md` (a translation may link its own language's file). */
  links: string[]
}

const FENCE = /^(```|~~~)[^\n]*\n[\s\S]*?^\1[ \t]*$/gm
const sorted = (xs: Iterable<string>) => [...xs].sort()

/** Numerals of a text: `3.3.2`, `1,00` → `1.00`, `2009`. */
export function numerals(text: string): string[] {
  return sorted((text.match(/\d+(?:[.,]\d+)*/g) ?? []).map((n) => n.replace(/,/g, '.')))
}

/** The {@link Skeleton} of a markdown text. */
export function skeleton(markdown: string): Skeleton {
  const blocks = markdown.match(FENCE) ?? []
  const prose = markdown.replace(FENCE, '')
  return {
    headings: prose.split('\n').flatMap((l) => (/^#{1,2}\s/.test(l) ? [l.startsWith('## ') ? '##' : '#'] : [])),
    numbers: numerals(markdown),
    code: sorted([...blocks, ...(prose.match(/`[^`\n]+`/g) ?? [])]),
    sets: sorted(markdown.match(/--set[ =]+\S+/g) ?? []),
    links: sorted([...markdown.matchAll(/\]\(([^)\s]+)/g)].map((m) => (m[1] as string).replace(/\.(pt-BR|ru)\.md/, '.md'))),
  }
}

/**
 * How a translation strays from its English: one line per differing part, empty when in step.
 * @param name - the translation's name, for the messages
 */
export function compareMarkdown(english: string, translated: string, name: string): string[] {
  const [a, b] = [skeleton(english), skeleton(translated)]
  return (Object.keys(a) as (keyof Skeleton)[]).flatMap((k) => {
    const missing = difference(a[k], b[k])
    const extra = difference(b[k], a[k])
    if (k === 'headings' && a.headings.join(' ') !== b.headings.join(' ')) return [`${name}: headings ${b.headings.join(' ')}, the English has ${a.headings.join(' ')}`]
    return missing.length || extra.length ? [`${name}: ${k} differ from the English: missing ${JSON.stringify(missing)}, extra ${JSON.stringify(extra)}`] : []
  })
}

/** The items of `a` not matched one for one in `b` (multiset difference). */
function difference(a: readonly string[], b: readonly string[]): string[] {
  const left = [...b]
  return a.filter((x) => {
    const i = left.indexOf(x)
    if (i < 0) return true
    left.splice(i, 1)
    return false
  })
}

/** A nested object of strings as `dotted.key` → string. */
export function flatten(o: object, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const [k, v] of Object.entries(o)) {
    const key = prefix ? `${prefix}.${k}` : k
    if (typeof v === 'string') out.set(key, v)
    else for (const [kk, vv] of flatten(v as object, key)) out.set(kk, vv)
  }
  return out
}

/** `{{name}}` placeholders of a UI string, sorted. */
export function placeholders(s: string): string[] {
  return sorted([...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1] as string))
}

/**
 * How one language's UI strings stray from the English: a key missing or
 * extra, or a string whose placeholders or numerals differ.
 */
export function compareMessages(english: object, translated: object, name: string): string[] {
  const [a, b] = [flatten(english), flatten(translated)]
  const problems: string[] = []
  for (const [key, en] of a) {
    const tr = b.get(key)
    if (tr === undefined) problems.push(`${name}: ${key} is missing`)
    else if (tr.trim() === '') problems.push(`${name}: ${key} is empty`)
    else {
      if (placeholders(en).join() !== placeholders(tr).join()) problems.push(`${name}: ${key} has placeholders ${placeholders(tr).join(', ')}, the English ${placeholders(en).join(', ')}`)
      if (numerals(en).join() !== numerals(tr).join()) problems.push(`${name}: ${key} has numbers ${numerals(tr).join(', ')}, the English ${numerals(en).join(', ')}`)
    }
  }
  for (const key of b.keys()) if (!a.has(key)) problems.push(`${name}: ${key} is not in the English`)
  return problems
}
