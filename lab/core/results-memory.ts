/**
 * A level's worker memory over time (docs/results-schema.md, `workerMemory`):
 * the summed and the largest single-worker RSS of the server's `worker`
 * processes at each /proc reading of the measured window, so a report can
 * draw a leaking app's saw-tooth (RSS climbs, drops when `max_requests`
 * replaces a worker by a new pid). Part of lab/core/results.ts. Pure.
 */
import { z } from 'zod'

/** At most this many points per level: readings are merged in runs of consecutive ones beyond it. */
export const MAX_MEMORY_POINTS = 200

/** One point: one /proc reading of every worker (or several consecutive readings merged). */
export const memoryPointSchema = z.object({
  /** Seconds since the level's load started (the timeline's x), at the point's last reading. */
  t: z.number(),
  /** Summed RSS of the workers read at one instant, bytes; the mean over the point's readings when merged. */
  sumRssBytes: z.number(),
  /** Largest RSS of one worker among the point's readings, bytes; 0 when no worker was running. */
  maxRssBytes: z.number(),
  /** Distinct worker pids read in the point (0: every worker had exited, none booted yet). */
  workers: z.number().int(),
})

/** The workers' memory over a level's measured window; absent in documents from before it was recorded. */
export const workerMemorySchema = z.object({
  /** Consecutive /proc readings merged into each point (1 unless the window held more than {@link MAX_MEMORY_POINTS}). */
  readingsPerPoint: z.number().int().min(1),
  /** Distinct worker pids read in the window: the workers that started it and those booted in place of the ones that exited. */
  pids: z.number().int(),
  points: z.array(memoryPointSchema).max(MAX_MEMORY_POINTS),
})

export type MemoryPoint = z.infer<typeof memoryPointSchema>
export type WorkerMemory = z.infer<typeof workerMemorySchema>

/** One /proc reading of one worker: `at` in performance.now() ms, the same for every process read in one sampler tick. */
export interface RssReading {
  pid: number
  at: number
  rssBytes: number
}

/**
 * The workers' memory from their /proc readings (lab/topology/sampler.ts
 * `Sampler.readings`): one point per sampler tick (readings sharing an `at`),
 * or, past `maxPoints` ticks, one per run of `ceil(ticks / maxPoints)`
 * consecutive ticks.
 * A tick in `instants` that read no worker (every worker had exited and no
 * replacement was running yet) is a point of 0 bytes and 0 workers: the
 * pool's memory, and its capacity, while it was empty.
 * @param readings - the worker processes' readings over the window, any order
 * @param loadStartedAt - when the level's load started, performance.now() ms (the points' t = 0)
 * @param opts.instants - every sampler tick of the window, performance.now() ms (`Sampler.instants`); default: the readings' own
 * @param opts.maxPoints - bound on the points ({@link MAX_MEMORY_POINTS})
 * @returns the series, or undefined without a worker reading (no /proc, no worker)
 * @throws RangeError when `maxPoints` is below 1
 */
export function workerMemory(
  readings: readonly RssReading[],
  loadStartedAt: number,
  { instants = [], maxPoints = MAX_MEMORY_POINTS }: { instants?: readonly number[]; maxPoints?: number } = {},
): WorkerMemory | undefined {
  if (maxPoints < 1) throw new RangeError(`maxPoints must be at least 1, not ${maxPoints}`)
  if (!readings.length) return undefined
  const byTick = new Map<number, RssReading[]>(instants.map((at) => [at, []]))
  for (const r of readings) {
    const tick = byTick.get(r.at)
    if (tick) tick.push(r)
    else byTick.set(r.at, [r])
  }
  const ticks = [...byTick.entries()].sort(([a], [b]) => a - b)
  const per = Math.ceil(ticks.length / maxPoints)
  const points: MemoryPoint[] = []
  for (let i = 0; i < ticks.length; i += per) {
    const group = ticks.slice(i, i + per)
    const all = group.flatMap(([, rs]) => rs)
    const sums = group.map(([, rs]) => rs.reduce((s, r) => s + r.rssBytes, 0))
    points.push({
      t: ((group.at(-1)?.[0] ?? loadStartedAt) - loadStartedAt) / 1000,
      sumRssBytes: sums.reduce((a, b) => a + b, 0) / sums.length,
      maxRssBytes: Math.max(0, ...all.map((r) => r.rssBytes)),
      workers: new Set(all.map((r) => r.pid)).size,
    })
  }
  return { readingsPerPoint: per, pids: new Set(readings.map((r) => r.pid)).size, points }
}
