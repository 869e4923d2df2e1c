/**
 * `lab run <name|path>`: the CLI's face of the run engine (lab/run/engine.ts).
 * It subscribes to the run's events to draw the progress bar (one line per
 * level when stderr is not a terminal), then prints the summary, the
 * warnings, where the results and report went, and maps the outcome to the
 * exit code.
 *
 * Exit codes: 0 done; 1 run failed; 2 bad input; 3 a required engine is missing;
 * 130 interrupted (SIGINT), 143 (SIGTERM) and 129 (SIGHUP), with what was measured saved
 * (nothing is written when no level had finished: the CLI says so).
 */
import cliProgress from 'cli-progress'
import path from 'node:path'
import type { Writable } from 'node:stream'
import type { LabEvent } from '../core/events.js'
import { formatSummary, num } from '../core/format.js'
import { t } from '../core/i18n.js'
import { rewordWindow } from '../core/reword.js'
import { answeredPerSecond, answeredRate, fmtRate, runLabel, type LevelKey } from '../core/labels.js'
import type { RunResult } from '../core/results.js'
import { runScenario } from '../run/engine.js'
import { RunEvents } from '../run/events.js'
import type { RunOutcome, RunRequest } from '../run/types.js'
import { openFile } from './report.js'

/** Options of `lab run`, as the CLI parsed them. */
export interface RunOptions extends RunRequest {
  /** Write the results document to stdout; everything else to stderr. */
  json?: boolean
  /** Open the HTML report when done. */
  open?: boolean
  /** Test seam: where to write (default process.stdout/stderr). */
  stdout?: Writable
  stderr?: Writable
  /** Also receives the run's events (see lab/run/events.ts); a listener that throws is ignored. */
  onEvent?: (e: LabEvent) => void
}

/**
 * Runs a scenario from the command line.
 * @returns the engine's outcome; `code` is the exit code
 */
export async function runCommand(opts: RunOptions): Promise<RunOutcome> {
  const stdout = opts.stdout ?? process.stdout
  const stderr = opts.stderr ?? process.stderr
  const events = new RunEvents()
  let bar: Progress | undefined
  let planned = false
  events.on('plan', (e) => {
    planned = true
    for (const s of e.skipped ?? []) stderr.write(`lab run: ${t('cli.skipping', { what: s })}\n`)
    for (const n of e.notices ?? []) stderr.write(`lab run: ${n}\n`)
    stderr.write(`${e.scenario.title}\n${t('cli.plan', { levels: e.levels.length, topologies: e.topologies.length, seconds: Math.round(e.estimatedS), file: e.file })}\n`)
    bar = progress(stderr, e.levels.length)
  })
  events.on('calibrate', (e) => bar?.note(t('cli.calibrating', { engine: e.engine, settings: e.settings })))
  events.onProgress((p) => bar?.update(p.level.index + p.fraction, levelName(p.level), t(`cli.phase.${p.phase}`), p.perSecond))
  events.on('level-done', (e) => bar?.levelDone(e.level, e.run))
  if (opts.onEvent) events.onEvent(opts.onEvent)

  const outcome = await runScenario(opts, events)
  bar?.stop()
  // refused before the plan (an engine's detection failed): say what was left out all the same
  if (!planned) for (const s of outcome.skipped) stderr.write(`lab run: ${t('cli.skipping', { what: s })}\n`)
  for (const p of outcome.problems) stderr.write(`lab run: ${p}\n`)
  const { doc } = outcome
  if (!doc) return outcome
  const ended = t(outcome.status === 'failed' ? 'cli.failed' : 'cli.interrupted')
  // stopped before the first level finished: no file, so no summary and no document to show either
  if (!outcome.saved) {
    stderr.write(`${t('cli.nothingMeasured', { ended })}\n`)
    return outcome
  }

  const summary = formatSummary(doc)
  if (opts.json) {
    stdout.write(JSON.stringify(doc, null, 1) + '\n')
    stderr.write('\n' + summary)
  } else stdout.write('\n' + summary)
  if (outcome.code !== 0) stderr.write(`${t('cli.partial', { ended })}\n`)
  if (doc.runs.length > 0 && outcome.file) {
    stderr.write(`${t('cli.results', { file: shortPath(outcome.file) })}\n`)
    if (outcome.report) {
      stderr.write(`${t('cli.report', { file: shortPath(outcome.report) })}\n`)
      if (opts.open) openFile(outcome.report)
    } else if (outcome.reportError) stderr.write(`${t('cli.noReport', { why: outcome.reportError })}\n`)
  }
  return outcome
}

const levelName = (l: LevelKey): string => runLabel({ ...l, repeat: 0 })

/** A path relative to the working folder when it is below it, else absolute. */
function shortPath(file: string): string {
  const rel = path.relative(process.cwd(), file)
  return rel && !rel.startsWith('..') ? rel : path.resolve(file)
}

type Progress = ReturnType<typeof progress>

/** A progress display on stderr: a bar on a terminal, one line per level otherwise. */
function progress(stderr: Writable, total: number) {
  const tty = (stderr as NodeJS.WriteStream).isTTY === true && !process.env.CI
  const bar = tty
    ? new cliProgress.SingleBar(
        { stream: stderr as NodeJS.WriteStream, format: ' {bar} {percentage}% | {level} | {phase} {rate} req/s | ETA {eta_formatted}', hideCursor: true, etaBuffer: 40 },
        cliProgress.Presets.shades_classic,
      )
    : undefined
  bar?.start(total, 0, { level: '', phase: t('cli.phase.starting'), rate: 0 })
  return {
    /** A line about what the run does before its levels (a calibration). */
    note(text: string) {
      if (bar) bar.update({ level: text, phase: '', rate: 0 })
      else stderr.write(`${text}\n`)
    },
    update(done: number, level: string, phase: string, rate: number) {
      bar?.update(done, { level, phase, rate: Math.round(rate) })
    },
    levelDone(i: number, run: RunResult) {
      const level = levelName(run)
      if (bar) bar.update(i + 1, { level, phase: t('cli.phase.done'), rate: Math.round(answeredPerSecond(run)) })
      else
        stderr.write(
          t('cli.levelDone', { i: i + 1, total, level, rate: fmtRate(answeredRate(run), 1, t('cli.answeredUnit')), mean: num(run.latencyMs.mean, 1), p99: num(run.latencyMs.p99, 1), errors: run.errors.total }) +
            `${run.window?.verdict && run.window.verdict !== 'as-asked' ? `; ${rewordWindow(run.window.message ?? '')}` : ''}\n`,
        )
    },
    stop() {
      bar?.stop()
    },
  }
}
