/**
 * The summary printed at the end of `lab run`, in the style of hyperfine:
 * per workload, a table of topology × connections with req/s (mean ± σ), p50,
 * p99, errors, server CPU % and the Little's-law ratio, then one verdict line.
 * Pure: returns strings.
 */
import type { ResultsDocument, RunResult } from './results.js'
import { openLoopTable } from './format-open.js'
import { answeredPerSecond, loadLabel, rankPerSecond, verdictText } from './labels.js'

const pad = (s: string, n: number) => s.padStart(n)
const fix = (n: number, d = 1) => n.toFixed(d)

/**
 * The verdict at the highest connection count of a workload: the topology
 * with the most req/s (mean over repeats) against each other one, e.g.
 * `io-bound @128: async served 24.3× the req/s of prefork` (ranked and worded
 * by `rankPerSecond` and `verdictText`, as the report's verdicts are).
 * @returns null when fewer than two topologies were measured at that level, or none served anything
 */
export function verdict(workload: string, runs: readonly RunResult[]): string | null {
  const mine = runs.filter((r) => r.workload === workload && !r.openLoop)
  if (mine.length === 0) return null
  const top = Math.max(...mine.map((r) => r.connections))
  const byTopology = new Map<string, number[]>()
  for (const r of mine.filter((r) => r.connections === top)) byTopology.set(r.topology, [...(byTopology.get(r.topology) ?? []), r.requests.perSecond.mean])
  const comparisons = rankPerSecond([...byTopology].map(([name, xs]) => ({ name, perSecond: xs.reduce((a, b) => a + b, 0) / xs.length })))
  return comparisons.length ? verdictText(`${workload} @${top}`, comparisons) : null
}

/** `io_ms=50 cpu_ms=0 bytes=1024`, plus any other field that is set (`crash_pct=1`, `streams={"count":4}`). */
export function describeWorkload(params: Record<string, unknown>): string {
  const always = ['io_ms', 'cpu_ms', 'bytes']
  return Object.entries(params)
    .filter(([k, v]) => always.includes(k) || (v !== 0 && v !== undefined && v !== null))
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' ')
}

/** Server CPU of a level: the sum over its processes, in percent of one core. */
export function serverCpuPercent(run: RunResult): number {
  return run.processes.reduce((s, p) => s + p.cpuPercent.mean, 0)
}

/** Lines for what ran beside the load: the probe, streams, TIME_WAIT sockets (only where they say something). */
export function extras(runs: readonly RunResult[]): string[] {
  const out: string[] = []
  const at = (r: RunResult) => `${r.topology} ${loadLabel(r)}`
  const probes = runs.filter((r) => r.probe)
  if (probes.length) {
    out.push('', `  probe ${probes[0]?.probe?.path} beside the load:`)
    for (const r of probes) {
      const p = r.probe as NonNullable<RunResult['probe']>
      out.push(`    ${at(r).padEnd(20)} p50 ${fix(p.latencyMs.p50)} ms, p99 ${fix(p.latencyMs.p99)} ms, max ${fix(p.latencyMs.max)} ms (${p.requests} probes${p.errors ? `, ${p.errors} errors` : ''})`)
    }
  }
  const streams = runs.filter((r) => r.streams)
  if (streams.length) {
    out.push('', '  streams held open beside the load:')
    for (const r of streams) {
      const st = r.streams as NonNullable<RunResult['streams']>
      out.push(`    ${at(r).padEnd(20)} ${st.opened} opened, ${st.events} events received${st.failed ? `, ${st.failed} failed` : ''}`)
    }
  }
  const ws = runs.filter((r) => r.websockets)
  if (ws.length) {
    out.push('', '  WebSocket clients beside the load (send → every receiver in the room):')
    for (const r of ws) {
      const w = r.websockets as NonNullable<RunResult['websockets']>
      const refused = Object.entries(w.refused).map(([status, n]) => `${n} refused with ${status}`)
      out.push(
        `    ${at(r).padEnd(20)} ${w.held} of ${w.clients} held open, ${fix(w.sentPerSecond)} messages/s, ${fix(w.deliveredPerSecond)} deliveries/s, ` +
          `delivery p50 ${fix(w.deliveryMs.p50)} ms, p99 ${fix(w.deliveryMs.p99)} ms${[...refused, ...(w.failed ? [`${w.failed} failed`] : [])].map((x) => `, ${x}`).join('')}`,
      )
    }
  }
  if (runs.some((r) => (r.sockets?.timeWait ?? 0) > 0)) {
    out.push('', '  sockets left in TIME_WAIT on the server port after each level:')
    for (const r of runs) out.push(`    ${at(r).padEnd(20)} ${r.sockets?.timeWait ?? 0}`)
  }
  const shed = runs.filter((r) => r.requests.ok !== undefined && r.requests.ok < r.requests.total)
  if (shed.length) {
    out.push('', '  answered (2xx) among all responses:')
    for (const r of shed) out.push(`    ${at(r).padEnd(20)} ${fix(answeredPerSecond(r))} of ${fix(r.requests.perSecond.mean)} req/s`)
  }
  const costed = runs.filter((r) => r.app !== undefined && r.cpuPerResponseUs != null)
  if (costed.length) {
    out.push('', '  server CPU per answered response (CPU-seconds in the window / 2xx responses):')
    for (const r of costed) out.push(`    ${at(r).padEnd(20)} ${fix(r.cpuPerResponseUs as number, 0)} µs  (${r.app} on ${r.engines.server})`)
  }
  const respawns = runs.filter((r) => r.events?.length)
  if (respawns.length) {
    out.push('', '  master events during each level:')
    for (const r of respawns) {
      const count = (kind: string) => r.events?.filter((e) => e.kind === kind).length ?? 0
      out.push(`    ${at(r).padEnd(20)} ${count('worker-exit')} worker exits, ${count('worker-timeout')} timeout kills, ${count('worker-spawn')} workers booted`)
    }
  }
  return out
}

