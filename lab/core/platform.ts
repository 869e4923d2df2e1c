/**
 * Panels that need Linux's /proc (proc(5)): server CPU and memory per process
 * (`/proc/<pid>/stat`, `status`, `smaps_rollup`), process trees (a master's
 * workers, `/proc/<pid>/task/*\/children`) and TIME_WAIT counts
 * (`/proc/net/tcp*`). On a system without /proc (macOS, Windows) the lab
 * still measures throughput and latency, and the results' `env.unavailable`
 * lists these panels, so the CLI and the report say "not available on this
 * system" instead of showing zeros (docs/results-schema.md).
 *
 * Pure: names and text only (the words in lab/i18n/en/charts.ts, `charts.panels`).
 */
import { t } from './i18n.js'

/** The panels that read /proc. */
export const PROC_PANELS = ['cpu', 'memory', 'processes', 'time-wait'] as const

/** One of {@link PROC_PANELS}. */
export type ProcPanel = (typeof PROC_PANELS)[number]

/** The words for an unavailable panel, in the current language. */
export const notAvailable = (): string => t('charts.notAvailable')

/**
 * One line naming the unavailable panels, or '' when none:
 * `server CPU, server memory: not available on this system (no /proc).`
 */
export function unavailableLine(panels: readonly ProcPanel[] | undefined): string {
  if (!panels?.length) return ''
  const text = panels.map((p) => t(`charts.panels.${p}`)).join(', ')
  return t('charts.unavailableLine', { panels: `${text[0]?.toUpperCase() ?? ''}${text.slice(1)}`, na: notAvailable() })
}
