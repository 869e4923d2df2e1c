/**
 * The run engine: plan → start each topology → drive each level → sample →
 * predict → check → save, telling its listeners as it goes (docs/architecture.md,
 * "The flow of one run"). The CLI (lab/commands/run.ts) draws a progress bar
 * and prints from the events and the outcome; the demo (lab/live) streams
 * them. The engine itself writes nothing to stdout or stderr.
 *
 * Events, in order (lab/core/events.ts): `plan`; a `calibrate` for each
 * engine calibration measured (not those read from the cache); per level
 * `level-start`, a `sample` every second (only when someone listens to
 * samples), `level-done` and its `warning`s, then `hold` and `release` when
 * the demo's gate (lab/run/gate.ts) held the run before the next level; `done` last, also after bad
 * input or a failure.
 *
 * Each topology is started afresh for each repeat of its levels (while the
 * previous one is torn down: no level starts before both are done); before the
 * first level every topology's engines are calibrated (lab/run/calibrate.ts),
 * and on a machine of 4 or more cores the lab and the servers are pinned to
 * disjoint CPU sets (lab/run/placement.ts).
 */
import os from 'node:os'
import { epochMs, type PlanEvent } from '../core/events.js'
import type { Plan } from '../core/plan.js'
import type { Scenario } from '../core/scenario.js'
import { isBuiltinEngine } from '../engines/registry.js'
import { EngineMissingError } from '../engines/types.js'
import { AutocannonDriver } from '../load/autocannon.js'
import { OpenLoopDriver } from '../load/open-loop.js'
import { resultsPath } from '../store/results.js'
import { stopAllGroups } from '../topology/group.js'
import { Sampler } from '../topology/sampler.js'
import { startTopology } from '../topology/topology.js'
import type { Placement } from '../core/results.js'
import { calibrateTopology, machineKey, modelCalibration, type CalibrationContext } from './calibrate.js'
import { LAB_VERSION } from './env.js'
import { RunEvents } from './events.js'
import { runLevel, type LevelContext } from './level.js'
import { openRunLink, type RunLink } from './link.js'
import { readyTimeoutMs } from './ready.js'
import { nofileLimits, nofileProblem } from './limits.js'
import { allowedCpus, pin, placementFor } from './placement.js'
import { detectEngines, prepare, type Prepared } from './prepare.js'
import type { MachineFacts } from './result.js'
import { ResultsRecorder, logsDir, newDocument, writeHtmlReport } from './save.js'
import { exitCode, type RunOutcome, type RunRequest, type RunStatus } from './types.js'

const now = (): number => epochMs(performance.now())

/**
 * Runs a scenario.
 * @param events - where to tell what happens (subscribe before calling)
 * @returns the outcome: status and exit code, the results and report files, the document.
 *   Never rejects for a run that fails: the error is in `problems` with status `failed`.
 */
export async function runScenario(req: RunRequest, events: RunEvents = new RunEvents()): Promise<RunOutcome> {
  const prepared = await prepare(req)
  if (!prepared.ok) return refuse(events, prepared.status, prepared.problems, [])
  const { scenario, plan, stack } = prepared
  const files = req.start ? undefined : nofileProblem(Math.max(...plan.load.connections), nofileLimits())
  if (files) return refuse(events, 'bad-input', [files], prepared.skipped)
  const startedAt = new Date().toISOString()
  const file = resultsPath(req.out ?? 'results', scenario.name, startedAt)
  let engines: Record<string, string> = {}
  if (!req.start) {
    // every real engine is detected before anything starts: exit 3 with the install command
    const detected = await detectEngines(plan.topologies.map((t) => t.def), stack)
    if (!detected.ok) return refuse(events, detected.status, detected.problems, prepared.skipped)
    engines = detected.engines
  }
  const command = req.command ?? `npx lab run ${scenario.name}${req.quick ? ' --quick' : ''}`
  const cpus = allowedCpus(os.availableParallelism())
  // the test seams start no real processes: nothing to pin
  const placement = req.start ? { ...placementFor(cpus.slice(0, 1)), client: cpus, servers: cpus, note: 'test run: nothing pinned' } : placementFor(cpus)
  const recorder = new ResultsRecorder(file, newDocument(prepared, engines, startedAt, command, placement), engines, plan.workloads)
  events.emit(planEvent(scenario, plan, prepared, req.quick === true, file, command))

  const sampler = new Sampler(250)
  sampler.start()
  let failure: string | undefined
  // the slow clients' link, when a workload asks for one (removed below, or by netns.ts's exit hook)
  const link = await openRunLink(req.calibrateOnly ? [] : Object.values(plan.workloads), req.start !== undefined)
  try {
    await runLevels(req, prepared, recorder, engines, sampler, events, link)
  } catch (err) {
    sampler.stop()
    await stopAllGroups()
    if (err instanceof EngineMissingError) return refuse(events, 'engine-missing', [err.message], prepared.skipped)
    failure = err instanceof Error ? err.message : String(err)
  } finally {
    // the lab's own process may go on (the demo): give it back every CPU
    if (placement.mode === 'pinned') await pin([process.pid], cpus).catch(() => {})
    await link.close()
  }
  sampler.stop()
  return finish(req, recorder, prepared.skipped, failure, events)
}

