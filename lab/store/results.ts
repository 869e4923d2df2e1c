/**
 * Results documents on disk: `<out>/<scenario>/<UTC timestamp>.json`, written
 * atomically (temp file + rename) after every measured level, so an
 * interrupted run keeps what it measured and a reader never sees half a file.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { stamp } from '../core/labels.js'
import { parseResults, type ResultsDocument } from '../core/results.js'

/** Path of a run's results JSON. */
export function resultsPath(outDir: string, scenario: string, startedAt: string): string {
  return path.join(outDir, scenario, `${stamp(startedAt)}.json`)
}

/** Writes `doc` to `file` atomically, creating folders. */
export function writeResults(file: string, doc: ResultsDocument): void {
  mkdirSync(path.dirname(file), { recursive: true })
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, JSON.stringify(doc, null, 1) + '\n')
  renameSync(tmp, file)
}

/**
 * Reads and validates one results file.
 * @returns the document, or one line per problem (`file: problem`): missing, unreadable, not JSON, not schema v1
 */
export async function loadResults(file: string): Promise<ResultsDocument | string[]> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    return [`${file}: ${code === 'ENOENT' ? 'no such file' : `cannot read it (${code ?? String(err)})`}`]
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    return [`${file}: not JSON (${err instanceof Error ? err.message : String(err)})`]
  }
  const parsed = parseResults(json)
  return parsed.ok ? parsed.value : parsed.problems.map((p) => `${file}: ${p}`)
}
