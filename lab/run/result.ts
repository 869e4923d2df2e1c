/**
 * A level's entry in the results' `runs`: the load driver's measurement, the
 * /proc samples of each server process and of the lab itself, the topology's
 * process events, Little's law, and the model's two predictions beside it,
 * textbook and this machine (docs/results-schema.md).
 */
import type { Level } from '../core/plan.js'
import type { RunResult } from '../core/results.js'
import type { TopologyDef, Workload } from '../core/scenario.js'
import { deployLoss } from '../core/deploy-loss.js'
import { t } from '../core/i18n.js'
import { predictBoth, type Calibration, type Sharing } from '../core/calibrated.js'
import { isFinitePrediction, levelInput, meanRespawnMs, type Prediction } from '../core/model.js'
import { cpuPerResponseUs, littlesLaw } from '../core/stats.js'
import type { LevelMeasurement } from '../load/driver.js'
import type { Sampler } from '../topology/sampler.js'
import type { RunningTopology } from '../topology/topology.js'

/**
 * Builds a level's entry in `runs` from the measurement and the /proc samples
 * over its measured window. A process with fewer than two samples in the
 * window reads 0 % CPU and 0 bytes.
 */
export function toRunResult(
  level: Level,
  m: LevelMeasurement,
  topology: Pick<RunningTopology, 'engines' | 'processes' | 'events'> & { app?: string },
  sampler: Pick<Sampler, 'usage' | 'selfUsage'> | undefined,
): RunResult {
  const zero = { mean: 0, max: 0 }
  const processes = topology.processes().map((p) => {
    const u = sampler?.usage(p.pid, m.windowStart, m.windowEnd)
    return {
      role: p.role,
      pid: p.pid,
      cpuPercent: u?.cpuPercent ?? zero,
      rssBytes: u?.rssBytes ?? zero,
      ...(u?.pssBytes ? { pssBytes: u.pssBytes } : {}),
      requests: m.perWorker[String(p.pid)] ?? 0,
    }
  })
  const self = sampler?.selfUsage(m.windowStart, m.windowEnd)
  const events = topology
    .events()
    .filter((e) => e.at >= m.loadStartedAt && e.at <= m.windowEnd)
    .map((e) => ({ t: (e.at - m.loadStartedAt) / 1000, kind: e.kind, ...(e.pid ? { pid: e.pid } : {}), message: e.message }))
  return {
    topology: level.topology,
    workload: level.workload,
    connections: level.connections,
    repeat: level.repeat,
    engines: topology.engines,
    ...(topology.app ? { app: topology.app } : {}),
    cpuPerResponseUs: cpuPerResponseUs(processes, m.window.measuredS, m.requests.ok ?? m.requests.total - m.errors.non2xx),
    durationS: m.window.measuredS,
    window: m.window,
    requests: m.requests,
    latencyMs: m.latencyMs,
    histogram: m.histogram,
    errors: m.errors,
    timeline: m.timeline,
    processes,
    loadGenerator: { cpuPercent: self?.cpuPercent ?? zero },
    // an open loop's connections are a bound, not its population: Little's law has no N to check against
    littlesLaw: m.open
      ? { expectedMeanMs: null, measuredMeanMs: m.requests.total > 0 ? m.latencyMs.mean : null, ratio: null }
      : littlesLaw(level.connections, m.requests.perSecond.mean, m.requests.total > 0 ? m.latencyMs.mean : null),
    ...(events.length ? { events } : {}),
    ...(m.perUpstream ? { perUpstream: m.perUpstream } : {}),
    ...(m.perKind ? { perKind: m.perKind } : {}),
    ...(m.open ? { mode: 'open' as const, openLoop: m.open } : {}),
  }
}

/** What the "this machine" prediction needs: the topology's calibration and how the machine is shared. */
export interface MachineFacts {
  calibration?: Calibration
  sharing?: Sharing
  /** CPU other processes used meanwhile, percent of one core: the servers do not get it. */
  otherCpuPercent?: number
}

