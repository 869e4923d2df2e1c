/**
 * The run's network link for slow clients (docs/network-links.md): made once
 * per run when a workload asks for one (`slow_clients.link_kbit`) and the
 * machine allows it (lab/topology/netns.ts `detectNetns`: root, iproute2,
 * namespaces, veth), shaped per level, removed at the run's end (and by
 * netns.ts's `exit` hook on an error or Ctrl-C). Each level then chooses
 * link or paced (lab/core/slow-clients-schema.ts `chooseSlowPath`).
 */
import { chooseSlowPath, wantsLink, type LinkAvailability } from '../core/slow-clients-schema.js'
import { createLink, detectNetns, reshapeLink, type NetLink } from '../topology/netns.js'
import type { RunningTopology } from '../topology/topology.js'
import { startLinkedSlowClients } from '../load/slow-link.js'
import { startSlowClients, type SlowClientsResult } from '../load/slow-clients.js'
import type { RunResult } from '../core/results.js'
import type { Workload } from '../core/scenario.js'

/** The run's link, or why there is none. */
export interface RunLink {
  link?: NetLink
  /** Why there is no link (absent when there is one, or when no workload asks for one). */
  unavailable?: string
  /** Removes the link; idempotent. */
  close(): Promise<void>
}

/**
 * Makes the run's link when a workload asks for one.
 * @param testRun - the run's topologies are fakes (the `start` seam): no link is made
 */
export async function openRunLink(workloads: Iterable<Workload>, testRun: boolean): Promise<RunLink> {
  const none = async () => {}
  if (!wantsLink(workloads)) return { close: none }
  if (testRun) return { unavailable: 'a test run with fake topologies makes no link', close: none }
  const cap = await detectNetns()
  if (!cap.ok) return { unavailable: cap.reason ?? 'network namespaces are not available', close: none }
  if (!cap.tbf && !cap.netem) return { unavailable: 'this kernel has neither tbf nor netem, so no rate can be set', close: none }
  try {
    const link = await createLink({})
    return { link, close: () => link.close() }
  } catch (err) {
    return { unavailable: (err as Error).message, close: none }
  }
}

/** What the level's slow clients give the results. */
type SlowResult = NonNullable<RunResult['slowClients']>

/** Running slow clients, paced or linked. */
export interface LevelSlowClients {
  stop(): Promise<SlowResult>
}

/**
 * Opens a workload's slow clients (if any) before the load starts, through
 * the run's link when the workload asks for one and both the run and the
 * topology's front part have it, else paced by the lab; they last at most `maxS` seconds.
 */
export async function startLevelSlowClients(run: RunLink | undefined, topology: RunningTopology, workload: Workload, maxS: number): Promise<LevelSlowClients | undefined> {
  const s = workload.slow_clients
  if (!s) return undefined
  const available: LinkAvailability = {
    link: run?.link ? { ok: true } : { ok: false, reason: run?.unavailable ?? 'the run made no link' },
    listening: topology.link ? { ok: true } : { ok: false, engine: topology.engines.proxy ?? topology.engines.server },
  }
  const choice = chooseSlowPath(s, available)
  const base = { count: s.count, mode: s.mode, responseBytes: s.response_bytes, maxS }
  let failed: string | undefined
  if (choice.via === 'link' && run?.link && topology.link) {
    const link = run.link
    const port = topology.link.port
    const clients = await reshapeLink(link, { rateKbit: choice.rateKbit, ...(choice.delayMs !== undefined ? { delayMs: choice.delayMs } : {}) })
      .then(() => startLinkedSlowClients(link, port, base))
      .catch((err: Error) => void (failed = `the link failed: ${err.message.split('\n')[0]}; paced at ${s.bytes_per_s ?? 'the default'} bytes/s instead`))
    if (clients) return { stop: async () => linkedResult(await clients.stop(), link, s.count) }
  }
  const paced = await startSlowClients({ ...base, baseUrl: topology.url, ...(s.bytes_per_s !== undefined ? { bytesPerS: s.bytes_per_s } : {}) })
  const note = failed ?? (choice.via === 'paced' ? choice.note : undefined)
  return { stop: async () => ({ ...paced.stop(), via: 'paced', ...(note ? { note } : {}) }) }
}

/** A linked level's slow-client result: the link's rate per client as `bytesPerS`, the link, and what it could not add. */
function linkedResult(r: SlowClientsResult, link: NetLink, count: number): SlowResult {
  const note = link.notes.join('; ')
  return {
    ...r,
    bytesPerS: ((link.rateKbit ?? 0) * 1000) / 8 / count,
    via: 'link',
    link: { rateKbit: link.rateKbit ?? 0, ...(link.delayMs !== undefined ? { delayMs: link.delayMs } : {}), qdisc: link.qdisc },
    ...(note ? { note } : {}),
  }
}
