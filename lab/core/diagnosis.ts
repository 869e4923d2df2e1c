/**
 * Warnings that diagnose from data (issue 11, "Warnings that diagnose from
 * data"): what limited a level, read from what it recorded, instead of
 * blaming a short run. Each diagnosis names whose CPU ran out and what that
 * means for the lesson.
 *
 * Pure: no I/O.
 */
import { runLabel } from './labels.js'
import type { ProcessStats, RunResult, Warning } from './results.js'
import { cpuMsPerResponse } from './model.js'
import type { WarningCode } from './vocabulary.js'
import { windowShortfalls } from './window.js'

/** Thresholds, tunable, with where each comes from. */
export const DIAGNOSIS_THRESHOLDS = {
  /** A process at this share of one core (mean over the window), percent, is CPU-bound: /proc sampling reads a busy thread at 95–105 %. */
  processCpuPercent: 95,
  /** Server processes and load generator together at this share of all cores: the machine had no idle CPU. */
  coresBusyShare: 0.95,
  /** autocannon is single-threaded; above ~85 % of a core it measures itself (docs/measurement.md). */
  clientCpuPercent: 85,
  /**
   * Other processes on the machine at this share of one core, percent (mean over the level): on
   * the 2-core machine, helpers' compilers at 130–190 % cut an event loop's 640 req/s to 390 with
   * the loop at 16 % CPU: every wake-up queued behind them (docs/measurement.md, "A busy machine").
   */
  otherCpuPercent: 50,
} as const

/** Codes of the diagnoses (words of the vocabulary's warning codes, with their text there). */
export type DiagnosisCode = Extract<WarningCode, 'cpu-saturated' | 'cores-saturated' | 'client-saturated' | 'too-short-to-trust' | 'machine-busy'>

/** One diagnosis: a code and a message that says whose, and what it means. */
export interface Diagnosis {
  code: DiagnosisCode
  message: string
  /** The processes concerned (cpu-saturated). */
  pids?: number[]
}

/** What a level's record does not carry. */
export interface DiagnosisContext {
  /** Cores of the machine (`env.cores`). */
  cores: number
  /** Percent of requests that crash or hang in the level's workload (`crash_pct + hang_pct`). */
  eventPct?: number
  /** Percent of a mix's requests of its rarest kind (lab/core/window.ts `rarestKindPct`). */
  rareKindPct?: number
}

const f0 = (n: number) => n.toFixed(0)

const label = (run: RunResult): string => runLabel(run)

/** Processes at or above {@link DIAGNOSIS_THRESHOLDS}.processCpuPercent, grouped by role. */
function saturated(run: RunResult): Map<ProcessStats['role'], ProcessStats[]> {
  const out = new Map<ProcessStats['role'], ProcessStats[]>()
  for (const p of run.processes) {
    if (p.cpuPercent.mean < DIAGNOSIS_THRESHOLDS.processCpuPercent) continue
    out.set(p.role, [...(out.get(p.role) ?? []), p])
  }
  return out
}

function meaning(run: RunResult, role: ProcessStats['role'], procs: ProcessStats[], ctx: DiagnosisContext): string {
  const who = procs.map((p) => `pid ${p.pid} at ${f0(p.cpuPercent.mean)} %`).join(', ')
  const engine = role === 'proxy' ? (run.engines.proxy ?? 'the proxy') : run.engines.server
  if (role === 'server') {
    const perReq = cpuMsPerResponse(procs.reduce((a, p) => a + p.cpuPercent.mean, 0), run.requests.perSecond.mean)
    const cost = perReq === undefined ? '' : ` Here it spent ${perReq.toFixed(3)} ms of CPU per response, so one core serves at most about ${f0(1000 / perReq)} req/s.`
    return (
      `the ${engine} server (${who}) had no CPU left: an event loop runs on one thread, so one core is all it can use.${cost} ` +
      'More connections only add waiting; this is where the event loop runs out of CPU, not a short run.'
    )
  }
  if (role === 'worker') {
    const all = run.processes.filter((p) => p.role === 'worker').length
    return (
      `${procs.length} of ${all} ${engine} workers were busy on the CPU the whole window (${who}). ` +
      `A worker at a full core is computing, not waiting: more workers help only while there are idle cores (${ctx.cores} here).`
    )
  }
  if (role === 'proxy') return `the proxy ${engine} (${who}) had no CPU left: it, not the application server behind it, set the pace.`
  return `the ${engine} master (${who}) was busy on the CPU: a master that should only watch its workers is doing work (respawning them?).`
}

