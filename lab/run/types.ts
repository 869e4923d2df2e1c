/**
 * What the run engine takes and gives back: the request (a scenario and the
 * `lab run` options, plus the test seams) and the outcome (status, files,
 * document). Nothing here prints; the CLI and the demo decide what to show.
 */
import type { Lang } from '../core/i18n-lang.js'
import type { ResultsDocument } from '../core/results.js'
import type { LoadDriver } from '../load/driver.js'
import type { startTopology } from '../topology/topology.js'
import type { LevelGate } from './gate.js'

/** A run to make: the options of `lab run`, parsed. */
export interface RunRequest {
  /** A built-in scenario's name, a folder holding scenario.ts, or a .ts/.js file. */
  target: string
  /** A scenario made in memory instead of loading `target` (`lab run my-app` builds its own); `target` is then only its name. */
  scenario?: unknown
  /** Use the scenario's `quick` load. */
  quick?: boolean
  /** `node` (default) or `python`; anything else is bad input. */
  stack?: string
  /** `--set path=value` overrides, in order. */
  set?: string[]
  /** Run only these topologies (all when absent or empty). */
  topology?: string[]
  /** Run only these workloads (all when absent or empty). */
  workload?: string[]
  /** Measure each level this many times, each on a fresh topology (`--repeat N`; default the scenario's `load.repeat`). */
  repeat?: number
  /** Measure the engines' calibration again even when it is cached (`--recalibrate`). */
  recalibrate?: boolean
  /**
   * Calibrate the engines for the "this machine" prediction (default: yes,
   * except with the `start` test seam, whose topologies are not real).
   */
  calibrate?: boolean
  /**
   * Only calibrate (`lab calibrate`): measure or read each topology's
   * calibration, as the run would, then stop; no level is measured and
   * nothing is saved. The outcome's `doc.calibration` holds the records.
   */
  calibrateOnly?: boolean
  /** The reader's language (`--lang`, else the locale): notes are read in it when translated, and the document records it. */
  lang?: Lang
  /** Results folder (default `results`). */
  out?: string
  /** The command line to record, for reproducing the run (default `npx lab run <name>[ --quick]`). */
  command?: string
  /** Test seam: a fake driver instead of autocannon. */
  driver?: LoadDriver
  /** Test seam: a driver for open-loop levels instead of lab/load/open-loop.ts. */
  openDriver?: LoadDriver
  /** Test seam: a fake topology starter instead of real processes (also skips engine detection). */
  start?: typeof startTopology
  /** The demo's step mode and pause (lab/run/gate.ts): asked between levels; none holds the run. */
  gate?: LevelGate
  /** Aborting it interrupts the run like Ctrl-C; its `reason` `'SIGTERM'` makes the status's code 143, `'SIGHUP'` 129. */
  signal?: AbortSignal
}

/**
 * How a run ended: `done` every level measured; `failed` an error stopped it;
 * `bad-input` refused before anything started (scenario, `--set`, `--stack`,
 * plan); `engine-missing` a real engine it needs is not installed;
 * `interrupted` its signal was aborted.
 */
export type RunStatus = 'done' | 'failed' | 'bad-input' | 'engine-missing' | 'interrupted'

/** What a run produced. */
export interface RunOutcome {
  status: RunStatus
  /** `lab run`'s exit code for the status (see {@link exitCode}); also the `done` event's `code`. */
  code: number
  /** Why it was refused or failed: one line per problem (bad input), else one message. */
  problems: string[]
  /** Topologies left out because an engine they pin is not installed (`id: why`). */
  skipped: string[]
  /** The results JSON path (absent when refused before planning). */
  file?: string
  /** Whether `file` was written (something was measured, or the run was complete). */
  saved: boolean
  /** The HTML report beside the JSON, when written. */
  report?: string
  /** Why the HTML report was not written (e.g. the page is not built), when it was tried. */
  reportError?: string
  /** The results document (absent when refused before planning). */
  doc?: ResultsDocument
}

/**
 * `lab run`'s exit code: 0 done; 1 failed; 2 bad input; 3 engine missing;
 * 130 interrupted (SIGINT, 128 + 2), 143 (SIGTERM, 128 + 15) or 129 (SIGHUP, 128 + 1), the shell's
 * convention for a process ended by a signal.
 * @param interruptedBy - the abort reason, for `interrupted`
 */
export function exitCode(status: RunStatus, interruptedBy?: unknown): number {
  switch (status) {
    case 'done':
      return 0
    case 'failed':
      return 1
    case 'bad-input':
      return 2
    case 'engine-missing':
      return 3
    case 'interrupted':
      return interruptedBy === 'SIGTERM' ? 143 : interruptedBy === 'SIGHUP' ? 129 : 130
  }
}