/**
 * The model's two predictions for a level (lab/core/calibrated.ts): the
 * textbook one (io_ms and cpu_ms only, on every core) and, with a
 * calibration, the one for this machine (on the cores other processes left,
 * less the load generator's share); `perSecond` and `meanMs` are the latter
 * when there is one (`basis`), else the former. A level the model says answers nothing is
 * predicted at 0 req/s, every client waiting until its timeout.
 * @param cores - the machine's cores (`env.cores`)
 * @param timeoutS - the client's timeout (s)
 * @param respawnMs - the workers' measured respawn time, when the level had any
 * @returns the prediction, or undefined when the model cannot back one
 */
export function predictionsFor(
  def: TopologyDef,
  workload: Workload,
  connections: number,
  cores: number,
  timeoutS: number,
  machine: MachineFacts = {},
  respawnMs?: number,
): RunResult['prediction'] | undefined {
  const input = levelInput(def, workload, connections, cores, undefined, respawnMs, undefined, timeoutS)
  if (!input) return undefined
  // this machine: the cores other processes left (at least a tenth of one)
  const left = Math.max(0.1, cores - (machine.otherCpuPercent ?? 0) / 100)
  const both = {
    textbook: predictBoth(input).textbook,
    thisMachine: machine.calibration ? predictBoth({ ...input, cores: left }, machine.calibration, machine.sharing).thisMachine : null,
  }
  const finite = (p: Prediction): Prediction | undefined => {
    if (isFinitePrediction(p)) return p
    // nothing answered: a client waits until it gives up, at its timeout
    return p.perSecond === 0 ? { ...p, perSecond: 0, meanMs: timeoutS * 1000 } : undefined
  }
  const textbook = finite(both.textbook)
  const thisMachine = both.thisMachine && finite(both.thisMachine) ? { ...both.thisMachine, ...finite(both.thisMachine) } : undefined
  const basis = thisMachine ?? textbook
  if (!basis) return undefined
  return {
    perSecond: basis.perSecond,
    meanMs: basis.meanMs,
    ...(basis.approximate ? { approximate: basis.approximate } : {}),
    basis: thisMachine ? 'this-machine' : 'textbook',
    ...(textbook ? { textbook } : {}),
    ...(thisMachine ? { thisMachine } : {}),
  }
}

/**
 * The predictions for a measured level ({@link predictionsFor}), fed the
 * workers' respawn time and the other processes' CPU the level measured.
 */
export function predictionFor(def: TopologyDef, workload: Workload, run: RunResult, cores: number, timeoutS: number, machine: MachineFacts = {}): RunResult['prediction'] | undefined {
  const facts = run.otherCpuPercent !== undefined ? { ...machine, otherCpuPercent: run.otherCpuPercent } : machine
  const p = predictionsFor(def, workload, run.connections, cores, timeoutS, facts, meanRespawnMs(run.events ?? []))
  if (!p || !def.deploy || !run.window || def.server.model === 'event-loop') return p
  // a deploy mid-level: the slot time no worker served, from the level's own events (lab/core/deploy-loss.ts)
  const fromS = run.window.warmupS
  const loss = deployLoss(run.events ?? [], { fromS, toS: fromS + run.window.measuredS }, def.server.workers * (def.server.threads ?? 1) * (def.proxy ? (def.upstreams ?? 1) : 1))
  if (loss === 0) return p
  const keep = <T extends { perSecond: number; approximate?: string }>(x: T): T => ({
    ...x,
    perSecond: x.perSecond * (1 - loss),
    approximate: [x.approximate, t('model.deploy', { pct: (loss * 100).toFixed(0), keep: (1 - loss).toFixed(2) }, 'en')].filter(Boolean).join(' '),
  })
  return { ...keep(p), ...(p.textbook ? { textbook: keep(p.textbook) } : {}), ...(p.thisMachine ? { thisMachine: keep(p.thisMachine) } : {}) }
}
