/**
 * Saving a run: the results document (docs/results-schema.md), written
 * atomically after every measured level so an interrupted run keeps what it
 * measured, and the HTML report beside it at the end.
 */
import { SCHEMA_VERSION, type Placement, type ResultsDocument, type RunResult, type Warning } from '../core/results.js'
import type { Workload } from '../core/scenario.js'
import { warningsFor } from '../core/warnings.js'
import { eventPct, rarestKindPct } from '../core/window.js'
import { repeatedLevels } from '../core/labels.js'
import { writeReport } from '../store/report.js'
import { writeResults } from '../store/results.js'
import { collectEnv } from './env.js'
import type { Prepared } from './prepare.js'

/** The results document of a run that has not measured anything yet (`complete: false`). */
export function newDocument(p: Prepared, engines: Record<string, string>, startedAt: string, command: string, placement?: Placement): ResultsDocument {
  const { scenario, stack } = p
  return {
    schemaVersion: SCHEMA_VERSION,
    complete: false,
    scenario: { name: scenario.name, title: scenario.title, definition: scenario },
    stack,
    startedAt,
    finishedAt: null,
    env: { ...collectEnv(engines), ...(placement ? { placement } : {}) },
    command,
    ...(p.notes ? { notes: p.notes } : {}),
    ...(p.handout ? { handout: p.handout } : {}),
    ...(p.lang ? { lang: p.lang } : {}),
    runs: [],
    warnings: [],
  }
}

/** A run's document on disk: levels are added as they are measured, each one saved at once. */
export class ResultsRecorder {
  /**
   * @param file - the results JSON
   * @param doc - the document (see {@link newDocument}); changed in place
   * @param engines - engine name → version; the caller may add to it while the run goes on (built-in servers as they start)
   * @param workloads - the plan's workloads, for their fault rates (the window rules count rare events)
   */
  constructor(
    readonly file: string,
    readonly doc: ResultsDocument,
    private readonly engines: Record<string, string>,
    private readonly workloads: Record<string, Workload> = {},
  ) {}

  /**
   * Adds a measured level, with the warnings it raises (diagnosed from the
   * data: lab/core/diagnosis.ts), takes its repeats together when it has
   * some, and saves the document.
   * @returns the level's warnings (lab/core/warnings.ts)
   * @throws Error when the file cannot be written
   */
  add(run: RunResult): Warning[] {
    this.doc.runs.push(run)
    const w = this.workloads[run.workload]
    const pct = w ? eventPct(w) : 0
    const rare = w && run.mode !== 'open' ? rarestKindPct(w) : undefined
    const warnings = warningsFor(run, this.doc.runs.length - 1, { cores: this.doc.env.cores, ...(pct > 0 ? { eventPct: pct } : {}), ...(rare ? { rareKindPct: rare } : {}) })
    this.doc.warnings.push(...warnings)
    const repeated = repeatedLevels(this.doc.runs)
    if (repeated.length) this.doc.repeated = repeated
    this.save()
    return warnings
  }

  /**
   * Marks the run finished (complete when every level was measured) and
   * saves it if anything was measured or it is complete.
   * @returns whether the file was written
   */
  finish(complete: boolean): boolean {
    this.doc.complete = complete
    this.doc.finishedAt = new Date().toISOString()
    const saved = this.doc.runs.length > 0 || complete
    if (saved) this.save()
    return saved
  }

  private save(): void {
    this.doc.env.engines = { ...this.engines }
    writeResults(this.file, this.doc)
  }
}

/**
 * Writes the HTML report beside the results JSON (`x.json` → `x.html`). A
 * missing web build is reported, never fails the run.
 * @returns the report's absolute path, or why it was not written
 */
export async function writeHtmlReport(doc: ResultsDocument, resultsFile: string): Promise<{ report?: string; reportError?: string }> {
  try {
    return { report: (await writeReport([doc], resultsFile.replace(/\.json$/, '.html'))).path }
  } catch (err) {
    return { reportError: (err as Error).message }
  }
}

/** The folder a run's server logs go to: beside the results, `x.json` → `x.logs`. */
export function logsDir(resultsFile: string): string {
  return resultsFile.replace(/\.json$/, '.logs')
}
