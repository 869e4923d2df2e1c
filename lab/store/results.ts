/**
 * Results documents on disk: `<out>/<scenario>/<UTC timestamp>.json`, written
 * atomically (temp file + rename) after every measured level, so an
 * interrupted run keeps what it measured and a reader never sees half a file.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { parseResults, type ResultsDocument } from '../core/results.js'

/** `2026-11-22T10:00:00.123Z` → `20261122T100000Z` (sortable, no colons). */
export function stamp(iso: string): string {
  return iso.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')
}

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
 * Reads and validates a results document.
 * @throws Error naming the file and each problem when it is missing, not JSON or not schema v1
 */
export function readResults(file: string): ResultsDocument {
  let raw: string
  try {
    raw = readFileSync(file, 'utf8')
  } catch {
    throw new Error(`${file}: no such file`)
  }
  let json: unknown
  try {
    json = JSON.parse(raw)
  } catch {
    throw new Error(`${file}: not JSON`)
  }
  const parsed = parseResults(json)
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => `${file}: ${p}`).join('\n'))
  return parsed.value
}
