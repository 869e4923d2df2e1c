/**
 * `lab calibrate [scenario...]`: measures, once for this machine, the
 * calibrations the named scenarios' runs would use (every built-in scenario
 * when none is named), so that the first `lab run` of each, or a class's
 * `lab demo`, starts measuring at once. A calibration takes 2–5 s per engine
 * and setting (lab/run/calibrate.ts); a cold `lab run app-servers --quick`
 * spent 14 s of its 39 s on them on the project's 2-core VM (2026-12-03).
 *
 * Each scenario goes through the run engine with `calibrateOnly`: the same
 * plan, engines and settings as `lab run` (with `--quick`, the quick
 * ladders' connections), no level measured, nothing saved but the cache.
 * The calibration servers' logs go to a temporary folder, removed at the
 * end unless something failed (the command then says where they are).
 *
 * Exit codes: 0 every scenario calibrated; 2 bad input (an unknown scenario
 * or stack); 3 an engine a scenario needs is missing (the others are still
 * calibrated); 1 a calibration failed; 130/143/129 interrupted.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Writable } from 'node:stream'
import { calibrationRecordLines } from '../core/format-notes.js'
import { t } from '../core/i18n.js'
import { runScenario } from '../run/engine.js'
import { RunEvents } from '../run/events.js'
import type { RunRequest } from '../run/types.js'
import { scenarioNames } from '../store/scenarios.js'

/** Options of `lab calibrate`, as the CLI parsed them. */
export interface CalibrateOptions extends Pick<RunRequest, 'quick' | 'stack' | 'recalibrate' | 'signal' | 'lang'> {
  /** Scenario names or paths; every built-in scenario when empty. */
  scenarios: string[]
  /** Test seam: where to write (default process.stdout/stderr). */
  stdout?: Writable
  stderr?: Writable
  /** Test seam: the engine (default lab/run/engine.ts `runScenario`). */
  run?: typeof runScenario
}

/**
 * Calibrates the engines of each scenario in turn, printing each scenario's
 * calibrations (measured now or read from the cache).
 * @returns the exit code: the worst of the scenarios' (an interrupt stops at once)
 */
export async function calibrateCommand(opts: CalibrateOptions): Promise<number> {
  const stdout = opts.stdout ?? process.stdout
  const stderr = opts.stderr ?? process.stderr
  const run = opts.run ?? runScenario
  const names = opts.scenarios.length ? opts.scenarios : scenarioNames()
  const logs = mkdtempSync(path.join(os.tmpdir(), 'lab-calibrate-'))
  let code = 0
  try {
    code = await calibrateEach(names, logs, opts, run, stdout, stderr)
  } finally {
    // a failed calibration's logs are kept and named; an empty folder (bad input, a missing engine) is not
    if (code === 0 || readdirSync(logs, { recursive: true }).every((f) => !String(f).endsWith('.log'))) rmSync(logs, { recursive: true, force: true })
    else stderr.write(`lab calibrate: the calibration servers' logs are in ${logs}\n`)
  }
  return code
}

/** Calibrates each scenario in turn; returns the exit code. */
async function calibrateEach(names: string[], logs: string, opts: CalibrateOptions, run: typeof runScenario, stdout: Writable, stderr: Writable): Promise<number> {
  let code = 0
  for (const [i, name] of names.entries()) {
    if (opts.signal?.aborted) break
    stderr.write(`[${i + 1}/${names.length}] ${name}\n`)
    const events = new RunEvents()
    events.on('calibrate', (e) => stderr.write(`  ${t('cli.calibrating', { engine: e.engine, settings: e.settings })}\n`))
    const outcome = await run(
      {
        target: name,
        quick: opts.quick === true,
        ...(opts.stack ? { stack: opts.stack } : {}),
        ...(opts.recalibrate ? { recalibrate: true } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
        ...(opts.lang ? { lang: opts.lang } : {}),
        calibrateOnly: true,
        out: logs,
      },
      events,
    )
    for (const p of outcome.problems) stderr.write(`lab calibrate: ${name}: ${p}\n`)
    if (outcome.status === 'interrupted') return outcome.code
    const cal = outcome.doc?.calibration ?? []
    if (cal.length) stdout.write(`${[`${name}:`, ...calibrationRecordLines(cal)].join('\n')}\n`)
    code = worse(code, outcome.code)
  }
  return code
}

/** The exit code that tells more: bad input (2) and a missing engine (3) over a failure (1) over success (0). */
function worse(a: number, b: number): number {
  const rank = (c: number) => (c === 2 ? 3 : c === 3 ? 2 : c === 1 ? 1 : 0)
  return rank(b) > rank(a) ? b : a
}
