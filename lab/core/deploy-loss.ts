/**
 * What a deploy in the middle of a level takes from the pool (scenarios/
 * graceful-reload): the slot time no worker served, read from the level's
 * own events. The steady-state model (lab/core/model.ts) knows nothing of a
 * deploy; the level's prediction is scaled by the share of slot time left.
 *
 * - A restart (`how: 'restart'`) marks two `deploy` events, "stopping" and
 *   "new version serving" (lab/topology/topology.ts): between them every slot
 *   is empty.
 * - Otherwise each `worker-exit` is paired with the next `worker-spawn`
 *   (as lab/core/model.ts `meanRespawnMs` pairs them): that one slot is empty
 *   between them, as when a graceful reload's old worker has finished and its
 *   replacement is still booting.
 *
 * Only the part inside the measured window counts. What it leaves out: a new
 * worker's first requests (imports, caches) are slower than later ones.
 *
 * Pure: no I/O.
 */

/** A level's event as the results record it: seconds since its load started. */
export interface DeployEvent {
  t: number
  kind: string
  message: string
}

/** The restart's first mark, as lab/topology/topology.ts writes it. */
export const RESTART_MARK = 'deploy: stopping'

/**
 * The share of the window's slot time that no worker served, 0..1.
 * @param window - the measured window, s since the level's load started
 * @param slots - the pool's slots (workers × threads, all instances)
 */
export function deployLoss(events: readonly DeployEvent[], window: { fromS: number; toS: number }, slots: number): number {
  const span = window.toS - window.fromS
  if (!(span > 0) || !(slots > 0)) return 0
  const inside = (a: number, b: number) => Math.max(0, Math.min(b, window.toS) - Math.max(a, window.fromS))
  let lost = 0
  const sorted = [...events].sort((a, b) => a.t - b.t)
  const down = sorted.findIndex((e) => e.kind === 'deploy' && e.message.startsWith(RESTART_MARK))
  if (down >= 0) {
    const up = sorted.slice(down + 1).find((e) => e.kind === 'deploy')
    lost += slots * inside((sorted[down] as DeployEvent).t, up?.t ?? window.toS)
  } else {
    const exits: number[] = []
    for (const e of sorted) {
      if (e.kind === 'worker-exit') exits.push(e.t)
      else if (e.kind === 'worker-spawn' && exits.length) lost += inside(exits.shift() as number, e.t)
    }
  }
  return Math.min(1, lost / (slots * span))
}
