/**
 * The demo's runs: at most one running at a time, driven through the run
 * engine (lab/run/engine.ts); each run's events kept in memory (for a late
 * browser), appended to its NDJSON event log beside the results, and
 * published to the SSE broker. Finished runs are kept, newest last, up to a
 * limit.
 */
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { shellCommand } from '../core/labels.js'
import type { Envelope, LabEvent } from '../core/events.js'
import type { ValidStart } from '../core/knobs.js'
import type { RunLinks, RunState, RunSummary } from '../core/live-api.js'
import type { LoadDriver } from '../load/driver.js'
import { runScenario } from '../run/engine.js'
import { RunEvents } from '../run/events.js'
import { LevelGate } from '../run/gate.js'
import { EventLog, eventLogPath } from '../store/events.js'
import { stamp } from '../core/labels.js'
import type { startTopology } from '../topology/topology.js'
import type { Entry } from './catalogue.js'
import { resultsUrl } from './files.js'
import type { SseBroker } from './sse.js'

/** How long a stop request waits for the run's teardown before answering anyway (ms). */
const STOP_WAIT_MS = 20_000

/** A demo run. */
export interface LiveRun {
  id: string
  state: RunState
  request: ValidStart
  command: string
  startedAt: string
  events: Envelope[]
  controller: AbortController
  /** Step mode and pause, asked by the run engine between levels. */
  gate: LevelGate
  /** Settles when the run has ended and its processes are gone. */
  finished: Promise<void>
  code?: number
  links?: RunLinks
  log?: EventLog
}

/** Options of {@link RunRegistry}. */
export interface RegistryOptions {
  /** Results folder (absolute). */
  outDir: string
  broker: SseBroker
  /** Finished runs kept in memory with their events. */
  keepRuns: number
  /** One line per run started and finished. */
  log: (line: string) => void
  /** Test seam: a load driver for each run (default autocannon). */
  driver?: () => LoadDriver
  /** Test seam: a topology starter (default real processes). */
  start?: typeof startTopology
}

/** The command that reproduces a demo run: `npx lab run` with its knobs as `--set`, and the topologies and workloads when not all. */
export function commandFor(v: ValidStart, all: { topologies: number; workloads: number }): string {
  const args = ['npx', 'lab', 'run', v.scenario]
  if (v.quick) args.push('--quick')
  if (v.stack !== 'node') args.push('--stack', v.stack)
  for (const s of v.set) args.push('--set', s)
  if (v.topologies.length < all.topologies) for (const t of v.topologies) args.push('--topology', t)
  if (v.workloads.length < all.workloads) for (const w of v.workloads) args.push('--workload', w)
  return shellCommand(args)
}

/** A run as the API tells it. */
export function summary(r: LiveRun): RunSummary {
  return {
    id: r.id,
    state: r.state,
    scenario: r.request.scenario,
    quick: r.request.quick,
    stack: r.request.stack,
    topologies: r.request.topologies,
    workloads: r.request.workloads,
    set: r.request.set,
    command: r.command,
    startedAt: r.startedAt,
    events: r.events.length,
    gate: r.gate.state(),
    ...(r.code === undefined ? {} : { code: r.code }),
    ...(r.links ? { links: r.links } : {}),
  }
}

/** The demo's runs. */
export class RunRegistry {
  private readonly runs: LiveRun[] = [] // newest last
  private running: LiveRun | undefined

  constructor(private readonly opts: RegistryOptions) {}

  /** The running run, if any. */
  current(): LiveRun | undefined {
    return this.running
  }

  /** The latest run, running or not. */
  latest(): LiveRun | undefined {
    return this.runs.at(-1)
  }

  /** Every kept run, newest first. */
  list(): LiveRun[] {
    return [...this.runs].reverse()
  }

  find(id: string): LiveRun | undefined {
    return this.runs.find((r) => r.id === id)
  }

