/**
 * The event log: a run's events (lab/core/events.ts) as NDJSON, one JSON
 * object per line, beside its results (`<out>/<scenario>/<stamp>.events.ndjson`),
 * so a run can be replayed or inspected line by line after the fact.
 *
 * Each line is written with one synchronous append as the event happens, so
 * the file holds every event up to a crash, in order, and a reader never sees
 * half a line except, at worst, the very last one.
 */
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs'
import path from 'node:path'
import type { LabEvent } from '../core/events.js'

/** The event log's path for a results file: `x/20261122T100000Z.json` → `x/20261122T100000Z.events.ndjson`. */
export function eventLogPath(resultsFile: string): string {
  return resultsFile.replace(/\.json$/, '') + '.events.ndjson'
}

/** Appends events to an NDJSON file. */
export class EventLog {
  private fd: number | undefined

  /**
   * Creates (or truncates) the file, creating folders.
   * @throws Error when the file cannot be created
   */
  constructor(readonly file: string) {
    mkdirSync(path.dirname(file), { recursive: true })
    this.fd = openSync(file, 'w')
  }

  /** Appends one event as one line; does nothing once closed. */
  append(event: LabEvent): void {
    if (this.fd === undefined) return
    writeSync(this.fd, JSON.stringify(event) + '\n')
  }

  /** Closes the file; idempotent. */
  close(): void {
    if (this.fd === undefined) return
    closeSync(this.fd)
    this.fd = undefined
  }
}

/**
 * Reads an event log back. A torn last line (a crash mid-write) is skipped.
 * @throws Error when the file cannot be read
 */
export function readEventLog(file: string): LabEvent[] {
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '')
  const events: LabEvent[] = []
  lines.forEach((line, i) => {
    try {
      events.push(JSON.parse(line) as LabEvent)
    } catch (err) {
      if (i !== lines.length - 1) throw new Error(`${file}:${i + 1}: not JSON (${(err as Error).message})`)
    }
  })
  return events
}
