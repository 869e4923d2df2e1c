/**
 * `lab report`: turns results documents into one self-contained HTML file
 * (rendered by lab/store/report.ts).
 */
import type { Lang } from '../core/i18n-lang.js'
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import type { ResultsDocument } from '../core/results.js'
import { writeReport } from '../store/report.js'
import { loadResults } from '../store/results.js'

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, command)))
}

/** Where `lab report` prints; swapped in tests. */
export interface ReportIO {
  stdout: { write(s: string): unknown }
  stderr: { write(s: string): unknown }
}

/**
 * `lab report <results.json>... [--out FILE] [--open]`.
 * @param opts.out - the HTML file; default: the first JSON's path with `.html`
 * @param opts.open - open it with `xdg-open` when that exists (detached, errors ignored)
 * @returns the exit code: 0 written; 1 could not render or write; 2 a file is missing, not JSON or not a valid results document
 */
export async function reportCommand(
  files: string[],
  opts: { out?: string; open?: boolean; lang?: Lang },
  io: ReportIO = process,
): Promise<number> {
  if (files.length === 0) {
    io.stderr.write('lab report: name at least one results file, e.g. lab report results/prefork-vs-async/<timestamp>.json\n')
    return 2
  }
  const loaded = await Promise.all(files.map(loadResults))
  const problems = loaded.flatMap((l) => (Array.isArray(l) ? l : []))
  if (problems.length > 0) {
    for (const p of problems) io.stderr.write(`lab report: ${p}\n`)
    return 2
  }
  const docs = loaded as ResultsDocument[]
  const out = opts.out ?? (files[0] ?? 'report.json').replace(/(\.json)?$/i, '.html')
  let written: { path: string }
  try {
    written = await writeReport(docs, out, opts.lang ? { lang: opts.lang } : {})
  } catch (err) {
    io.stderr.write(`lab report: ${err instanceof Error ? err.message : String(err)}\n`)
    return 1
  }
  io.stdout.write(`${written.path}\n`)
  if (opts.open) openFile(written.path)
  return 0
}

/** Opens a file with `xdg-open` when it exists (detached, errors ignored); otherwise does nothing. */
export function openFile(file: string): void {
  if (!onPath('xdg-open')) return
  const child = spawn('xdg-open', [file], { detached: true, stdio: 'ignore' })
  child.on('error', () => {})
  child.unref()
}
