/**
 * `lab run <name|path>`: load → validate → plan → start each topology → drive
 * each level → save after every level → summarize (design.md, "CLI contract").
 *
 * Exit codes: 0 done; 1 run failed; 2 bad input; 3 a required engine is missing;
 * 130 interrupted (SIGINT) and 143 (SIGTERM), with what was measured saved.
 */
import cliProgress from 'cli-progress'
import path from 'node:path'
import type { Writable } from 'node:stream'
import { epochMs, type LabEvent } from '../core/events.js'
import { applyOverrides, parseOverride, type Override } from '../core/overrides.js'
import { makePlan, type Level, type Plan } from '../core/plan.js'
import { SCHEMA_VERSION, type ResultsDocument, type RunResult } from '../core/results.js'
import { validateScenario, type Scenario, type Workload } from '../core/scenario.js'
import { formatSummary } from '../core/format.js'
import { isFinitePrediction, meanRespawnMs, predictLevel, proxyCpuMs, type Prediction } from '../core/model.js'
import { requestKinds } from '../core/mix.js'
import { littlesLaw } from '../core/stats.js'
import { warningsFor } from '../core/warnings.js'
import { engineVersions, requireEngines } from '../engines/registry.js'
import { EngineMissingError, STACKS, type Stack } from '../engines/types.js'
import { AutocannonDriver } from '../load/autocannon.js'
import type { LevelMeasurement, LoadDriver } from '../load/driver.js'
import { startProbe, startStreams } from '../load/side.js'
import { startSlowClients, type SlowClientsResult } from '../load/slow-clients.js'
import { countTimeWait } from '../topology/sockets.js'
import { resultsPath, writeResults } from '../store/results.js'
import { stopAllGroups } from '../topology/group.js'
import { Sampler } from '../topology/sampler.js'
import { startTopology, type RunningTopology } from '../topology/topology.js'
import { LAB_VERSION, collectEnv } from './env.js'
import { openFile, writeReport } from './report.js'
import { LevelEvents } from './run-events.js'
import { loadScenarioFile, readNotes, resolveScenario } from './scenarios.js'

/** Options of `lab run`, as the CLI parsed them. */
export interface RunOptions {
  target: string
  quick?: boolean
  stack?: string
  set?: string[]
  topology?: string[]
  workload?: string[]
  /** Results folder (default `results`). */
  out?: string
  /** Write the results document to stdout; everything else to stderr. */
  json?: boolean
  open?: boolean
  /** The command line to record, for reproducing the run. */
  command?: string
  /** Test seam: a fake driver instead of autocannon. */
  driver?: LoadDriver
  /** Test seam: a fake topology starter instead of real processes. */
  start?: typeof startTopology
  /** Test seam: where to write (default process.stdout/stderr). */
  stdout?: Writable
  stderr?: Writable
  /** Aborting it interrupts the run like Ctrl-C (the CLI wires SIGINT/SIGTERM to it). */
  signal?: AbortSignal
  /**
   * Receives the run's events as they happen (lab/core/events.ts): `plan`,
   * then per level `level-start`, a `sample` every second, `level-done` and
   * its `warning`s, and `done` last (also after bad input or a failure).
   * Called synchronously on the load generator's thread: keep it quick. A
   * listener that throws is ignored.
   */
  onEvent?: (e: LabEvent) => void
}

/** What `lab run` produced. */
export interface RunOutcome {
  code: number
  file?: string
  report?: string
  doc?: ResultsDocument
}

/** `/work?io_ms=..&cpu_ms=..&bytes=..` for a workload (design.md, "The workload contract"). */
export function workPath(w: Workload): string {
  const faults = `${w.crash_pct ? `&crash_pct=${w.crash_pct}` : ''}${w.hang_pct ? `&hang_pct=${w.hang_pct}` : ''}`
  return `/work?io_ms=${w.io_ms}&cpu_ms=${w.cpu_ms}&bytes=${w.bytes}${faults}`
}