/** Starts each topology in turn, afresh for each repeat, and measures its levels; stops at an interrupt. */
async function runLevels(req: RunRequest, p: Prepared, recorder: ResultsRecorder, engines: Record<string, string>, sampler: Sampler, events: RunEvents, link: RunLink): Promise<void> {
  const interrupted = () => req.signal?.aborted === true
  const driver = req.driver ?? new AutocannonDriver()
  const openDriver = req.openDriver ?? new OpenLoopDriver()
  const placement = recorder.doc.env.placement
  if (placement?.mode === 'pinned') await pin([process.pid], placement.client)
  const machine = await calibrate(req, p, recorder, engines, sampler, driver, events)
  if (!machine || req.calibrateOnly) return
  // the CPU other processes took during the last level: the next level's window is sized with it
  let lastOther: number | undefined
  // the last topology's teardown, run while the next one starts: nothing is measured until both are done
  let stopping: Promise<void> = Promise.resolve()
  let left = p.plan.topologies.reduce((n, t) => n + t.levels.length, 0)
  try {
    for (const t of p.plan.topologies) {
      for (const repeat of [...new Set(t.levels.map((l) => l.repeat))]) {
        if (interrupted()) return
        const starting = (req.start ?? startTopology)(t.id, t.def, { stack: p.stack, runDir: logsDir(recorder.file), baseDir: p.dir, readyTimeoutMs: readyTimeoutMs(t.def), ...(link.link ? { alsoListen: link.link.hostAddress } : {}) })
        const [topology] = await Promise.all([starting, stopping])
        if (isBuiltinEngine(topology.engines.server)) engines[topology.engines.server] ??= LAB_VERSION
        const ctx: LevelContext = { def: t.def, topology, plan: p.plan, load: t.load, openDriver, cores: recorder.doc.env.cores, driver, sampler, events, machine: machine.get(t.id) ?? {}, link, ...(req.signal ? { signal: req.signal } : {}) }
        try {
          for (const level of t.levels.filter((l) => l.repeat === repeat)) {
            if (interrupted()) return
            if (placement?.mode === 'pinned') await pinServers(topology.processes().map((x) => x.pid), placement)
            ctx.machine = { ...machine.get(t.id), ...(lastOther !== undefined ? { otherCpuPercent: lastOther } : {}) }
            const measured = await runLevel(ctx, level)
            if (!measured) return
            lastOther = measured.run.otherCpuPercent ?? lastOther
            const warnings = recorder.add(measured.run)
            events.emit({ type: 'level-done', at: now(), level: level.index, run: measured.run })
            for (const warning of warnings) events.emit({ type: 'warning', at: now(), warning })
            sampler.forget(measured.windowEnd)
            if (--left > 0) await hold(req, level.index, events)
          }
        } finally {
          stopping = topology.stop()
        }
      }
    }
  } finally {
    await stopping
  }
}

/** Between two levels: waits while the demo's gate holds the run (step mode, pause), telling `hold` and `release`. */
async function hold(req: RunRequest, after: number, events: RunEvents): Promise<void> {
  if (!req.gate) return
  let held = false
  const heldMs = await req.gate.wait(req.signal, (reason) => {
    held = true
    events.emit({ type: 'hold', at: now(), after, reason })
  })
  if (held) events.emit({ type: 'release', at: now(), heldMs })
}

