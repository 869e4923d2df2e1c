/**
 * The HTML report: results documents rendered into one self-contained page
 * and written to disk (`lab report` and every run write it).
 *
 * The page itself is built once, at install time, by Vite (`web/` →
 * `web/dist/index.html`, all JS and CSS inlined). Here we only fill its
 * `#lab-data` element with the documents and the scenario notes rendered from
 * markdown, so writing a report takes milliseconds and needs no network.
 */
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import type { CheckVerdict as ExerciseCheck } from '../core/exercise.js'
import { handoutForRuns } from '../core/handout.js'
import type { ResultsDocument } from '../core/results.js'
import { currentLang } from '../core/i18n.js'
import type { Lang } from '../core/i18n-lang.js'
import { ROOT } from '../topology/paths.js'
import { renderNotes } from './markdown.js'
import { readLocalized } from './scenarios.js'

export { renderNotes }

/** The token `web/index.html` holds inside `<script type="application/json" id="lab-data">`. */
export const DATA_TOKEN = '__LAB_REPORT_DATA__'

const templates = new Map<string, string>()

/** Reads the built page once per path. */
function template(file: string): string {
  let html = templates.get(file)
  if (html === undefined) {
    if (!existsSync(file)) throw new Error(`the web report is not built; run npm run build (missing ${file})`)
    html = readFileSync(file, 'utf8')
    if (html.split(DATA_TOKEN).length !== 2) throw new Error(`${file} has no single ${DATA_TOKEN} placeholder; run npm run build`)
    templates.set(file, html)
  }
  return html
}

/**
 * One markdown file for each distinct scenario, joined by rules: the
 * documents' own field (`notes`, `handout`), else `scenarios/<name>/<file>`,
 * passed through `fill` with that scenario's documents.
 */
function perScenario(docs: ResultsDocument[], scenariosDir: string, field: 'notes' | 'handout', lang: Lang, fill: (md: string, mine: ResultsDocument[]) => string = (md) => md): string {
  const names = [...new Set(docs.map((d) => d.scenario.name))]
  return names
    .map((name) => {
      const mine = docs.filter((d) => d.scenario.name === name)
      const embedded = mine.find((d) => d[field])?.[field]
      const md = embedded ?? readLocalized(join(scenariosDir, name, `${field}.md`), lang)?.text ?? ''
      return md.trim() === '' ? '' : fill(md, mine)
    })
    .filter((md) => md !== '')
    .join('\n\n---\n\n')
}

/** Handout markdown for each distinct scenario, its prediction table listing the levels its documents measured. */
function handoutFor(docs: ResultsDocument[], scenariosDir: string, lang: Lang): string {
  return perScenario(docs, scenariosDir, 'handout', lang, (md, mine) => handoutForRuns(md, mine.flatMap((d) => d.runs)))
}

export interface RenderOptions {
  /** Notes to show instead of the documents' own (markdown). */
  notesMarkdown?: string
  /** The built page; default `<package root>/web/dist/index.html`. */
  templateFile?: string
  /** Where `<name>/notes.md` and `<name>/handout.md` are looked up; default `<package root>/scenarios`. */
  scenariosDir?: string
  /** An exercise's graded checks, drawn as a panel at the top (`lab exercise check`, docs/exercises.md). */
  checks?: ExerciseCheck[]
  /** The language the page opens in (its switch can change it); default the first document's `lang`, else English. */
  lang?: Lang
}

/**
 * Renders results documents as one self-contained HTML page.
 *
 * The page gets `{ "documents": [...], "notesHtml": "...", "handoutHtml": "...", "lang": "pt-BR" }` as JSON inside its
 * `<script type="application/json" id="lab-data">`, with every `<` written as
 * `\u003c` so no string in the data can close the script element.
 * Several documents of one scenario are overlaid; of different scenarios, drawn
 * together with a notice at the top.
 * @param docs - parsed, valid results documents (see `parseResults`), at least one
 * @returns the HTML (UTF-8 text)
 * @throws Error `the web report is not built; run npm run build` when `web/dist/index.html` is missing
 */
export function renderReport(docs: ResultsDocument[], opts: RenderOptions = {}): string {
  const root = ROOT
  const html = template(opts.templateFile ?? join(root, 'web', 'dist', 'index.html'))
  const scenariosDir = opts.scenariosDir ?? join(root, 'scenarios')
  const lang = opts.lang ?? docs[0]?.lang ?? currentLang()
  const markdown = opts.notesMarkdown ?? perScenario(docs, scenariosDir, 'notes', lang)
  const handout = handoutFor(docs, scenariosDir, lang)
  const json = JSON.stringify({ documents: docs, notesHtml: renderNotes(markdown), ...(handout ? { handoutHtml: renderNotes(handout) } : {}), lang, ...(opts.checks ? { exerciseChecks: opts.checks } : {}) }).replace(/</g, '\\u003c')
  const [before, after] = html.split(DATA_TOKEN) as [string, string]
  return before + json + after
}

/**
 * Renders results documents and writes the page, creating folders as needed.
 * @returns the absolute path written, its size in bytes, and the milliseconds rendering and writing took
 * @throws Error when the page is not built (see `renderReport`) or the file cannot be written
 */
export async function writeReport(
  docs: ResultsDocument[],
  outFile: string,
  opts: RenderOptions = {},
): Promise<{ path: string; bytes: number; ms: number }> {
  const started = performance.now()
  const path = resolve(outFile)
  const html = renderReport(docs, opts)
  await mkdir(dirname(path), { recursive: true })
  await writeFile(path, html)
  return { path, bytes: Buffer.byteLength(html), ms: performance.now() - started }
}