type Prepared =
  | {
      scenario: Scenario
      plan: Plan
      stack: Stack
      notes?: string
      /** The scenario's folder (relative paths such as `static_dir` start there). */
      dir: string
      /** Topologies left out because an engine they pin is not installed (`id: why`). */
      skipped: string[]
    }
  | { problems: string[] }

async function prepare(opts: RunOptions): Promise<Prepared> {
  let resolved: { file: string; folderName: string }
  let raw: unknown
  try {
    resolved = resolveScenario(opts.target)
    raw = await loadScenarioFile(resolved.file)
  } catch (err) {
    return { problems: [(err as Error).message] }
  }
  const problems: string[] = []
  const overrides: Override[] = []
  for (const s of opts.set ?? []) {
    const o = parseOverride(s)
    if (o.ok) overrides.push(o.value)
    else problems.push(o.problem)
  }
  const stack = (opts.stack ?? 'node') as Stack
  if (!STACKS.includes(stack)) problems.push(`--stack ${opts.stack}: unknown; expected one of ${STACKS.join(', ')}`)
  if (problems.length) return { problems }
  const applied = applyOverrides(raw, overrides)
  if (!applied.ok) return { problems: applied.problems }
  const valid = validateScenario(applied.value, resolved.folderName)
  if (!valid.ok) return { problems: valid.problems }
  const optional = opts.start || stack !== 'node' || opts.topology?.length ? { keep: undefined, skipped: [] } : await withoutMissingPinned(valid.value)
  const plan = makePlan(valid.value, { quick: opts.quick, topologies: opts.topology?.length ? opts.topology : optional.keep, workloads: opts.workload })
  if (!plan.ok) return { problems: plan.problems }
  return { scenario: valid.value, plan: plan.value, stack, notes: readNotes(resolved.file), dir: path.dirname(resolved.file), skipped: optional.skipped }
}

/**
 * On `--stack node` without `--topology`: the topologies to run, leaving out
 * those that pin a real engine (`proxy: { engine: 'nginx' }`) that is not
 * installed, so a scenario that compares the built-in proxy with nginx still
 * runs where nginx is missing. When every topology needs a missing engine,
 * none is left out (the run then exits 3 naming it); naming a topology with
 * `--topology`, or `--stack python`, makes its engines required.
 */
export async function withoutMissingPinned(scenario: Scenario): Promise<{ keep: string[] | undefined; skipped: string[] }> {
  const keep: string[] = []
  const skipped: string[] = []
  for (const [id, def] of Object.entries(scenario.topologies)) {
    try {
      await requireEngines([def], 'node')
      keep.push(id)
    } catch (err) {
      if (err instanceof EngineMissingError) skipped.push(`${id}: ${err.message}`)
      else keep.push(id)
    }
  }
  return keep.length > 0 && skipped.length > 0 ? { keep, skipped } : { keep: undefined, skipped: [] }
}

/** Opens a workload's slow clients (if any) before the load starts; they last at most `maxS` seconds. */
async function startSlow(baseUrl: string, workload: Workload, maxS: number) {
  const s = workload.slow_clients
  if (!s) return undefined
  return startSlowClients({
    baseUrl,
    count: s.count,
    mode: s.mode,
    ...(s.bytes_per_s !== undefined ? { bytesPerS: s.bytes_per_s } : {}),
    responseBytes: s.response_bytes,
    maxS,
  })
}

/**
 * How long a level's warm-up may run (s): at least `warmupS`, and long enough
 * for every connection to get one answer at the predicted latency (twice it,
 * for slack), but at most 10 s more; a level the model says cannot answer at
 * all (every worker held) gets no extension.
 */
export function warmupCap(warmupS: number, expected: Prediction): number {
  if (expected.perSecond === 0) return warmupS
  if (!Number.isFinite(expected.meanMs)) return warmupS + 10
  return warmupS + Math.min(10, Math.max(1, (2 * expected.meanMs) / 1000))
}