  /**
   * Starts a validated run of a catalogue scenario (the caller has checked that none is running).
   * @returns the run, already running
   */
  start(v: ValidStart, entry: Entry): LiveRun {
    const startedAt = new Date().toISOString()
    const run: LiveRun = {
      id: `${stamp(startedAt)}-${randomBytes(3).toString('hex')}`,
      state: 'running',
      request: v,
      command: commandFor(v, { topologies: Object.keys(entry.scenario.topologies).length, workloads: Object.keys(entry.scenario.workloads).length }),
      startedAt,
      events: [],
      controller: new AbortController(),
      gate: new LevelGate(v.step),
      finished: Promise.resolve(),
    }
    const events = new RunEvents()
    events.onEvent((e) => this.record(run, e))
    const request = { target: v.scenario, quick: v.quick, stack: v.stack, set: v.set, topology: v.topologies, workload: v.workloads }
    const seams = { ...(this.opts.driver ? { driver: this.opts.driver() } : {}), ...(this.opts.start ? { start: this.opts.start } : {}) }
    run.finished = runScenario({ ...request, ...seams, out: this.opts.outDir, command: run.command, signal: run.controller.signal, gate: run.gate }, events)
      .then(
        (outcome) => {
          if (run.state !== 'done') this.record(run, { type: 'done', at: Date.now(), code: outcome.code, complete: outcome.doc?.complete ?? false })
          this.opts.log(`run ${run.id}: ${outcome.code === 0 ? 'done' : `ended with code ${outcome.code}`}${run.links?.report ? `; report ${run.links.report}` : ''}`)
        },
        (err: unknown) => {
          const message = err instanceof Error ? err.message : String(err)
          if (run.state !== 'done') this.record(run, { type: 'done', at: Date.now(), code: 1, complete: false, error: message })
          this.opts.log(`run ${run.id}: failed: ${message}`)
        },
      )
      .finally(() => {
        if (this.running === run) this.running = undefined
      })
    this.running = run
    this.runs.push(run)
    while (this.runs.length > this.opts.keepRuns) this.runs.shift()
    this.opts.log(`run ${run.id}: ${run.command}`)
    return run
  }

  /** Stops a run and waits for its teardown (at most {@link STOP_WAIT_MS}); does nothing to a finished run. */
  async stop(run: LiveRun): Promise<void> {
    if (run.state === 'done') return
    run.state = 'stopping'
    run.controller.abort('stop')
    this.opts.log(`run ${run.id}: stopping`)
    await Promise.race([run.finished, new Promise((r) => setTimeout(r, STOP_WAIT_MS).unref())])
  }

  /** Stops the running run, if any, and waits until it has ended. */
  async stopAll(): Promise<void> {
    const active = this.running
    if (!active) return
    active.state = 'stopping'
    active.controller.abort('stop')
    await active.finished
  }

  /** Keeps, logs and publishes one event of a run; `done` also links its files and ends its streams. */
  private record(run: LiveRun, e: LabEvent): void {
    let event = e
    if (e.type === 'plan') run.log = this.openLog(run, e.file)
    if (e.type === 'done') {
      const url = (file: string | undefined) => resultsUrl(this.opts.outDir, file)
      const links: RunLinks = {
        ...(url(e.file) ? { results: url(e.file) } : {}),
        ...(url(e.report) ? { report: url(e.report) } : {}),
        ...(run.log && url(run.log.file) ? { events: url(run.log.file) } : {}),
      }
      run.links = links
      run.code = e.code
      event = { ...e, links }
    }
    const env: Envelope = { run: run.id, seq: run.events.length, event }
    run.events.push(env)
    try {
      run.log?.append(event)
    } catch {
      // a full disk must not stop the run; the results JSON says what was measured
    }
    this.opts.broker.publish(env)
    if (e.type === 'done') {
      run.state = 'done'
      if (this.running === run) this.running = undefined
      run.log?.close()
      this.opts.broker.end(run.id)
    }
  }

  private openLog(run: LiveRun, resultsFile: string): EventLog | undefined {
    try {
      return new EventLog(eventLogPath(path.resolve(resultsFile)))
    } catch (err) {
      this.opts.log(`run ${run.id}: no event log (${(err as Error).message})`)
      return undefined
    }
  }
}