/** Under a table: what a `~` before a theory figure means, each distinct reason once. */
export function approximateNotes(runs: readonly RunResult[]): string[] {
  const notes = [...new Set(runs.flatMap((r) => (r.prediction?.approximate ? [r.prediction.approximate] : [])))]
  return notes.length ? ['', '  ~ theory is approximate here:', ...notes.map((n) => `    ${n}`)] : []
}

/**
 * The whole summary: a block per workload, then the warnings.
 * @returns text ending in a newline
 */
export function formatSummary(doc: ResultsDocument): string {
  const lines: string[] = []
  const def = doc.scenario.definition as { workloads?: Record<string, Record<string, unknown>> } | undefined
  const workloads = [...new Set(doc.runs.map((r) => r.workload))]
  lines.push(`${doc.scenario.title}${doc.complete ? '' : '  (incomplete: interrupted or failed)'}`)
  for (const w of workloads) {
    const params = def?.workloads?.[w]
    const desc = params ? ` (${describeWorkload(params)})` : ''
    lines.push('', `${w}${desc}`)
    const width = Math.max(14, ...doc.runs.map((r) => r.topology.length + 2))
    lines.push(
      `  ${'topology'.padEnd(width)}${pad('conns', 6)}${pad('req/s (mean ± σ)', 22)}${pad('p50 ms', 10)}${pad('p99 ms', 10)}` +
        `${pad('errors', 8)}${pad('server CPU %', 14)}${pad("Little's", 10)}${pad('theory req/s', 14)}${pad('meas/theory', 13)}`,
    )
    const mine = doc.runs.filter((r) => r.workload === w)
    for (const r of mine.filter((r) => !r.openLoop)) {
      const ps = r.requests.perSecond
      lines.push(
        `  ${r.topology.padEnd(width)}${pad(String(r.connections), 6)}` +
          `${pad(`${fix(ps.mean)} ± ${fix(ps.stddev)}`, 22)}` +
          `${pad(fix(r.latencyMs.p50), 10)}${pad(fix(r.latencyMs.p99), 10)}` +
          `${pad(String(r.errors.total), 8)}${pad(fix(serverCpuPercent(r), 0), 14)}` +
          `${pad(r.littlesLaw.ratio === null ? '-' : fix(r.littlesLaw.ratio, 2), 10)}` +
          `${pad(r.prediction ? `${r.prediction.approximate ? '~' : ''}${fix(r.prediction.perSecond)}` : '-', 14)}` +
          `${pad(r.prediction && r.prediction.perSecond > 0 ? fix(answeredPerSecond(r) / r.prediction.perSecond, 2) : '-', 13)}`,
      )
    }
    lines.push(...openLoopTable(mine, width))
    lines.push(...approximateNotes(mine))
    lines.push(...extras(doc.runs.filter((r) => r.workload === w)))
    const v = verdict(w, doc.runs)
    if (v) lines.push('', `  ${v}`)
  }
  if (doc.warnings.length) {
    lines.push('', 'Warnings:')
    for (const warning of doc.warnings) lines.push(`  - [${warning.code}] ${warning.message}`)
  }
  return lines.join('\n') + '\n'
}
