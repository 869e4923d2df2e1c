/**
 * The results document's machine: the environment a run measured on, where
 * the load generator and the servers ran, and each engine's calibration
 * (docs/results-schema.md). Part of lab/core/results.ts. Pure.
 */
import { z } from 'zod'
import { PROC_PANELS } from './platform.js'

/**
 * Where the load generator and the servers ran (issue 11, "CPU placement"):
 * on 4 or more cores disjoint CPU sets, on fewer the same cores.
 */
export const placementSchema = z.object({
  /** `pinned`: disjoint sets (taskset); `shared`: both on every core. */
  mode: z.enum(['pinned', 'shared']),
  /** CPUs the load generator (the lab's process) ran on. */
  client: z.array(z.number().int()),
  /** CPUs the servers ran on. */
  servers: z.array(z.number().int()),
  /** Why, in one sentence. */
  note: z.string(),
})

/** One engine's calibration (lab/run/calibrate.ts): CPU per response on a hello-world level of this machine. */
export const calibrationSchema = z.object({
  engine: z.string(),
  version: z.string(),
  /** The settings it was measured with that change the cost per response, e.g. `model=prefork workers=4`. */
  settings: z.string(),
  /** The server's CPU per response, all its processes, ms. */
  serverMsPerRequest: z.number(),
  /** The load generator's CPU per response, ms. */
  clientMsPerRequest: z.number(),
  /** For a proxy engine: its own CPU per response, ms (the server behind it is calibrated on its own). */
  proxyMsPerRequest: z.number().optional(),
  /**
   * Time a request spends outside the model's stations, from two levels of one connection each
   * (lab/run/calibrate.ts): `baseMs`, the mean latency of a request with no work (round trip,
   * parsing, the client's turn); `timerOvershootMs`, how much later than asked a 10 ms wait ends
   * (the engine's timer resolution). Absent for a proxy's calibration.
   */
  latency: z.object({ baseMs: z.number(), timerOvershootMs: z.number() }).optional(),
  /** The hello-world level it was measured on. */
  level: z.object({ path: z.string(), connections: z.number().int(), seconds: z.number(), perSecond: z.number(), serverCpuPercent: z.number(), clientCpuPercent: z.number() }),
  /** When it was measured (ISO 8601 UTC). */
  measuredAt: z.string(),
  /** `cache`: read from the cache file; `measured`: measured by this run. */
  source: z.enum(['cache', 'measured']),
})

/** The machine and software a run measured on. */
export const envSchema = z.object({
  os: z.string(),
  kernel: z.string(),
  cpuModel: z.string(),
  cores: z.number().int(),
  memoryBytes: z.number(),
  node: z.string(),
  lab: z.string(),
  engines: z.record(z.string(), z.string()),
  hostname: z.string().optional(),
  placement: placementSchema.optional(),
  /** Panels this system could not fill because it has no /proc (lab/core/platform.ts); absent when every one was measured. */
  unavailable: z.array(z.enum(PROC_PANELS)).optional(),
})

