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
  /** Every numeral of the prose (code left out: it is compared as written), sorted, read in the file's language ({@link numerals}). */
  numbers: string[]
  /** Inline code spans and fenced code blocks, sorted (commands, paths, field names). */
  code: string[]
  /** `--set path=value` as written, sorted. */
  sets: string[]
  /** Link targets, sorted; `glossary.pt-BR.md` counts as `glossary.md` (a translation may link its own language's file). */
  links: string[]
}

const FENCE = /^(```|~~~)[^\n]*\n[\s\S]*?^\1[ \t]*$/gm
/** A 4-space indented code block (formulas the translations keep as written), after a blank line. */
const INDENTED = /(^|\n\n)((?: {4}[^\n]*(?:\n|$))+)/g
const sorted = (xs: Iterable<string>) => [...xs].sort()

/** The languages a file may be in, as its name tells (`notes.pt-BR.md`). */
export type MarkdownLang = 'en' | 'pt-BR' | 'ru'

/**
 * Numerals of a text, as numbers read in its language: thousands separators
 * dropped (en `12,525`, pt-BR `12.525`, ru `12 525` with a no-break space
 * → `12525`) and a decimal comma read as a point (pt-BR, ru `1,5` → `1.5`);
 * versions and addresses (`3.11.2`, `127.0.0.1`) are kept as written.
 */
export function numerals(text: string, lang: MarkdownLang = 'en'): string[] {
  // a no-break (or narrow no-break) space between digit groups is a thousands separator, only after a group that
  // starts a number (not `p50 193`); a plain space separates two numbers (`240 429s`: 240 responses of status 429)
  let t = text
  for (let prev = ''; prev !== t; ) {
    prev = t
    t = t.replace(/(?<![\p{L}\d.,_])(\d{1,3}(?:[\u00a0\u202f]\d{3})*)[\u00a0\u202f](\d{3})(?!\d)/gu, (_, a: string, b: string) => a.replace(/[\u00a0\u202f]/g, '') + b)
  }
  if (lang === 'en') t = t.replace(/(\d),(?=\d{3}(?![\d]))/g, '$1')
  else t = t.replace(/(\d)\.(?=\d{3}(?![\d.]))/g, '$1').replace(/(\d),(?=\d)/g, '$1.')
  return sorted(t.match(/\d+(?:\.\d+)*/g) ?? [])
}

/** The {@link Skeleton} of a markdown text in `lang`. */
export function skeleton(markdown: string, lang: MarkdownLang = 'en'): Skeleton {
  const blocks = [...(markdown.match(FENCE) ?? []), ...[...markdown.replace(FENCE, '').matchAll(INDENTED)].map((m) => (m[2] as string).trimEnd())]
  const prose = markdown.replace(FENCE, '').replace(INDENTED, '$1')
  // a paragraph's lines joined, so that a code span the English wraps across a line is still one span
  const joined = prose.replace(/([^\n])\n(?=[^\n#|>*\d-])/g, '$1 ')
  const spans = joined.match(/`[^`]+`/g) ?? []
  return {
    headings: prose.split('\n').flatMap((l) => (/^#{1,2}\s/.test(l) ? [l.startsWith('## ') ? '##' : '#'] : [])),
    numbers: numerals(joined.replace(/`[^`]+`/g, ' '), lang),
    code: sorted([...blocks, ...spans].map((c) => c.replace(/\s+/g, ' '))),
    sets: sorted((markdown.match(/--set[\s=]+(?:'[^']*'|[^\s`'"),;]+)/g) ?? []).map((x) => x.replace(/\s+/g, ' '))),
    links: sorted([...markdown.matchAll(/\]\(([^)\s]+)/g)].map((m) => (m[1] as string).replace(/\.(pt-BR|ru)\.md/, '.md'))),
  }
}

/**
 * How a translation strays from its English: one line per differing part, empty when in step.
 * @param name - the translation's name, for the messages
 */
export function compareMarkdown(english: string, translated: string, name: string): string[] {
  const lang: MarkdownLang = /\.pt-BR\.md$/.test(name) ? 'pt-BR' : /\.ru\.md$/.test(name) ? 'ru' : 'en'
  const [a, b] = [skeleton(english), skeleton(translated, lang)]
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

/** An i18next plural key: its base and CLDR category (`kindCaveat_few` → `kindCaveat`, `few`). */
const PLURAL = /^(.*)_(zero|one|two|few|many|other)$/

/** The plural forms `lang` needs (CLDR categories, as Intl.PluralRules gives them): en `one`, `other`; ru adds `few`, `many`. */
export function pluralCategories(lang: MarkdownLang): string[] {
  return [...new Intl.PluralRules(lang).resolvedOptions().pluralCategories].sort()
}

/**
 * How one language's UI strings stray from the English: a key missing or
 * extra, or a string whose placeholders or numerals differ. A plural (keys
 * `x_one`, `x_other` in English: https://www.i18next.com/translation-function/plurals)
 * must have every form the language needs ({@link pluralCategories}), each
 * compared with the English form of the same category, else with `x_other`.
 */
export function compareMessages(english: object, translated: object, name: string): string[] {
  const [a, b] = [flatten(english), flatten(translated)]
  const lang: MarkdownLang = name === 'pt-BR' || name === 'ru' ? name : 'en'
  const plurals = new Set([...a.keys()].flatMap((k) => (PLURAL.exec(k)?.[2] === 'other' ? [(PLURAL.exec(k) as RegExpExecArray)[1] as string] : [])))
  // the keys the translation must have, each with the English it is compared with
  const wanted = new Map<string, string>()
  for (const [key, en] of a) if (!plurals.has(PLURAL.exec(key)?.[1] ?? '\u0000')) wanted.set(key, en)
  for (const base of plurals) for (const cat of pluralCategories(lang)) wanted.set(`${base}_${cat}`, a.get(`${base}_${cat}`) ?? (a.get(`${base}_other`) as string))
  const problems: string[] = []
  for (const [key, en] of wanted) {
    const tr = b.get(key)
    if (tr === undefined) problems.push(`${name}: ${key} is missing`)
    else if (tr.trim() === '') problems.push(`${name}: ${key} is empty`)
    else {
      if (placeholders(en).join() !== placeholders(tr).join()) problems.push(`${name}: ${key} has placeholders ${placeholders(tr).join(', ')}, the English ${placeholders(en).join(', ')}`)
      const [ne, nt] = [numerals(en), numerals(tr, lang)]
      if (ne.join() !== nt.join()) problems.push(`${name}: ${key} has numbers ${nt.join(', ')}, the English ${ne.join(', ')}`)
    }
  }
  for (const key of b.keys()) if (!wanted.has(key)) problems.push(`${name}: ${key} is not in the English`)
  return problems
}
