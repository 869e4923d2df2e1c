/**
 * Slow clients in a scenario (`slow_clients`) and in the results
 * (`runs[].slowClients`), and the choice between the two ways a slow client
 * is slow (docs/network-links.md):
 *
 * - **paced**: the lab itself sends or reads `bytes_per_s` on a loopback
 *   socket (lab/load/slow-clients.ts), on every machine;
 * - **link**: with `link_kbit`, the clients run inside a network namespace
 *   whose veth link to the host is rate-limited by tc (tbf, or netem when
 *   the kernel has it and a delay is asked: lab/topology/netns.ts), and
 *   read or send as fast as that link lets them.
 *
 * Pure: no I/O. What the machine allows comes in as arguments.
 */
import { z } from 'zod'
import { BOUNDS } from '../contract/workload.js'
import { intIn, numIn } from './schema-fields.js'

/**
 * Raw sockets opened beside the load generator for the length of each level
 * (lab/load/slow-clients.ts): `slow-headers` sends its request headers a
 * byte at a time and never finishes them (Slowloris), `slow-body` sends
 * complete headers then its body slowly, `slow-reader` asks for a large
 * response and reads it slowly.
 */
export const slowClientsSchema = z
  .strictObject({
    count: intIn(1, 64),
    mode: z.enum(['slow-headers', 'slow-body', 'slow-reader'], { error: "'slow-headers', 'slow-body' or 'slow-reader'" }),
    /** Bytes per second each client sends or reads when paced (default 1 for senders, 16384 for readers); with `link_kbit`, the pace used where no link can be made. */
    bytes_per_s: numIn(1, 100_000_000, ' bytes/s').optional(),
    /** slow-reader: the size of the response it asks for. */
    response_bytes: intIn(1, BOUNDS.bytes.max, ' bytes').default(4_000_000),
    /**
     * slow-reader and slow-body: run the clients in a network namespace whose
     * link to the host carries this many kbit/s each way (1 kbit = 1000 bit;
     * tc-tbf(8) `rate`), shared by all `count` clients, who then read or send
     * unpaced. Needs root and iproute2; elsewhere the level is paced at
     * `bytes_per_s` and its results say why (docs/network-links.md).
     */
    link_kbit: numIn(8, 10_000_000, ' kbit/s').optional(),
    /** With `link_kbit`: delay added each way, ms (tc-netem(8) `delay`); where the kernel has no netem only the rate is real, and the results say so. */
    link_delay_ms: numIn(0, 10_000, ' ms').optional(),
  })
  .superRefine((s, ctx) => {
    if (s.link_kbit !== undefined && s.mode === 'slow-headers') {
      ctx.addIssue({ code: 'custom', path: ['link_kbit'], message: 'a link only for slow-reader or slow-body (a few header bytes a second is slower than any link: keep slow-headers paced)' })
    }
    if (s.link_delay_ms !== undefined && s.link_kbit === undefined) {
      ctx.addIssue({ code: 'custom', path: ['link_delay_ms'], message: 'a delay only together with link_kbit (the delay is a property of the link)' })
    }
  })

/** A workload's slow clients, defaults applied. */
export type SlowClientsDef = z.output<typeof slowClientsSchema>

/** What the slow clients did in one level, for the results. */
export const slowClientsResultSchema = z.object({
  count: z.number().int(),
  mode: z.string(),
  /** The pace, bytes/s per client, when paced; with a link, the link's rate per client (its kbit/s ÷ 8 ÷ count). */
  bytesPerS: z.number(),
  /** Connections opened: the first `count`, then every reconnection after the server ended one. */
  connects: z.number().int(),
  serverClosed: z.number().int(),
  responses: z.number().int(),
  bytesSent: z.number().int(),
  bytesReceived: z.number().int(),
  /** Seconds the clients ran, from their start before the warm-up to their stop after the window (absent in older results). */
  elapsedS: z.number().optional(),
  /** How they were slow: `paced` by the lab, or by a rate-limited `link` (absent in results before links: paced). */
  via: z.enum(['paced', 'link']).optional(),
  /** The link used: its rate each way (kbit/s), its delay each way (ms, absent without netem), the qdisc. */
  link: z.object({ rateKbit: z.number(), delayMs: z.number().optional(), qdisc: z.string() }).optional(),
  /** Why a link was asked (`link_kbit`) and not used, or what it could not add (no netem: no delay). */
  note: z.string().optional(),
})

/** What the machine and the topology allow for a level with slow clients. */
export interface LinkAvailability {
  /** The run made a link (root, iproute2, a namespace and a veth pair: lab/topology/netns.ts `detectNetns`); else why not. */
  link: { ok: true } | { ok: false; reason: string }
  /** The topology's front part listens on the link's host address too; else which engine does not. */
  listening: { ok: true } | { ok: false; engine: string }
}

/** How a level's slow clients are run. */
export type SlowPath =
  | { via: 'link'; rateKbit: number; delayMs?: number }
  | { via: 'paced'; bytesPerS?: number; note?: string }

/**
 * Link or paced, for a workload's slow clients: the link when the workload
 * asks for one (`link_kbit`), the run made one and the topology's front part
 * listens on it; else paced, with a note naming what was missing when a link
 * was asked.
 */
export function chooseSlowPath(s: Pick<SlowClientsDef, 'link_kbit' | 'link_delay_ms' | 'bytes_per_s'>, available: LinkAvailability): SlowPath {
  const paced = (note?: string): SlowPath => ({ via: 'paced', ...(s.bytes_per_s !== undefined ? { bytesPerS: s.bytes_per_s } : {}), ...(note ? { note } : {}) })
  if (s.link_kbit === undefined) return paced()
  const instead = `paced at ${s.bytes_per_s ?? 'the default'} bytes/s instead of a ${s.link_kbit} kbit/s link`
  if (!available.link.ok) return paced(`no network link: ${available.link.reason}; ${instead}`)
  if (!available.listening.ok) return paced(`${available.listening.engine} does not listen on the link's address in the lab; ${instead}`)
  return { via: 'link', rateKbit: s.link_kbit, ...(s.link_delay_ms ? { delayMs: s.link_delay_ms } : {}) }
}

/** Whether any workload of a plan asks for a link (so the run makes one). */
export function wantsLink(workloads: Iterable<{ slow_clients?: Pick<SlowClientsDef, 'link_kbit'> | undefined }>): boolean {
  for (const w of workloads) if (w.slow_clients?.link_kbit !== undefined) return true
  return false
}
