/**
 * The words of a CPU placement (lab/run/placement.ts decides it): the note a
 * results document keeps in English (`env.placement.note`) and the same note
 * in the reader's language, from the placement's own CPU sets.
 * Pure: no I/O.
 */
import { currentLang, t } from './i18n.js'
import type { Lang } from './i18n-lang.js'
import type { Placement } from './results.js'

/** Cores from which the client and the servers get CPU sets of their own. */
export const PIN_FROM_CORES = 4

/** `[0, 1, 2, 5]` → `0-2,5`. */
export function formatCpuList(cpus: readonly number[]): string {
  const out: string[] = []
  for (let i = 0; i < cpus.length; ) {
    let j = i
    while (j + 1 < cpus.length && (cpus[j + 1] as number) === (cpus[j] as number) + 1) j++
    out.push(i === j ? String(cpus[i]) : `${cpus[i]}-${cpus[j]}`)
    i = j + 1
  }
  return out.join(',')
}

/**
 * What a placement means, in `lang`: shared cores (how many, and from how
 * many the lab pins) or the two pinned CPU sets.
 */
export function placementNote(p: Pick<Placement, 'mode' | 'client' | 'servers'>, lang: Lang): string {
  return p.mode === 'shared'
    ? t('describe.placementShared', { count: p.client.length, from: PIN_FROM_CORES }, lang)
    : t('describe.placementPinned', { client: formatCpuList(p.client), servers: formatCpuList(p.servers) }, lang)
}

/**
 * A document's placement note in `lang`: the note written from its CPU sets,
 * where the English written from them is the note the document keeps; else
 * the note as kept (a test run's, an older lab's).
 */
export function placementText(p: Placement, lang: Lang = currentLang()): string {
  return lang !== 'en' && placementNote(p, 'en') === p.note ? placementNote(p, lang) : p.note
}
