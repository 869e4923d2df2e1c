import { existsSync, readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// The handout format of issue 18: scenarios/<name>/handout.md is a one-page student sheet with a title line,
// exactly four `##` sections in order, the lab's predictions marker once inside "Predict", three numbered
// questions in "Reflect", at most 500 words (as `wc -w` counts), the scenario's `npx lab run` command, and
// glossary links that land on a term docs/glossary.md defines.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const scenariosDir = path.join(root, 'scenarios')
const glossaryFile = path.join(root, 'docs', 'glossary.md')

/** The `##` sections a handout has, in this order. */
const SECTIONS = ['Before you start', 'Predict', 'Run', 'Reflect'] as const
/** The line the lab replaces by the table of levels the chosen mode runs. */
const MARKER = '<!-- lab:predictions -->'
const MAX_WORDS = 500
/** How a handout (in scenarios/<name>/) links to the glossary. */
const GLOSSARY_LINK = '../../docs/glossary.md'

/** Words as `wc -w` counts them: runs of characters between whitespace. */
function wordCount(text: string): number {
  return text.split(/\s+/).filter((w) => w.length > 0).length
}

/**
 * A heading's or term's anchor as GitHub renders it: lower case, punctuation
 * other than `-` and `_` dropped, each space a `-` ("Little's law" → `littles-law`).
 */
function slug(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-')
}

/**
 * The anchors the glossary defines: one per `##` heading, and one per term in
 * bold (`**Reverse proxy, upstream.**` defines `reverse-proxy` and `upstream`).
 */
function glossaryAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>()
  for (const m of markdown.matchAll(/^#{1,6} +(.+)$/gm)) anchors.add(slug(m[1] ?? ''))
  for (const m of markdown.matchAll(/\*\*([^*]+)\*\*/g)) {
    for (const term of (m[1] ?? '').replace(/\.\s*$/, '').split(/,\s*/)) if (term.trim()) anchors.add(slug(term))
  }
  return anchors
}

/** The text of each `##` section, by heading, in the order they appear. */
function sections(text: string): { heading: string; body: string[] }[] {
  const out: { heading: string; body: string[] }[] = []
  for (const line of text.split('\n')) {
    const h = /^## +(.*)$/.exec(line)
    if (h) out.push({ heading: (h[1] ?? '').trim(), body: [] })
    else out.at(-1)?.body.push(line)
  }
  return out
}

/**
 * What is wrong with a handout, one sentence per problem (empty: none).
 * @param name the scenario's folder name (its `npx lab run` argument)
 * @param title the scenario's `title`, which the handout's first line repeats
 * @param text the handout's markdown
 * @param anchors the glossary's anchors ({@link glossaryAnchors})
 */
function handoutProblems(name: string, title: string, text: string, anchors: Set<string>): string[] {
  const problems: string[] = []
  const lines = text.split('\n')
  if (lines[0] !== `# ${title}`) problems.push(`the first line is not the title line "# ${title}"`)
  if (lines.filter((l) => /^# /.test(l)).length !== 1) problems.push('there is not exactly one "# " title line')

  const secs = sections(text)
  const headings = secs.map((s) => s.heading)
  if (headings.join('|') !== SECTIONS.join('|')) problems.push(`the ## sections are [${headings.join(', ')}], not [${SECTIONS.join(', ')}]`)
  const body = (h: string) => secs.find((s) => s.heading === h)?.body ?? []

  const bullets = body('Before you start').filter((l) => /^- \S/.test(l)).length
  if (bullets < 2 || bullets > 4) problems.push(`"Before you start" has ${bullets} bullets, not 2 to 4`)

  const markers = text.split(MARKER).length - 1
  if (markers !== 1) problems.push(`the predictions marker appears ${markers} times, not once`)
  if (!body('Predict').some((l) => l === MARKER)) problems.push('"Predict" has no line holding only the predictions marker')
  if (!body('Predict').some((l) => l.trim() !== '' && l !== MARKER)) problems.push('"Predict" does not say what to predict')

  const run = body('Run')
  if (!run.some((l) => /^\d+\. /.test(l))) problems.push('"Run" has no numbered steps')
  const command = new RegExp(`npx lab run ${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=[\\s\`])`)
  if (!command.test(run.join('\n'))) problems.push(`"Run" does not give the command \`npx lab run ${name}\``)

  const questions = body('Reflect').filter((l) => /^\d+\. /.test(l))
  if (questions.length !== 3) problems.push(`"Reflect" has ${questions.length} numbered questions, not 3`)
  for (const q of questions) if (!q.includes('?')) problems.push(`"Reflect" item "${q.slice(0, 40)}…" asks no question`)

  const words = wordCount(text)
  if (words > MAX_WORDS) problems.push(`it has ${words} words, more than ${MAX_WORDS}`)

  for (const m of text.matchAll(/\]\(([^)\s]*glossary[^)\s]*)\)/g)) {
    const target = m[1] ?? ''
    const [file, anchor] = target.split('#')
    if (file !== GLOSSARY_LINK) problems.push(`the glossary link ${target} does not point at ${GLOSSARY_LINK}`)
    else if (!anchor || !anchors.has(anchor)) problems.push(`the glossary link ${target} names no term the glossary defines`)
  }
  return problems
}

/** The English handouts under scenarios/, by scenario name. */
function handoutNames(): string[] {
  return readdirSync(scenariosDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(scenariosDir, d.name, 'handout.md')))
    .map((d) => d.name)
    .sort()
}

