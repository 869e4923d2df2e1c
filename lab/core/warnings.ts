/**
 * The warnings catalogue: checks every measured level against what must hold
 * for the numbers to mean what they seem to (style.md, "Warnings are a typed
 * catalogue that teaches"). Pure: no I/O.
 */
import type { RunResult, Warning } from './results.js'
import { relativeSpread } from './stats.js'

/** Thresholds, with where each comes from. */
export const THRESHOLDS = {
  /** Little's law must hold in a closed loop; more than 10 % off means the measurement is wrong (design.md). */
  littlesLaw: 0.1,
  /** autocannon is single-threaded; above ~85 % of a core it measures itself (design.md). */
  clientCpuPercent: 85,
  /** σ/mean of per-second throughput above this: the level never settled. */
  spread: 0.2,
  /** Fewer measured responses than this make percentiles meaningless. */
  minResponses: 20,
} as const

/** Codes of the catalogue. */
export type WarningCode = 'littles-law-mismatch' | 'client-saturated' | 'errors-seen' | 'spread-too-wide' | 'run-too-short'

const f1 = (n: number) => n.toFixed(1)

function label(run: RunResult): string {
  return `${run.topology} ${run.workload} @${run.connections}${run.repeat > 0 ? ` (repeat ${run.repeat + 1})` : ''}`
}

/**
 * Checks one level.
 * @param index - the level's index in `runs`
 */
export function warningsFor(run: RunResult, index: number): Warning[] {
  const out: Warning[] = []
  const add = (code: WarningCode, message: string) => out.push({ code, run: index, message })
  const who = label(run)
  const { ratio, expectedMeanMs, measuredMeanMs } = run.littlesLaw
  if (ratio !== null && expectedMeanMs !== null && measuredMeanMs !== null && Math.abs(ratio - 1) > THRESHOLDS.littlesLaw) {
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
      `${who}: ${parts.join(', ')}. Throughput and latency count only the answers that came back; ` +
        'the server may be overloaded, crashing, or refusing connections.',
    )
  }
  if (run.requests.total < THRESHOLDS.minResponses) {
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
