/**
 * The results document, schema version 1 (docs/results-schema.md).
 *
 * One document per `lab run`, written after every measured level so an
 * interrupted run keeps what it measured (`complete: false` until the last
 * level is in). Field names are a contract shared by the CLI, `lab report` and
 * `web/`: add fields, never rename. Units are in the names: `Ms` milliseconds,
 * `Bytes` bytes, `Percent` percent of one core, `perSecond` requests per second.
 *
 * Pure: no I/O. The schema is used to validate documents read from disk.
 */
import { z } from 'zod'
import { slowClientsResultSchema } from './slow-clients-schema.js'
import { processRole, serverEventKind, warningCode } from './vocabulary.js'
import { calibrationSchema, envSchema, placementSchema } from './results-env.js'
import { LANGS } from './i18n-lang.js'
import { workerMemorySchema } from './results-memory.js'

export { calibrationSchema, envSchema, placementSchema }

/** The schema version this code writes and reads. */
export const SCHEMA_VERSION = 1 as const

const stat = z.object({ mean: z.number(), stddev: z.number(), min: z.number(), max: z.number() })

/**
 * Throughput of a window with its spread (lab/core/confidence.ts `summarizeSeries`):
 * mean, σ, min and max over the window's whole seconds (a trailing
 * part-second is left out), with n, the 95 % confidence interval of the mean
 * and how it was made. Documents from before these were recorded lack them.
 */
export const rateSchema = stat.extend({
  /** Whole seconds the figures are over (0 when the window held none: then mean is responses / window and there is no spread). */
  n: z.number().int().optional(),
  /** 95 % confidence interval of the mean, req/s; null with n < 2. */
  ci95: z.tuple([z.number(), z.number()]).nullable().optional(),
  /** `student-t` on the seconds, `batch-means` where seconds were correlated, `none` with n < 2. */
  method: z.enum(['none', 'student-t', 'batch-means']).optional(),
  /** Standard error of the mean, req/s; null with n < 2. */
  stdError: z.number().nullable().optional(),
  /** Degrees of freedom of the interval's t multiplier; null with n < 2. */
  df: z.number().int().nullable().optional(),
  /** The method in one sentence. */
  note: z.string().optional(),
})

/** One prediction of the model: throughput and mean latency. */
const predictedSchema = z.object({ perSecond: z.number(), meanMs: z.number(), approximate: z.string().optional() })

const meanMax = z.object({ mean: z.number(), max: z.number() })

/** Latency summary of the measured window, in milliseconds (float, microsecond resolution). */
export const latencySchema = z.object({
  mean: z.number(),
  stddev: z.number(),
  min: z.number(),
  p50: z.number(),
  p90: z.number(),
  p99: z.number(),
  p999: z.number(),
  max: z.number(),
})

/** One second of a level: req/s, latency percentiles of the responses completed in that second, errors. */
export const timelinePointSchema = z.object({
  /** End of the second, in seconds since the level's load started (warm-up included). */
  t: z.number(),
  perSecond: z.number(),
  p50Ms: z.number().nullable(),
  p99Ms: z.number().nullable(),
  errors: z.number(),
  /** True while the warm-up (discarded from the statistics) was still running. */
  warmup: z.boolean().optional(),
  /**
   * True for the trailing part-second of a level: `perSecond` then holds the
   * responses completed in it, never scaled up by its width (`widthS`);
   * charts draw it hollow and dashed.
   */
  partial: z.boolean().optional(),
  /** A partial point's width, s (< 1). */
  widthS: z.number().optional(),
  /** Open loop: requests scheduled (intended send instant) in this second, req/s. */
  offeredPerSecond: z.number().optional(),
  /** Open loop: requests scheduled in this second that found every connection busy and were not sent. */
  dropped: z.number().int().optional(),
  /** Open loop: true after the last scheduled request, while the requests still in flight were awaited. */
  drain: z.boolean().optional(),
})

/** CPU and memory of one server process over the measured window, sampled from /proc. */
export const processSchema = z.object({
  role: processRole,
  pid: z.number().int(),
  cpuPercent: meanMax,
  rssBytes: meanMax,
  /** Proportional set size (shared pages divided among their sharers; /proc/<pid>/smaps_rollup), when the kernel gives it. */
  pssBytes: meanMax.optional(),
  /** Responses this process answered in the measured window (from the `X-Worker` header). */
  requests: z.number().int(),
})

