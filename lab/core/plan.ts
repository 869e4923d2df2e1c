/**
 * Plans a run: which levels (topology × workload × repeat × connections) to
 * measure, in order, with the load settings in force.
 *
 * Pure: no I/O.
 */
import { definedOnly, effectiveLoad, type EffectiveLoad, type LoadDef, type Scenario, type TopologyDef, type Workload } from './scenario.js'

/** An open-loop level's offered load (docs/open-loop.md); names as in the results' `openLoop`. */
export interface OpenLevel {
  /** Offered rate, req/s. */
  ratePerSecond: number
  arrival: 'poisson' | 'constant'
  /** The client's pool bound (`load.max_connections`). */
  maxConnections: number
}

/** One measured level. */
export interface Level {
  /** Position in the plan, 0-based; also the index into `runs` of the results. */
  index: number
  topology: string
  workload: string
  /** Closed loop: the connections; open loop: the pool bound `max_connections` (docs/results-schema.md). */
  connections: number
  /** Open loop only: the offered rate and the pool. */
  openLoop?: OpenLevel
  /** 0-based repeat number. */
  repeat: number
}

/**
 * The whole plan: levels grouped by topology. A topology is started afresh
 * for each repeat (as hyperfine runs a command N times), so within a
 * topology the levels come repeat by repeat.
 */
export interface Plan {
  /** The scenario's load (with `quick` when asked); each topology's own, with its overrides, is in `topologies`. */
  load: LoadDef
  /** Per topology, its own load (the scenario's with the topology's `load`/`quick` over it; see `effectiveLoad`). */
  topologies: Array<{ id: string; def: TopologyDef; load: EffectiveLoad; levels: Level[] }>
  workloads: Record<string, Workload>
  levels: Level[]
  /** Lower bound of the load time, in seconds: levels × (warm-up + duration). */
  estimatedS: number
}

/** Options of {@link makePlan}; arrays empty or absent mean "all". */
export interface PlanOptions {
  quick?: boolean
  topologies?: readonly string[]
  workloads?: readonly string[]
  /** Measure each level this many times (`--repeat N`), replacing `load.repeat`. */
  repeat?: number
}

function pick(kind: string, known: string[], wanted: readonly string[] | undefined, problems: string[]): string[] {
  if (!wanted || wanted.length === 0) return known
  for (const w of wanted) {
    if (!known.includes(w)) problems.push(`--${kind} ${w}: unknown; expected one of ${known.join(', ')}`)
  }
  return known.filter((k) => wanted.includes(k))
}

/**
 * Expands a validated scenario into levels: for each topology, each repeat,
 * each workload, each connection count or (open loop) each offered rate, as written.
 * With `quick`, the scenario's `quick` fields replace those of `load`; a
 * topology's own `load`/`quick` fields replace those (`effectiveLoad`);
 * `repeat` (from `--repeat`) replaces all of them.
 * A topology with `workloads` measures only those; one left without levels is left out.
 * @returns the plan, or problems for unknown `--topology`/`--workload` ids, or when no level is left
 */
export function makePlan(scenario: Scenario, opts: PlanOptions = {}): { ok: true; value: Plan } | { ok: false; problems: string[] } {
  const problems: string[] = []
  // a quick run measures the scenario's quick choice of topologies and workloads, unless told otherwise
  const quickPick = (asked: readonly string[] | undefined, quick: readonly string[] | undefined) => (asked?.length ? asked : opts.quick ? quick : undefined)
  const topologyIds = pick('topology', Object.keys(scenario.topologies), quickPick(opts.topologies, scenario.quick?.topologies), problems)
  const workloadIds = pick('workload', Object.keys(scenario.workloads), quickPick(opts.workloads, scenario.quick?.workloads), problems)
  if (problems.length) return { ok: false, problems }
  if (opts.repeat !== undefined && !(Number.isInteger(opts.repeat) && opts.repeat >= 1 && opts.repeat <= 20)) return { ok: false, problems: [`--repeat ${opts.repeat}: expected an integer 1..20`] }
  const { topologies: _t, workloads: _w, ...quickLoad } = scenario.quick ?? {}
  const asked: LoadDef = opts.quick ? { ...scenario.load, ...definedOnly(quickLoad) } : scenario.load
  const load: LoadDef = opts.repeat !== undefined ? { ...asked, repeat: opts.repeat } : asked

  const levels: Level[] = []
  const topologies: Plan['topologies'] = []
  for (const id of topologyIds) {
    const def = scenario.topologies[id] as TopologyDef
    const own: Level[] = []
    const effective = effectiveLoad(scenario, id, opts.quick === true)
    const tLoad = opts.repeat !== undefined ? { ...effective, repeat: opts.repeat } : effective
    const open = tLoad.mode === 'open'
    const steps = open ? (tLoad.rates ?? []) : tLoad.connections
    for (let repeat = 0; repeat < tLoad.repeat; repeat++) {
      // a topology may measure only some workloads (`workloads` of the topology)
      for (const workload of workloadIds.filter((w) => !def.workloads || def.workloads.includes(w))) {
        for (const step of steps) {
          const openLoop = open ? { openLoop: { ratePerSecond: step, arrival: tLoad.arrival, maxConnections: tLoad.max_connections } } : {}
          const level: Level = { index: levels.length, topology: id, workload, connections: open ? tLoad.max_connections : step, repeat, ...openLoop }
          levels.push(level)
          own.push(level)
        }
      }
    }
    if (own.length > 0) topologies.push({ id, def, load: tLoad, levels: own })
  }
  if (levels.length === 0) return { ok: false, problems: [`no level to measure: the chosen topologies (${topologyIds.join(', ')}) measure none of the chosen workloads (${workloadIds.join(', ')})`] }
  // `load.slow_clients` applies to every workload that has none of its own
  const workloads = Object.fromEntries(
    workloadIds.map((w) => {
      const own = scenario.workloads[w] as Workload
      return [w, own.slow_clients === undefined && load.slow_clients !== undefined ? { ...own, slow_clients: load.slow_clients } : own]
    }),
  )
  return {
    ok: true,
    value: { load, topologies, workloads, levels, estimatedS: topologies.reduce((sum, t) => sum + t.levels.length * (t.load.warmup_s + t.load.duration_s), 0) },
  }
}