/** Starts the loads a workload or the scenario's load asks for beside the main loop; `stop` returns their results. */
function startSideLoads(baseUrl: string, workload: Workload, load: Plan['load']) {
  const probe = load.probe ? startProbe(baseUrl, load.probe.path, load.timeout_s, load.probe.interval_ms) : undefined
  const streams = workload.streams ? startStreams(baseUrl, workload.streams.count, workload.streams.interval_ms) : undefined
  return {
    async stop(from: number, to: number): Promise<Partial<Pick<RunResult, 'probe' | 'streams'>>> {
      const out: Partial<Pick<RunResult, 'probe' | 'streams'>> = {}
      if (streams) out.streams = streams.stop()
      if (probe) out.probe = await probe.stop(from, to)
      return out
    },
  }
}

/** Builds a level's entry in `runs` from the measurement and the /proc samples. */
export function toRunResult(
  level: Level,
  m: LevelMeasurement,
  topology: Pick<RunningTopology, 'engines' | 'processes' | 'events'>,
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
    durationS: m.window.measuredS,
    window: m.window,
    requests: m.requests,
    latencyMs: m.latencyMs,
    histogram: m.histogram,
    errors: m.errors,
    timeline: m.timeline,
    processes,
    loadGenerator: { cpuPercent: self?.cpuPercent ?? zero },
    littlesLaw: littlesLaw(level.connections, m.requests.perSecond.mean, m.requests.total > 0 ? m.latencyMs.mean : null),
    ...(events.length ? { events } : {}),
    ...(m.perUpstream ? { perUpstream: m.perUpstream } : {}),
    ...(m.perKind ? { perKind: m.perKind } : {}),
  }
}

/** A progress display on stderr: a bar on a terminal, one line per level otherwise. */
function progress(stderr: Writable, total: number) {
  const tty = (stderr as NodeJS.WriteStream).isTTY === true && !process.env.CI
  const bar = tty
    ? new cliProgress.SingleBar(
        { stream: stderr as NodeJS.WriteStream, format: ' {bar} {percentage}% | {level} | {phase} {rate} req/s | ETA {eta_formatted}', hideCursor: true, etaBuffer: 40 },
        cliProgress.Presets.shades_classic,
      )
    : undefined
  bar?.start(total, 0, { level: '', phase: 'starting', rate: 0 })
  return {
    update(done: number, level: string, phase: string, rate: number) {
      bar?.update(done, { level, phase, rate: Math.round(rate) })
    },
    levelDone(i: number, level: string, run: RunResult) {
      if (bar) bar.update(i + 1, { level, phase: 'done', rate: Math.round(run.requests.perSecond.mean) })
      else
        stderr.write(
          `[${i + 1}/${total}] ${level}: ${run.requests.perSecond.mean.toFixed(1)} req/s, mean ${run.latencyMs.mean.toFixed(1)} ms, ` +
            `p99 ${run.latencyMs.p99.toFixed(1)} ms, errors ${run.errors.total}\n`,
        )
    },
    stop() {
      bar?.stop()
    },
  }
}

/**
 * Runs a scenario.
 * @returns the exit code, the results file and the document
 */
