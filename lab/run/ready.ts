/** How long the run waits for a topology to start (lab/run/engine.ts, lab/run/calibrate.ts). */
import type { TopologyDef } from '../core/scenario.js'

/**
 * How long a topology may take to report ready, ms: 15 s, and half a second
 * more per worker process. 64 pre-forked Node workers took 15.3 s to boot on
 * the shared 2-core machine at a load average of 12 (each loads and compiles
 * the server program on its own).
 */
export function readyTimeoutMs(def: Pick<TopologyDef, 'server' | 'upstreams'>): number {
  const workers = def.server.model === 'event-loop' ? 1 : def.server.workers
  return 15_000 + 500 * workers * (def.upstreams ?? 1)
}