async function scenarioTitle(name: string): Promise<string> {
  const mod = (await import(path.join(scenariosDir, name, 'scenario.ts'))) as { default: { title: string } }
  return mod.default.title
}

const anchors = glossaryAnchors(readFileSync(glossaryFile, 'utf8'))

/** A handout that meets every rule, for the checks below to break one rule at a time. */
const GOOD = [
  '# A title',
  '',
  '## Before you start',
  '',
  '- Know the [backlog](../../docs/glossary.md#backlog).',
  "- Know [Little's law](../../docs/glossary.md#littles-law).",
  '',
  '## Predict',
  '',
  'For each row of the table, write down the answered req/s you expect.',
  '',
  MARKER,
  '',
  '## Run',
  '',
  '1. Run `npx lab run demo --quick`.',
  '2. Read the answered req/s.',
  '',
  '## Reflect',
  '',
  '1. What limited the throughput?',
  '2. Where did the waiting requests wait?',
  '3. What would change with more workers?',
  '',
].join('\n')

const check = (text: string) => handoutProblems('demo', 'A title', text, anchors)

describe('the glossary anchors', () => {
  it('gives every bold term and heading of docs/glossary.md an anchor as GitHub would spell it', () => {
    for (const a of ['backlog', 'pre-fork', 'event-loop', 'keep-alive', 'time_wait', 'littles-law', 'p99', 'upstream', 'servers']) {
      expect(anchors, a).toContain(a)
    }
  })

  it('splits a bold entry that defines two terms into two anchors', () => {
    expect(glossaryAnchors('**Reverse proxy, upstream.** text')).toEqual(new Set(['reverse-proxy', 'upstream']))
  })
})

describe('the handout checks', () => {
  it('find nothing wrong with a handout that meets every rule', () => {
    expect(check(GOOD)).toEqual([])
  })

  it('count words the way wc -w does', () => {
    expect(wordCount('  one two\tthree\n[four](x#y)  ')).toBe(4)
  })

  const broken: [string, string, RegExp][] = [
    ['a missing title line', GOOD.replace('# A title', 'A title'), /title line/],
    ['a title that is not the scenario title', GOOD.replace('# A title', '# Another title'), /first line/],
    ['sections out of order', GOOD.replace('## Run', '## TMP').replace('## Predict', '## Run').replace('## TMP', '## Predict'), /sections/],
    ['a fifth section', GOOD + '\n## Answers\n\nNone.\n', /sections/],
    ['one prerequisite bullet', GOOD.replace(/^- Know the \[backlog\].*\n/m, ''), /bullets/],
    ['no predictions marker', GOOD.replace(MARKER, ''), /marker appears 0 times/],
    ['the marker twice', GOOD.replace(MARKER, `${MARKER}\n\n${MARKER}`), /marker appears 2 times/],
    ['the marker outside "Predict"', GOOD.replace(`\n${MARKER}\n`, '\n').replace('2. Read', `${MARKER}\n2. Read`), /no line holding only/],
    ['the marker inside a sentence', GOOD.replace(`\n${MARKER}\n`, `\nsee ${MARKER} here\n`), /no line holding only/],
    ['two questions', GOOD.replace(/^3\. .*$/m, ''), /2 numbered questions/],
    ['four questions', GOOD.replace(/^3\. (.*)$/m, '3. $1\n4. And then?'), /4 numbered questions/],
    ['a statement among the questions', GOOD.replace('3. What would change with more workers?', '3. More workers help.'), /asks no question/],
    ['no run command', GOOD.replace('npx lab run demo --quick', 'run it'), /command/],
    ["another scenario's run command", GOOD.replace('npx lab run demo ', 'npx lab run demo-two '), /command/],
    ['more than 500 words', GOOD.replace('Read the answered req/s.', 'word '.repeat(500)), /more than 500/],
    ['a link to a term the glossary lacks', GOOD.replace('#backlog', '#no-such-term'), /names no term/],
    ['a glossary link without a term', GOOD.replace('glossary.md#backlog', 'glossary.md'), /names no term/],
    ['a glossary link from the wrong folder', GOOD.replace('../../docs/glossary.md#backlog', '../docs/glossary.md#backlog'), /does not point/],
  ]
  it.each(broken)('reject a handout with %s', (_what, text, problem) => {
    const found = check(text)
    expect(found.some((p) => problem.test(p)), found.join('; ')).toBe(true)
  })
})

describe('the scenario handouts', () => {
  const names = handoutNames()

  it('cover every scenario of the catalogue', () => {
    const all = readdirSync(scenariosDir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(path.join(scenariosDir, d.name, 'scenario.ts')))
      .map((d) => d.name)
      .sort()
    expect(all.length).toBeGreaterThan(0)
    expect(names).toEqual(all)
  })

  it.each(names)('scenarios/%s/handout.md follows the handout format', async (name) => {
    const text = readFileSync(path.join(scenariosDir, name, 'handout.md'), 'utf8')
    expect(handoutProblems(name, await scenarioTitle(name), text, anchors)).toEqual([])
  })
})