/** A lab event on a run's timeline (worker exit, respawn, timeout kill, ...). */
export const runEventSchema = z.object({
  /** Seconds since the level's load started. */
  t: z.number(),
  kind: serverEventKind,
  pid: z.number().int().optional(),
  message: z.string(),
})

/** How the measured window was chosen (docs/measurement.md, "Warm-up and the measured window"). */
export const windowSchema = z.object({
  /** Seconds of load discarded before the window opened. */
  warmupS: z.number(),
  /** Seconds the window lasted. */
  measuredS: z.number(),
  definition: z.string(),
  /** Seconds the scenario asked for (`load.duration_s`); `measuredS` differs when the window rules extended it. */
  askedS: z.number().optional(),
  /**
   * What the window rules (lab/core/window.ts) made of the ask, before the
   * level: `as-asked`, `extended` (up to `load.max_duration_s`), or
   * `too-short` (the cap was not enough to trust the level).
   */
  verdict: z.enum(['as-asked', 'extended', 'too-short']).optional(),
  /** The rule that needed the longest window: `asked`, `whole-seconds`, `latency`, `completions`, `rare-events`, `rare-kind`. */
  rule: z.string().optional(),
  /** The choice in one sentence, e.g. `measured 4 s instead of 2 s: 5 × the predicted mean latency of 800 ms is 4.0 s`. */
  message: z.string().optional(),
})

/**
 * What an open-loop level offered and what became of it (docs/open-loop.md).
 * In an open-loop run the run's `latencyMs` and `histogram` are measured from
 * each request's intended send instant (coordinated omission corrected) over
 * the requests scheduled in the window, awaited after it; `requests`,
 * `errors` and `timeline` count what completed in the window, as for a closed loop.
 */
export const openLoopSchema = z.object({
  arrival: z.enum(['poisson', 'constant']),
  /** The offered rate asked for, req/s. */
  ratePerSecond: z.number(),
  /** The client's bound on connections, each with at most one request in flight. */
  maxConnections: z.number().int(),
  /** Connections the pool opened (its peak size). */
  connectionsOpened: z.number().int(),
  /** Requests scheduled in the measured window (= sent + dropped). */
  offered: z.number().int(),
  /** offered / window.measuredS, req/s. */
  offeredPerSecond: z.number(),
  /** 2xx responses completed in the window / window.measuredS, req/s (the achieved rate). */
  answeredPerSecond: z.number(),
  /** Of the window's scheduled requests: sent on a free connection. */
  sent: z.number().int(),
  /** Of the window's scheduled requests: found every connection busy, not sent. */
  dropped: z.number().int(),
  /** What became of the window's sent requests (they sum to `sent`); `unfinished` were still unanswered when the level stopped (abort or drain bound). */
  outcomes: z.object({
    ok: z.number().int(),
    non2xx: z.number().int(),
    timeouts: z.number().int(),
    resets: z.number().int(),
    unfinished: z.number().int(),
  }),
  /** Requests sent and not yet answered when the window closed (the queue the level left behind). */
  inFlightAtEnd: z.number().int(),
  /** Latency of the window's answered requests from their actual send (written on the connection), ms. */
  latencyFromSendMs: latencySchema,
  /** `[latencyMs, percentile]` pairs from the actual send, ascending. */
  histogramFromSend: z.array(z.tuple([z.number(), z.number()])),
  /** How far behind its intended instant each of the window's requests was handed to a connection, ms (the driver's own lag). */
  sendLateMs: z.object({ mean: z.number(), p99: z.number(), max: z.number() }),
})