export async function runCommand(opts: RunOptions): Promise<RunOutcome> {
  const stdout = opts.stdout ?? process.stdout
  const stderr = opts.stderr ?? process.stderr
  const emit = (e: LabEvent): void => {
    try {
      opts.onEvent?.(e)
    } catch {
      // a listener's failure must not end the run
    }
  }
  const now = () => epochMs(performance.now())
  const prepared = await prepare(opts)
  if ('problems' in prepared) {
    for (const p of prepared.problems) stderr.write(`lab run: ${p}\n`)
    emit({ type: 'done', at: now(), code: 2, complete: false, error: prepared.problems.join('\n') })
    return { code: 2 }
  }
  const { scenario, plan, stack } = prepared
  for (const s of prepared.skipped) stderr.write(`lab run: skipping topology ${s}\n`)
  const driver = opts.driver ?? new AutocannonDriver()
  const startedAt = new Date().toISOString()
  const file = resultsPath(opts.out ?? 'results', scenario.name, startedAt)
  const defs = plan.topologies.map((t) => t.def)
  let engines: Record<string, string> = {}
  if (!opts.start) {
    try {
      // every real engine is detected before anything starts: exit 3 with the install command
      await requireEngines(defs, stack)
      engines = await engineVersions(defs, stack)
    } catch (err) {
      const missing = err instanceof EngineMissingError
      stderr.write(`lab run: ${(err as Error).message}\n`)
      emit({ type: 'done', at: now(), code: missing ? 3 : 2, complete: false, error: (err as Error).message })
      return { code: missing ? 3 : 2 }
    }
  }
  const doc: ResultsDocument = {
    schemaVersion: SCHEMA_VERSION,
    complete: false,
    scenario: { name: scenario.name, title: scenario.title, definition: scenario },
    stack,
    startedAt,
    finishedAt: null,
    env: collectEnv(engines),
    command: opts.command ?? `npx lab run ${scenario.name}${opts.quick ? ' --quick' : ''}`,
    ...(prepared.notes ? { notes: prepared.notes } : {}),
    runs: [],
    warnings: [],
  }
  const save = () => {
    doc.env.engines = { ...engines }
    writeResults(file, doc)
  }

  stderr.write(
    `${scenario.title}\n${plan.levels.length} levels on ${plan.topologies.length} topologies, ` +
      `about ${Math.round(plan.estimatedS)} s; results: ${file}\n`,
  )
  emit({
    type: 'plan',
    at: now(),
    scenario: { name: scenario.name, title: scenario.title, summary: scenario.summary },
    stack,
    quick: opts.quick === true,
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
    command: doc.command ?? '',
  })
  const bar = progress(stderr, plan.levels.length)
  const sampler = new Sampler(250)
  sampler.start()
  let code = 0
  let failure: string | undefined
  const interrupted = () => opts.signal?.aborted === true
  try {
    for (const t of plan.topologies) {
      if (interrupted()) break
      const topology = await (opts.start ?? startTopology)(t.id, t.def, { stack, runDir: file.replace(/\.json$/, '.logs'), baseDir: prepared.dir })
      if (topology.engines.server.startsWith('node-')) engines[topology.engines.server] ??= LAB_VERSION
      try {
        for (const level of t.levels) {
          if (interrupted()) break
          const name = `${level.topology} ${level.workload} @${level.connections}`
          sampler.watch(topology.processes().map((p) => p.pid))
          const live = opts.onEvent ? new LevelEvents(level, topology, sampler, emit) : undefined
          emit({ type: 'level-start', at: now(), level, processes: topology.processes().map((p) => ({ pid: p.pid, role: p.role })) })
          const workload = plan.workloads[level.workload] as Workload
          const maxWarmupS = warmupCap(plan.load.warmup_s, predictLevel(t.def, workload, level.connections, doc.env.cores))
          // slow clients first, so they are ahead of the load generator in the server's accept queue
          const slow = await startSlow(topology.url, workload, maxWarmupS + plan.load.duration_s + 5)
          const kinds = workload.mix?.length ? requestKinds(workload) : undefined
          const side = startSideLoads(topology.url, workload, plan.load)
          let m: LevelMeasurement
          let slowClients: SlowClientsResult | undefined
          try {
            m = await driver.runLevel({
              url: topology.url + (kinds?.[0]?.path ?? workPath(workload)),
              ...(kinds ? { requests: kinds.map((k) => ({ path: k.path, weight: k.weight, label: k.label })), split: workload.mix_split ?? 'requests' } : {}),
              connections: level.connections,
              warmupS: plan.load.warmup_s,
              maxWarmupS,
              durationS: plan.load.duration_s,
              timeoutS: plan.load.timeout_s,
              signal: opts.signal,
              onProgress: (p) => {
                sampler.watch(topology.processes().map((x) => x.pid))
                bar.update(level.index + p.fraction, name, p.phase, p.perSecond)
                live?.progress(p)
              },
            })
          } finally {
            slowClients = slow?.stop()
          }
          sampler.tick()
          const extras = await side.stop(m.windowStart, m.windowEnd)
          if (m.aborted) break
          const run = {
            ...toRunResult(level, m, topology, sampler),
            ...extras,
            ...(slowClients ? { slowClients } : {}),
            sockets: { timeWait: countTimeWait(Number(new URL(topology.url).port)) },
          }
          const proxyCpu = run.processes.filter((p) => p.role === 'proxy').reduce((sum, p) => sum + p.cpuPercent.mean, 0)
          const prediction = predictLevel(
            t.def,
            workload,
            level.connections,
            doc.env.cores,
            run.loadGenerator.cpuPercent.mean,
            meanRespawnMs(run.events ?? []),
            proxyCpuMs(proxyCpu, run.requests.perSecond.mean),
            plan.load.timeout_s,
          )
          if (isFinitePrediction(prediction)) run.prediction = prediction
          // nothing answered: a client waits until it gives up, at its timeout
          else if (prediction.perSecond === 0) run.prediction = { perSecond: 0, meanMs: plan.load.timeout_s * 1000 }
          doc.runs.push(run)
          const warnings = warningsFor(run, doc.runs.length - 1)
          doc.warnings.push(...warnings)
          save()
          emit({ type: 'level-done', at: now(), level: level.index, run })
          for (const warning of warnings) emit({ type: 'warning', at: now(), warning })
          sampler.forget(m.windowEnd)
          bar.levelDone(level.index, name, run)
        }
      } finally {
        await topology.stop()
      }
    }
  } catch (err) {
    bar.stop()
    sampler.stop()
    await stopAllGroups()
    if (err instanceof EngineMissingError) {
      stderr.write(`lab run: ${err.message}\n`)
      emit({ type: 'done', at: now(), code: 3, complete: false, error: err.message })
      return { code: 3 }
    }
    stderr.write(`lab run: ${(err as Error).message}\n`)
    failure = (err as Error).message
    code = 1
  }
  bar.stop()
  sampler.stop()
  if (interrupted()) code = opts.signal?.reason === 'SIGTERM' ? 143 : 130
  doc.complete = code === 0
  doc.finishedAt = new Date().toISOString()
  if (doc.runs.length > 0 || code === 0) save()

  const summary = formatSummary(doc)
  if (opts.json) {
    stdout.write(JSON.stringify(doc, null, 1) + '\n')
    stderr.write('\n' + summary)
  } else stdout.write('\n' + summary)
  if (code !== 0) stderr.write(`${code === 1 ? 'Failed' : 'Interrupted'}; what was measured is saved (complete: false).\n`)
  let report: string | undefined
  if (doc.runs.length > 0) {
    stderr.write(`Results: ${shortPath(file)}\n`)
    report = await writeHtmlReport(doc, file.replace(/\.json$/, '.html'), stderr, opts.open === true)
  }
  const saved = doc.runs.length > 0 || code === 0
  emit({
    type: 'done',
    at: now(),
    code,
    complete: doc.complete,
    ...(saved ? { file } : {}),
    ...(report ? { report } : {}),
    ...(failure ? { error: failure } : {}),
  })
  return { code, file, report, doc }
}

/** A path relative to the working folder when it is below it, else absolute. */
function shortPath(file: string): string {
  const rel = path.relative(process.cwd(), file)
  return rel && !rel.startsWith('..') ? rel : path.resolve(file)
}

/** Writes the HTML report beside the JSON; a missing web build is reported, never fails the run. */
async function writeHtmlReport(doc: ResultsDocument, file: string, stderr: Writable, open: boolean): Promise<string | undefined> {
  try {
    const r = await writeReport([doc], file)
    stderr.write(`Report: ${shortPath(r.path)}\n`)
    if (open) openFile(r.path)
    return r.path
  } catch (err) {
    stderr.write(`(no HTML report: ${(err as Error).message})\n`)
    return undefined
  }
}
