/**
 * The warnings catalogue: checks every measured level against what must hold
 * for the numbers to mean what they seem to (docs/measurement.md, "Warnings";
 * docs/architecture.md, "Conventions"). Pure: no I/O.
 */
import { answeredPerSecond, runLabel } from './labels.js'
import { DIAGNOSIS_THRESHOLDS, diagnose, type Diagnosis, type DiagnosisContext } from './diagnosis.js'
import type { RunResult, Warning } from './results.js'
import { relativeSpread } from './stats.js'
import type { WarningCode } from './vocabulary.js'

/** Thresholds, with where each comes from. */
export const THRESHOLDS = {
  /** Little's law must hold in a closed loop; more than 10 % off means the measurement is wrong (docs/measurement.md, "Little's law"). */
  littlesLaw: 0.1,
  /** autocannon is single-threaded; above ~85 % of a core it measures itself (docs/measurement.md, "The client's CPU"; core/diagnosis.ts). */
  clientCpuPercent: DIAGNOSIS_THRESHOLDS.clientCpuPercent,
  /** σ/mean of per-second throughput above this: the level never settled. */
  spread: 0.2,
  /** Fewer measured responses than this make percentiles meaningless. */
  minResponses: 20,
  /** Measured / predicted throughput outside 1 ± this: theory and measurement disagree (issue 6). */
  model: 0.15,
} as const

const f1 = (n: number) => n.toFixed(1)

const label = (run: RunResult): string => runLabel(run)

/**
 * Checks one level.
 * @param index - the level's index in `runs`
 * @param ctx - the machine's cores (and the workload's fault rate): with it
 *   the level is diagnosed from its data (core/diagnosis.ts): a window too
 *   short to trust by the rules of core/window.ts, and, where the textbook
 *   prediction is off by more than {@link THRESHOLDS}.model, whose CPU ran
 *   out; a disagreement with theory is blamed on that before a short run
 */