/** One measured level: one topology, one workload, one connection count, one repeat. */
export const runSchema = z.object({
  topology: z.string(),
  workload: z.string(),
  /** `open` for an open-loop level (`load.mode: open`); absent for a closed loop. */
  mode: z.literal('open').optional(),
  /** Closed loop: the connections; open loop: the pool bound `max_connections`. */
  connections: z.number().int(),
  repeat: z.number().int(),
  engines: z.object({ server: z.string(), proxy: z.string().nullable() }),
  /** The Python app the server served (`lab/apps`, e.g. `django`, or the student's `--app`); absent for built-in servers. */
  app: z.string().optional(),
  /** Server CPU per answered (2xx) response over the window, µs (lab/core/stats.ts `cpuPerResponseUs`); null when nothing was answered. */
  cpuPerResponseUs: z.number().nullable().optional(),
  durationS: z.number(),
  window: windowSchema.optional(),
  requests: z.object({
    total: z.number().int(),
    /** Every response, any status, per second of the window. */
    perSecond: rateSchema,
    /** Responses with a 2xx status among `total` (the answered ones, when a server sheds load with 503s). */
    ok: z.number().int().optional(),
    /** 2xx responses per second of the window: what comparisons and the model use. */
    answeredPerSecond: rateSchema.optional(),
  }),
  latencyMs: latencySchema,
  /** `[latencyMs, percentile]` pairs, percentile in 0..100, ascending. */
  histogram: z.array(z.tuple([z.number(), z.number()])),
  errors: z.object({
    total: z.number().int(),
    timeouts: z.number().int(),
    resets: z.number().int(),
    non2xx: z.number().int(),
    byStatus: z.record(z.string(), z.number().int()),
  }),
  timeline: z.array(timelinePointSchema),
  processes: z.array(processSchema),
  /** The workers' summed and largest RSS at each /proc reading of the window (lab/core/results-memory.ts); absent without workers or /proc. */
  workerMemory: workerMemorySchema.optional(),
  loadGenerator: z.object({ cpuPercent: meanMax }),
  /**
   * CPU other processes on the machine used while the level ran (warm-up and
   * window), percent of one core: /proc/stat's busy time less the servers'
   * and the lab's own. The "this machine" prediction leaves it out of the servers' cores.
   */
  otherCpuPercent: z.number().optional(),
  littlesLaw: z.object({
    /** connections / throughput, in ms: what Little's law says the mean latency must be. */
    expectedMeanMs: z.number().nullable(),
    measuredMeanMs: z.number().nullable(),
    /** measured / expected; null when nothing completed. */
    ratio: z.number().nullable(),
  }),
  prediction: z
    .object({
      /** The prediction measured ÷ theory is taken against: `thisMachine` when the run was calibrated, else `textbook` (see `basis`). */
      perSecond: z.number(),
      meanMs: z.number(),
      /** Why the figure is MVA's approximation rather than an exact solution (lab/core/model.ts `approximations`); absent when exact. */
      approximate: z.string().optional(),
      /** Open loop: offered rate / capacity (≥ 1: unstable; lab/core/open-level.ts). */
      rho: z.number().optional(),
      /** Which of the two `perSecond` and `meanMs` are: `this-machine` or `textbook`. */
      basis: z.enum(['this-machine', 'textbook']).optional(),
      /** io_ms and cpu_ms only: the law students learn (lab/core/calibrated.ts). */
      textbook: predictedSchema.optional(),
      /** Calibrated to this machine: each engine's CPU per response and the load generator's share of the cores (lab/core/calibrated.ts). */
      thisMachine: predictedSchema
        .extend({
          /** Cores the load generator takes at the predicted throughput. */
          clientCores: z.number(),
          /** Cores left for the servers. */
          serverCores: z.number(),
          /** True when the load generator, not the servers, sets the pace. */
          clientBound: z.boolean(),
        })
        .optional(),
    })
    .optional(),
  /** A probe's latency beside the load (`load.probe`), over the same window. */
  probe: z
    .object({ path: z.string(), requests: z.number().int(), errors: z.number().int(), latencyMs: latencySchema })
    .optional(),
  /** Server-sent event streams held open beside the load (`workloads.*.streams`). */
  streams: z.object({ opened: z.number().int(), events: z.number().int(), failed: z.number().int() }).optional(),
  /** WebSocket clients held open beside the load (`workloads.*.websockets`, lab/load/websockets.ts); counts and rates over the measured window. */
  websockets: z
    .object({
      clients: z.number().int(),
      roomSize: z.number().int(),
      intervalMs: z.number(),
      /** Handshakes that succeeded (101 Switching Protocols). */
      opened: z.number().int(),
      /** Sockets still open when the level ended. */
      held: z.number().int(),
      failed: z.number().int(),
      closedByServer: z.number().int(),
      /** Handshakes answered with an ordinary HTTP response instead of 101, by status (a server that cannot upgrade). */
      refused: z.record(z.string(), z.number().int()),
      /** Messages sent in the window, and their rate, messages/s. */
      sent: z.number().int(),
      sentPerSecond: z.number(),
      /** Deliveries (one message to one receiver) sent and received in the window, and their rate, deliveries/s. */
      delivered: z.number().int(),
      deliveredPerSecond: z.number(),
      /** Send → receive per delivery, ms (HDR histogram of µs). */
      deliveryMs: latencySchema,
    })
    .optional(),
  /** TCP sockets on the server's port left in TIME_WAIT at the end of the level. */
  sockets: z.object({ timeWait: z.number().int() }).optional(),
  /** Responses in the window per upstream that answered (`X-Upstream`, e.g. `127.0.0.1:40123`), for topologies with a proxy. */
  perUpstream: z.record(z.string(), z.number().int()).optional(),
  /** Per request kind of a workload `mix` (by label): responses and latency in the window. */
  perKind: z
    .record(
      z.string(),
      z.object({
        path: z.string(),
        responses: z.number().int(),
        latencyMs: z.object({ mean: z.number(), p50: z.number(), p90: z.number(), p99: z.number(), max: z.number() }),
      }),
    )
    .optional(),
  /** Slow clients held open beside the load (`slow_clients`), over the whole level. */
  slowClients: slowClientsResultSchema.optional(),
  events: z.array(runEventSchema).optional(),
  /** An open-loop level's offered load and outcomes (`load.mode: open`); absent for a closed loop. */
  openLoop: openLoopSchema.optional(),
})

