/**
 * The summary's table for open-loop levels (docs/open-loop.md): per level,
 * offered and answered req/s, requests dropped at the client's pool bound,
 * mean and p99 latency from the intended send (coordinated omission
 * corrected), and the theory beside them (lab/core/open-level.ts).
 * Pure: returns strings.
 */
import { answeredPerSecond } from './labels.js'
import type { RunResult } from './results.js'
import { num } from './format-number.js'
import { t } from './i18n.js'

const pad = (s: string, n: number) => s.padStart(n)
const fix = (n: number, d = 1) => num(n, d)

/**
 * Lines of the open-loop table for a workload's open-loop runs (none when there are none).
 * @param width - the topology column's width
 */
export function openLoopTable(runs: readonly RunResult[], width: number): string[] {
  const open = runs.filter((r) => r.openLoop)
  if (open.length === 0) return []
  const lines = [
    '',
    `  ${t('summary.openLoop')}`,
    `  ${t('summary.topology').padEnd(width)}${pad('offered/s', 10)}${pad('answered/s', 12)}${pad('dropped', 9)}${pad('in flight', 11)}` +
      `${pad('mean ms', 10)}${pad('p99 ms', 10)}${pad('errors', 8)}${pad('ρ', 7)}${pad('theory/s', 10)}${pad('theory ms', 11)}`,
  ]
  for (const r of open) {
    const o = r.openLoop as NonNullable<RunResult['openLoop']>
    const p = r.prediction
    const answered = r.requests.total > 0
    lines.push(
      `  ${r.topology.padEnd(width)}${pad(fix(o.offeredPerSecond), 10)}${pad(fix(answeredPerSecond(r)), 12)}${pad(String(o.dropped), 9)}${pad(String(o.inFlightAtEnd), 11)}` +
        `${pad(answered ? fix(r.latencyMs.mean) : '-', 10)}${pad(answered ? fix(r.latencyMs.p99) : '-', 10)}${pad(String(r.errors.total), 8)}` +
        `${pad(p?.rho !== undefined ? fix(p.rho, 2) : '-', 7)}${pad(p ? fix(p.perSecond) : '-', 10)}${pad(p ? `${p.approximate ? '~' : ''}${fix(p.meanMs)}` : '-', 11)}`,
    )
  }
  return lines
}