/** Pins a topology's processes to the servers' CPUs; a process gone meanwhile (a worker replaced) is left out. */
async function pinServers(pids: number[], placement: Placement): Promise<void> {
  await Promise.all(pids.map((pid) => pin([pid], placement.servers).catch(() => {})))
}

/**
 * Each topology's calibration (from the cache, or measured once for this
 * machine) and how the machine is shared, for the "this machine" prediction;
 * none with the test seams unless asked. The records go into the results.
 * @returns the facts by topology id, or undefined when interrupted
 */
async function calibrate(req: RunRequest, p: Prepared, recorder: ResultsRecorder, engines: Record<string, string>, sampler: Sampler, driver: AutocannonDriver | NonNullable<RunRequest['driver']>, events: RunEvents): Promise<Map<string, MachineFacts> | undefined> {
  const out = new Map<string, MachineFacts>()
  const sharing = { dedicatedClient: recorder.doc.env.placement?.mode === 'pinned' }
  if (!(req.calibrate ?? !req.start)) return out
  const ctx: CalibrationContext = {
    stack: p.stack,
    machine: machineKey(recorder.doc.env),
    versions: engines,
    recalibrate: req.recalibrate === true,
    driver,
    sampler,
    start: req.start ?? startTopology,
    runDir: logsDir(recorder.file),
    seen: new Map(),
    onMeasure: (engine, settings) => events.emit({ type: 'calibrate', at: now(), engine, settings }),
  }
  for (const t of p.plan.topologies) {
    if (req.signal?.aborted) return undefined
    const c = await calibrateTopology(t.def, ctx, Math.max(...t.levels.map((l) => l.connections)))
    out.set(t.id, { calibration: modelCalibration(c), sharing })
  }
  recorder.doc.calibration = [...ctx.seen.values()]
  return out
}

/** The `plan` event: what will run, for a live view to lay out before the first sample. */
function planEvent(scenario: Scenario, plan: Plan, p: Prepared, quick: boolean, file: string, command: string): PlanEvent {
  return {
    type: 'plan',
    at: now(),
    scenario: { name: scenario.name, title: scenario.title, summary: scenario.summary },
    stack: p.stack,
    quick,
    topologies: plan.topologies.map((t) => ({
      id: t.id,
      model: t.def.server.model,
      ...(t.def.server.model === 'prefork' ? { workers: t.def.server.workers } : {}),
    })),
    workloads: plan.workloads,
    load: { connections: plan.load.connections, warmup_s: plan.load.warmup_s, duration_s: plan.load.duration_s, repeat: plan.load.repeat },
    levels: plan.levels,
    estimatedS: plan.estimatedS,
    file,
    command,
    ...(p.skipped.length ? { skipped: p.skipped } : {}),
    ...(p.notices.length ? { notices: p.notices } : {}),
  }
}

/** Ends a run that measured nothing and saved nothing: `done` with the problems. */
function refuse(events: RunEvents, status: RunStatus, problems: string[], skipped: string[]): RunOutcome {
  const code = exitCode(status)
  events.emit({ type: 'done', at: now(), code, complete: false, error: problems.join('\n') })
  return { status, code, problems, skipped, saved: false }
}

/** Saves what was measured, writes the report, and tells `done`. */
async function finish(req: RunRequest, recorder: ResultsRecorder, skipped: string[], failure: string | undefined, events: RunEvents): Promise<RunOutcome> {
  const status: RunStatus = req.signal?.aborted ? 'interrupted' : failure !== undefined ? 'failed' : 'done'
  const code = exitCode(status, req.signal?.reason)
  const { doc, file } = recorder
  // lab calibrate measures no level: its calibrations went to the cache, and nothing is saved here
  const saved = req.calibrateOnly ? false : recorder.finish(status === 'done')
  const written = doc.runs.length > 0 ? await writeHtmlReport(doc, file) : {}
  const { report } = written
  events.emit({
    type: 'done',
    at: now(),
    code,
    complete: doc.complete,
    ...(saved ? { file } : {}),
    ...(report ? { report } : {}),
    ...(failure ? { error: failure } : {}),
  })
  return {
    status,
    code,
    problems: failure !== undefined ? [failure] : [],
    skipped,
    file,
    saved,
    ...written,
    doc,
  }
}
