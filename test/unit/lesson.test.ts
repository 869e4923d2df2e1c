import { readdirSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { lessonHeadline, lessonValue, lessonVerdict } from '../../lab/core/lesson-verdict.js'
import { lessonProblems, type Lesson, type LessonScope } from '../../lab/core/lesson.js'
import type { ResultsDocument, RunResult } from '../../lab/core/results.js'
import { validateScenario, type ScenarioInput } from '../../lab/core/scenario.js'
import { makeRun } from './fixtures.js'

const doc = (lesson: Lesson, runs: RunResult[]): Pick<ResultsDocument, 'runs' | 'scenario'> => ({ runs, scenario: { name: 'x', title: 'X', definition: { lesson } } })
const only = (v: unknown) => (v as { lines: { text: string }[] }).lines.map((l) => l.text)

describe('every scenario declares its lesson', () => {
  const root = path.resolve(__dirname, '../../scenarios')
  const names = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)

  it('finds the scenarios', () => expect(names.length).toBeGreaterThanOrEqual(29))

  it.each(names)('%s names a metric its topologies produce and compares ids it has', async (name) => {
    const mod = (await import(path.join(root, name, 'scenario.ts'))) as { default: ScenarioInput }
    const v = validateScenario(mod.default, name)
    expect(v.ok ? [] : v.problems).toEqual([])
    expect(mod.default.lesson?.sentence).toMatch(/^[A-Z0-9].{20,}[.]$/)
  })
})

describe('lessonProblems', () => {
  const scope: LessonScope = {
    topologies: { a: {}, b: { proxy: {} } },
    workloads: { w: { mix: [{ label: 'fast' }] }, v: {} },
    load: {},
    isOpen: () => false,
  }
  const lesson = (over: Partial<Lesson>): Lesson => ({ metric: 'answered', compare: { topologies: ['a', 'b'] }, sentence: 'S.', ...over })

  it('accepts two topologies read on answered req/s', () => expect(lessonProblems(lesson({}), scope)).toEqual([]))

  it('names a compared id the scenario lacks, with the ids it has', () => {
    expect(lessonProblems(lesson({ compare: { topologies: ['a', 'c'] } }), scope)).toEqual(['lesson.compare.topologies.1: "c" is not allowed; expected one of a, b'])
  })

  it('refuses a comparison of one side', () => {
    expect(lessonProblems(lesson({ compare: { topologies: ['a'] } }), scope)).toEqual(['lesson.compare: expected two or more topologies, or two or more workloads, to compare'])
  })

  it('refuses metrics the topologies cannot produce: a probe, a proxy, an open loop, a labelled kind', () => {
    expect(lessonProblems(lesson({ metric: 'probe-p99' }), scope)).toEqual(['lesson.metric: probe-p99 needs load.probe'])
    expect(lessonProblems(lesson({ metric: 'upstream-rate' }), scope)).toEqual(['lesson.metric: upstream-rate needs a proxy; topology a has none'])
    expect(lessonProblems(lesson({ metric: 'dropped' }), scope)).toEqual(['lesson.metric: dropped needs an open loop (load.mode: open) in a compared topology'])
    expect(lessonProblems(lesson({ metric: 'kind-p99', kind: 'slow', compare: { topologies: ['a', 'b'], workloads: ['w'] } }), scope)).toEqual(['lesson.kind: workload w has no mix entry labelled "slow"'])
    expect(lessonProblems(lesson({ metric: 'kind-p99' }), scope)).toEqual(['lesson.kind: missing; expected the mix label the metric reads'])
  })
})