/**
 * What limited a level, from its record: CPU saturation of a server process
 * (≥ 95 % of a core) or of the whole machine, a saturated load generator,
 * other processes busy on the same cores, and a window too short to trust
 * (core/window.ts rules).
 * @returns the diagnoses, most telling first; empty when nothing limited the level but its own design
 */
export function diagnose(run: RunResult, ctx: DiagnosisContext): Diagnosis[] {
  const out: Diagnosis[] = []
  const who = label(run)
  for (const [role, procs] of saturated(run)) {
    out.push({ code: 'cpu-saturated', pids: procs.map((p) => p.pid), message: `${who}: CPU saturation: ${meaning(run, role, procs, ctx)}` })
  }
  const server = run.processes.reduce((a, p) => a + p.cpuPercent.mean, 0)
  const client = run.loadGenerator.cpuPercent.mean
  const capacity = ctx.cores * 100
  if (server + client >= DIAGNOSIS_THRESHOLDS.coresBusyShare * capacity) {
    out.push({
      code: 'cores-saturated',
      message:
        `${who}: all ${ctx.cores} cores were busy (servers ${f0(server)} % + load generator ${f0(client)} % of ${f0(capacity)} %): ` +
        "the machine's CPU set the pace. Compare with the \"this machine\" prediction, which gives the servers only the CPU the load generator leaves them.",
    })
  }
  if (client > DIAGNOSIS_THRESHOLDS.clientCpuPercent) {
    out.push({
      code: 'client-saturated',
      message:
        `${who}: the load generator used ${f0(client)} % of a core, so the result measures the client as much as the server. ` +
        'Fewer connections, a slower workload (more io_ms or cpu_ms) or a faster machine give a fair reading.',
    })
  }
  const other = run.otherCpuPercent ?? 0
  if (other >= DIAGNOSIS_THRESHOLDS.otherCpuPercent) {
    out.push({
      code: 'machine-busy',
      message:
        `${who}: other processes on this machine used ${f0(other)} % of a core while the level ran. Every wake-up of the servers and the load generator waited its turn behind them, ` +
        'so latencies are longer and a closed loop answers less than on a quiet machine; the "this machine" prediction takes their cores away but not those waits. Measure again with the machine quiet.',
    })
  }
  const short = windowShortfalls({
    measuredS: run.window?.measuredS ?? run.durationS,
    connections: run.connections,
    responses: run.requests.total,
    meanMs: run.requests.total > 0 ? run.latencyMs.mean : null,
    ...(run.prediction && Number.isFinite(run.prediction.meanMs) ? { predictedMeanMs: run.prediction.meanMs } : {}),
    ...(ctx.eventPct ? { eventPct: ctx.eventPct } : {}),
    ...(ctx.rareKindPct ? { rareKindPct: ctx.rareKindPct } : {}),
  })
  // a level that answered nothing is its own diagnosis (no-responses), not a short window
  if (short.length && run.requests.total > 0) {
    out.push({
      code: 'too-short-to-trust',
      message: `${who}: too short to trust: ${short.map((s) => s.message).join('; ')}. Measure longer (--set load.duration_s=…) or repeat (--repeat 3).`,
    })
  }
  return out
}

/** {@link diagnose} as entries of the warnings catalogue (`run` is the level's index in `runs`). */
export function diagnosisWarnings(run: RunResult, index: number, ctx: DiagnosisContext): Warning[] {
  return diagnose(run, ctx).map((d) => ({ code: d.code, run: index, message: d.message }))
}