/** A warning from the catalogue in `core/warnings`. `run` indexes `runs`. */
export const warningSchema = z.object({
  code: warningCode,
  run: z.number().int().optional(),
  message: z.string(),
})

/** A level's repeats taken together (`load.repeat` > 1): mean ± σ across repeats, each on a fresh topology. */
export const repeatedSchema = z.object({
  topology: z.string(),
  workload: z.string(),
  connections: z.number().int(),
  /** Indexes in `runs` of the repeats. */
  runs: z.array(z.number().int()),
  /** Student's t over the repeats' means of all responses, req/s (n = repeats). */
  perSecond: rateSchema,
  /** The same over the repeats' answered (2xx) req/s. */
  answeredPerSecond: rateSchema,
})

/** The whole results document. */
export const resultsSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  complete: z.boolean(),
  scenario: z.object({ name: z.string(), title: z.string(), definition: z.unknown() }),
  stack: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  env: envSchema,
  /** The command line that reproduces the run, e.g. `lab run prefork-vs-async --quick`. */
  command: z.string().optional(),
  /** Rendered later by the report; the scenario's notes.md as markdown (`notes.<lang>.md` when the run's language has it). */
  notes: z.string().optional(),
  /**
   * The scenario's handout.md as markdown, for the report (lab/core/handout.ts): its
   * `<!-- lab:predictions -->` line is left as written; the report fills it from `runs`.
   */
  handout: z.string().optional(),
  /** The language the run was asked in (`--lang` or the locale): the report opens in it. Absent in documents from before it was recorded (English). */
  lang: z.enum(LANGS).optional(),
  runs: z.array(runSchema),
  warnings: z.array(warningSchema),
  /** Each engine's calibration, for the "this machine" predictions; absent when the run was not calibrated. */
  calibration: z.array(calibrationSchema).optional(),
  /** Levels measured more than once, taken together; absent without repeats. */
  repeated: z.array(repeatedSchema).optional(),
})

export type LatencyMs = z.infer<typeof latencySchema>
export type Rate = z.infer<typeof rateSchema>
export type Placement = z.infer<typeof placementSchema>
export type CalibrationRecord = z.infer<typeof calibrationSchema>
export type Repeated = z.infer<typeof repeatedSchema>
export type TimelinePoint = z.infer<typeof timelinePointSchema>
export type ProcessStats = z.infer<typeof processSchema>
export type { WorkerMemory } from './results-memory.js'
export type RunEvent = z.infer<typeof runEventSchema>
export type OpenLoopResult = z.infer<typeof openLoopSchema>
export type MeasuredWindow = z.infer<typeof windowSchema>
export type RunResult = z.infer<typeof runSchema>
export type Warning = z.infer<typeof warningSchema>
export type Env = z.infer<typeof envSchema>
export type ResultsDocument = z.infer<typeof resultsSchema>

/**
 * Parses a results document read from disk.
 * @param input - parsed JSON
 * @returns the document, or the problems found, one line each (`path: message`)
 */
export function parseResults(input: unknown): { ok: true; value: ResultsDocument } | { ok: false; problems: string[] } {
  const parsed = resultsSchema.safeParse(input)
  if (parsed.success) return { ok: true, value: parsed.data }
  return {
    ok: false,
    problems: parsed.error.issues.map((i) => `${i.path.join('.') || '(document)'}: ${i.message}`),
  }
}