describe('lessonVerdict', () => {
  const answered: Lesson = { metric: 'answered', compare: { topologies: ['async', 'prefork'] }, sentence: 'One loop overlaps the waits.' }

  it('is null for a document whose scenario declares no lesson', () => {
    expect(lessonVerdict({ runs: [makeRun()], scenario: { name: 'x', title: 'X', definition: {} } })).toBeNull()
  })

  it('answered: states the ratio with its interval, at the highest level both sides ran, in the order the lesson names them', () => {
    const runs = [makeRun({ topology: 'prefork', connections: 8 }), makeRun({ topology: 'prefork', connections: 128, perSecond: 80 }), makeRun({ topology: 'async', connections: 128, perSecond: 1944 })]
    expect(only(lessonVerdict(doc(answered, runs)))).toEqual(['io-bound @128: async 1944 req/s, prefork 80.0 req/s: async is 24.3× prefork (95 % CI 23.9–24.7×)'])
  })

  it('answered: reads 2xx, not every response (503s are not served)', () => {
    const shed = makeRun({ topology: 'async', perSecond: 33_641 })
    shed.requests.answeredPerSecond = { ...makeRun({ perSecond: 640 }).requests.perSecond }
    const v = lessonVerdict(doc(answered, [shed, makeRun({ topology: 'prefork', perSecond: 80 })]))
    expect(v?.lines[0]?.values[0]?.mean).toBe(640)
    expect(v?.lines[0]?.text).toContain('async 640 req/s, prefork 80.0 req/s: async is 8.0×')
  })

  it('finds no measurable difference where the intervals overlap', () => {
    const v = lessonVerdict(doc(answered, [makeRun({ topology: 'async', perSecond: 190 }), makeRun({ topology: 'prefork', perSecond: 190.5 })]))
    expect(v?.lines[0]?.text).toBe('io-bound @32: async 190 req/s, prefork 191 req/s: no measurable difference (their 95 % intervals overlap: async 189–191, prefork 189–192; measure longer or repeat to separate them)')
  })

  it('probe-p99: compares the probe, not the throughput, and says one sample has no interval', () => {
    const probe = (p99: number) => ({ path: '/health', requests: 50, errors: 0, latencyMs: { ...makeRun().latencyMs, p99 } })
    const lesson: Lesson = { metric: 'probe-p99', compare: { topologies: ['async', 'prefork'] }, sentence: 'The probe waits.' }
    const v = lessonVerdict(doc(lesson, [makeRun({ topology: 'async', perSecond: 100, probe: probe(41.2) }), makeRun({ topology: 'prefork', perSecond: 95, probe: probe(1.3) })]))
    expect(v?.metricLabel).toBe('probe p99 (ms, lower is better)')
    expect(v?.lines[0]?.text).toBe('io-bound @32: async 41.2 ms, prefork 1.3 ms: async is 31.7× prefork (a side has a single sample: no 95 % interval, so no claim yet; repeat with --set load.repeat=3)')
  })

  it('probe-p99 with repeats: Student’s t over the repeats gives the interval', () => {
    const probe = (p99: number) => ({ path: '/health', requests: 50, errors: 0, latencyMs: { ...makeRun().latencyMs, p99 } })
    const lesson: Lesson = { metric: 'probe-p99', compare: { topologies: ['async', 'prefork'] }, sentence: 'The probe waits.' }
    const runs = [40, 42, 41].flatMap((p, i) => [makeRun({ topology: 'async', repeat: i, probe: probe(p) }), makeRun({ topology: 'prefork', repeat: i, probe: probe(1 + i * 0.1) })])
    expect(lessonVerdict(doc(lesson, runs))?.lines[0]?.comparison).toMatchObject({ kind: 'ratio', higher: 'a' })
  })

  it('kind-rate: counts one kind of the mix per second of the window (pages/s, not files/s)', () => {
    const kinds = (pages: number, files: number) => ({ dynamic: { path: '/work', responses: pages, latencyMs: { mean: 1, p50: 1, p90: 1, p99: 1, max: 1 } }, static: { path: '/static/x', responses: files, latencyMs: { mean: 1, p50: 1, p90: 1, p99: 1, max: 1 } } })
    const lesson: Lesson = { metric: 'kind-rate', kind: 'dynamic', compare: { topologies: ['proxied', 'app'] }, sentence: 'Pages stay capped.' }
    const v = lessonVerdict(doc(lesson, [makeRun({ topology: 'proxied', perKind: kinds(240, 9000) }), makeRun({ topology: 'app', perKind: kinds(237, 400) })]))
    expect(v?.metricLabel).toBe('"dynamic" rate (responses/s, higher is better)')
    expect(v?.lines[0]?.values.map((x) => x?.mean)).toEqual([80, 79])
  })

  it('kind-p99: reads the named kind’s p99', () => {
    const kinds = (p99: number) => ({ fast: { path: '/work', responses: 90, latencyMs: { mean: 1, p50: 1, p90: 1, p99, max: p99 } } })
    const lesson: Lesson = { metric: 'kind-p99', kind: 'fast', compare: { topologies: ['least-conn', 'round-robin'] }, sentence: 'Fast stays fast.' }
    const v = lessonVerdict(doc(lesson, [makeRun({ topology: 'least-conn', perKind: kinds(30) }), makeRun({ topology: 'round-robin', perKind: kinds(480) })]))
    expect(v?.lines[0]?.text).toMatch(/^io-bound @32: least-conn 30.0 ms, round-robin 480 ms: round-robin is 16.0× least-conn/)
  })

  it('errors: errors per second over the window’s whole seconds, with their interval; none at all on the other side', () => {
    const seconds = (e: number[]) => e.map((errors, i) => ({ t: i + 1, perSecond: 60, p50Ms: 50, p99Ms: 60, errors }))
    const lesson: Lesson = { metric: 'errors', compare: { topologies: ['kill-restart', 'hup-graceful'] }, sentence: 'HUP keeps the socket.' }
    const kill = makeRun({ topology: 'kill-restart', errors: { total: 90, timeouts: 0, resets: 90, non2xx: 0, byStatus: {} }, timeline: seconds([30, 35, 25]) })
    const hup = makeRun({ topology: 'hup-graceful', timeline: seconds([0, 0, 0]) })
    expect(lessonVerdict(doc(lesson, [kill, hup]))?.lines[0]?.text).toBe('io-bound @32: kill-restart 30.0 errors/s, hup-graceful 0 errors/s: hup-graceful none at all')
  })

  it('upstream-rate, pss, cpu-per-response, deliveries, dropped and worst-second read their fields', () => {
    const run = makeRun({
      perUpstream: { a: 3, b: 1 },
      processes: [{ role: 'worker', pid: 1, cpuPercent: { mean: 1, max: 1 }, rssBytes: { mean: 1, max: 1 }, pssBytes: { mean: 2 * 1024 * 1024, max: 0 }, requests: 0 }],
      cpuPerResponseUs: 420,
      timeline: [{ t: 1, perSecond: 50, p50Ms: 1, p99Ms: 1, errors: 0, warmup: true }, { t: 2, perSecond: 70, p50Ms: 1, p99Ms: 1, errors: 0 }, { t: 3, perSecond: 60, p50Ms: 1, p99Ms: 1, errors: 0 }],
    })
    const value = (metric: Lesson['metric']) => lessonValue([run], { metric, compare: { topologies: ['a', 'b'] }, sentence: 'S.' })
    expect(value('upstream-rate')).toMatchObject({ mean: 4 / 3 })
    expect(value('pss')).toMatchObject({ mean: 2 })
    expect(value('cpu-per-response')).toMatchObject({ mean: 420 })
    expect(value('deliveries')).toEqual({ why: 'no WebSocket clients ran' })
    expect(value('dropped')).toMatchObject({ mean: 0 })
    expect(value('worst-second')).toMatchObject({ mean: 60 })
  })

  it('dropped: an open loop’s drops per whole second against a closed loop, which drops none by construction', () => {
    const lesson: Lesson = { metric: 'dropped', compare: { topologies: ['closed', 'open'] }, sentence: 'Open loops drop.' }
    const open = makeRun({ topology: 'open', timeline: [14, 18, 16].map((dropped, i) => ({ t: i + 1, perSecond: 76, p50Ms: 300, p99Ms: 400, errors: 0, dropped })) })
    open.openLoop = { ratePerSecond: 96, dropped: 48 } as NonNullable<RunResult['openLoop']>
    const v = lessonVerdict(doc(lesson, [makeRun({ topology: 'closed', connections: 64 }), open]))
    expect(v?.lines[0]?.text).toBe('io-bound: closed @64 0 arrivals/s, open @96 req/s 16.0 arrivals/s: closed @64 none at all')
  })

  it('never falls back to another metric silently: a side not measured is named', () => {
    const v = lessonVerdict(doc(answered, [makeRun({ topology: 'async' })]))
    expect(v?.unmeasured).toBe(true)
    expect(v?.lines[0]?.text).toBe("io-bound: the lesson's metric (answered req/s) could not be read: prefork: prefork was not measured in this run")
  })

  it('compares workloads on one topology, each at its own highest level', () => {
    const lesson: Lesson = { metric: 'answered', compare: { workloads: ['no-hangs', 'hang-5pct'] }, sentence: 'Hangs cost.' }
    const runs = [makeRun({ workload: 'no-hangs', perSecond: 80 }), makeRun({ workload: 'hang-5pct', perSecond: 30 })]
    expect(only(lessonVerdict(doc(lesson, runs)))).toEqual(['prefork @32: no-hangs 80.0 req/s, hang-5pct 30.0 req/s: no-hangs is 2.7× hang-5pct (95 % CI 2.6–2.8×)'])
  })

  it('reads a sweep step by step, and puts the verdict on the first line, the lesson under it', () => {
    const lesson: Lesson = { metric: 'answered', compare: { topologies: ['w4', 'w8', 'w16'] }, sentence: 'The knee.' }
    const v = lessonVerdict(doc(lesson, [makeRun({ topology: 'w4', perSecond: 80 }), makeRun({ topology: 'w8', perSecond: 160 }), makeRun({ topology: 'w16', perSecond: 200 })]))
    const [first, second] = lessonHeadline(v!)
    expect(first).toMatch(/^Verdict on answered req\/s \(req\/s, higher is better\): io-bound @32: w4 80.0 req\/s, w8 160 req\/s: w8 is 2.0× w4 .*; io-bound @32: w8 160 req\/s, w16 200 req\/s: w16 is 1.3× w8/)
    expect(second).toBe('  Lesson: The knee.')
  })
})

describe('the CLI summary', () => {
  it('opens with the verdict on the lesson, then its sentence, and labels the other comparisons', async () => {
    const { formatSummary } = await import('../../lab/core/format.js')
    const lesson: Lesson = { metric: 'answered', compare: { topologies: ['async', 'prefork'] }, sentence: 'One loop overlaps the waits.' }
    const runs = [makeRun({ topology: 'prefork', perSecond: 80 }), makeRun({ topology: 'async', perSecond: 1944 })]
    const doc = { schemaVersion: 1, complete: true, scenario: { name: 'x', title: 'X', definition: { lesson } }, stack: 'node', startedAt: '', finishedAt: null, env: {}, runs, warnings: [] } as unknown as ResultsDocument
    const lines = formatSummary(doc).split('\n')
    expect(lines.slice(0, 4)).toEqual([
      'Verdict on answered req/s (req/s, higher is better): io-bound @32: async 1944 req/s, prefork 80.0 req/s: async is 24.3× prefork (95 % CI 23.9–24.7×)',
      '  Lesson: One loop overlaps the waits.',
      '',
      'X',
    ])
    expect(lines).toContain('  Other comparisons, on answered req/s (the verdict on the lesson is the first line):')
  })
})
