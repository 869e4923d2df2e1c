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
  // each column as wide as in English, or as its translated heading and a space
  const heads = [t('summary.offered'), t('summary.answeredPerS'), t('summary.dropped'), t('summary.inFlight'), t('summary.meanMs'), t('summary.p99'), t('summary.errors'), 'ρ', t('summary.theoryPerS'), t('summary.theoryMs')]
  const w = [10, 12, 9, 11, 10, 10, 8, 7, 10, 11].map((n, i) => Math.max(n, (heads[i] ?? '').length + 1))
  const cells = (xs: string[]) => xs.map((x, i) => pad(x, w[i] ?? 0)).join('')
  const lines = ['', `  ${t('summary.openLoop')}`, `  ${t('summary.topology').padEnd(width)}${cells(heads)}`]
  for (const r of open) {
    const o = r.openLoop as NonNullable<RunResult['openLoop']>
    const p = r.prediction
    const answered = r.requests.total > 0
    lines.push(
      `  ${r.topology.padEnd(width)}` +
        cells([
          fix(o.offeredPerSecond), fix(answeredPerSecond(r)), String(o.dropped), String(o.inFlightAtEnd),
          answered ? fix(r.latencyMs.mean) : '-', answered ? fix(r.latencyMs.p99) : '-', String(r.errors.total),
          p?.rho !== undefined ? fix(p.rho, 2) : '-', p ? fix(p.perSecond) : '-', p ? `${p.approximate ? '~' : ''}${fix(p.meanMs)}` : '-',
        ]),
    )
  }
  return lines
}