export function warningsFor(run: RunResult, index: number, ctx?: DiagnosisContext): Warning[] {
  const out: Warning[] = []
  const add = (code: WarningCode, message: string) => out.push({ code, run: index, message })
  const diagnoses = ctx ? diagnose(run, ctx) : []
  const who = label(run)
  const { ratio, expectedMeanMs, measuredMeanMs } = run.littlesLaw
  // With failed requests the check cannot hold: their time is in no latency. errors-seen says so.
  if (run.errors.total === 0 && ratio !== null && expectedMeanMs !== null && measuredMeanMs !== null && Math.abs(ratio - 1) > THRESHOLDS.littlesLaw) {
    add(
      'littles-law-mismatch',
      `${who}: mean latency ${f1(measuredMeanMs)} ms is ${ratio.toFixed(2)}× what Little's law gives for ` +
        `${run.connections} connections at ${f1(run.requests.perSecond.mean)} req/s (${f1(expectedMeanMs)} ms). ` +
        'In a closed loop the two must agree, so this measurement is suspect: look for errors, a saturated client, ' +
        'or a warm-up too short for this level (raise it with --set load.warmup_s=3).',
    )
  }
  const cpu = run.loadGenerator.cpuPercent.mean
  if (cpu > THRESHOLDS.clientCpuPercent) {
    add(
      'client-saturated',
      `${who}: the load generator used ${f1(cpu)} % of a core, so the result measures the client as much as the server. ` +
        'Fewer connections, a slower workload (more io_ms or cpu_ms) or a faster machine give a fair reading.',
    )
  }
  const e = run.errors
  if (e.total > 0) {
    const parts = [
      e.timeouts ? `${e.timeouts} timeouts` : '',
      e.resets ? `${e.resets} connection errors` : '',
      e.non2xx ? `${e.non2xx} non-2xx responses (${Object.entries(e.byStatus).filter(([s]) => !s.startsWith('2')).map(([s, n]) => `${s}: ${n}`).join(', ')})` : '',
    ].filter(Boolean)
    add(
      'errors-seen',
      `${who}: ${parts.join(', ')}. Latency counts only the answers that came back, so Little's law cannot be checked here; ` +
        'the server may be overloaded, crashing, shedding load or refusing connections.',
    )
  }
  if (run.prediction && run.prediction.perSecond > 0 && run.requests.total > 0) {
    const measured = answeredPerSecond(run)
    const ratio = measured / run.prediction.perSecond
    if (Math.abs(ratio - 1) > THRESHOLDS.model) {
      const what = measured === run.requests.perSecond.mean ? 'req/s' : 'answered (2xx) req/s'
      const which = run.prediction.basis === 'this-machine' ? 'the calibrated model ("this machine")' : 'theory'
      add('model-mismatch', `${who}: measured ${f1(measured)} ${what} is ${ratio.toFixed(2)}× the ${f1(run.prediction.perSecond)} req/s ${which} predicts. ${likelyCause(run, ratio, diagnoses)}`)
    }
  }
  // CPU saturation is named where the textbook model (io_ms and cpu_ms only) would mislead
  const textbook = run.prediction?.textbook ?? (run.prediction?.basis === undefined ? run.prediction : undefined)
  const offTextbook = textbook !== undefined && textbook.perSecond > 0 && Math.abs(answeredPerSecond(run) / textbook.perSecond - 1) > THRESHOLDS.model
  for (const d of diagnoses) {
    if ((d.code === 'cpu-saturated' || d.code === 'cores-saturated') && offTextbook) add(d.code, d.message)
    if (d.code === 'too-short-to-trust') add(d.code, d.message)
  }
  const slow = run.slowClients
  if (slow?.via === 'paced' && slow.note) add('slow-link-unavailable', `${who}: ${slow.note}.`)
  if (run.requests.total === 0) {
    add(
      'no-responses',
      `${who}: no response completed in the measured window: every request was still waiting. ` +
        (run.prediction?.perSecond === 0
          ? 'Theory says the same (every worker is held), so this is the lesson, not a fault.'
          : 'Look at the errors and the server output; the server may be hung or refusing connections.'),
    )
  } else if (run.requests.total < THRESHOLDS.minResponses) {
    add(
      'run-too-short',
      `${who}: only ${run.requests.total} responses were measured; percentiles from so few are noise. ` +
        'Measure longer (--set load.duration_s=5) or drop --quick.',
    )
  } else if (relativeSpread(run.requests.perSecond) > THRESHOLDS.spread) {
    add(
      'spread-too-wide',
      `${who}: req/s varied by ${f1(relativeSpread(run.requests.perSecond) * 100)} % (σ/mean) from second to second; ` +
        'the level did not settle. Look at its timeline, and measure longer or repeat (--set load.repeat=3).',
    )
  }
  return out
}

/** The likeliest reason theory and measurement disagree, from what the level recorded and its diagnoses. */
function likelyCause(run: RunResult, ratio: number, diagnoses: readonly Diagnosis[]): string {
  if (run.loadGenerator.cpuPercent.mean > THRESHOLDS.clientCpuPercent) return 'The load generator was saturated, so the client, not the server, set the pace.'
  if (run.errors.timeouts > 0 || (run.errors.non2xx > 0 && run.requests.ok === undefined)) return 'Errors were seen; the model assumes every request succeeds.'
  const cpu = diagnoses.find((d) => d.code === 'cpu-saturated' || d.code === 'cores-saturated')
  if (cpu) return `Likely cause, from the data: ${cpu.message.slice(cpu.message.indexOf(': ') + 2)}`
  if (diagnoses.some((d) => d.code === 'too-short-to-trust')) return 'The window was too short to trust (see that warning); measure longer before trusting either number.'
  if (diagnoses.length === 0 && (run.requests.total < 100 || run.durationS < 1.95)) return 'The run was short; measure longer (--set load.duration_s=5) before trusting either number.'
  const serverCpu = run.processes.reduce((a, p) => a + p.cpuPercent.mean, 0)
  if (ratio < 1 && serverCpu > 0) {
    return (
      'Something the model leaves out took time: other processes on the machine sharing the cores, or per-request work ' +
      '(parsing, connecting, writing) that is not in io_ms or cpu_ms and matters when requests are cheap.'
    )
  }
  return 'A model assumption does not hold here (for example, requests are not served in the order they arrive, or the server does more work than the workload asks for).'
}
