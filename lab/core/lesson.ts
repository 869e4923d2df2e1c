/**
 * A scenario's lesson (`lesson` in scenario.ts, docs/scenario-format.md): the
 * metric that proves it, what is compared, and the lesson in one sentence.
 * The headline verdict, the CLI summary's first line and the report's
 * predict boxes read the lesson's metric (lab/core/lesson-verdict.ts), so a
 * scenario about a probe's latency is not judged on throughput.
 *
 * Pure: no I/O.
 */
import { z } from 'zod'

/**
 * The metrics a lesson may name, each with how it is read from a level's
 * results (docs/results-schema.md) and which way is better:
 *
 * - `answered`: answered (2xx) req/s (`requests.answeredPerSecond`); higher is better.
 * - `kind-rate`: responses/s of one request kind of a `mix` (`perKind[kind].responses` ÷ window), e.g. pages/s; higher is better.
 * - `kind-p99`: p99 latency of one request kind, ms (`perKind[kind].latencyMs.p99`), e.g. the fast requests'; lower is better.
 * - `probe-p99`: p99 latency of the probe beside the load (`load.probe`, e.g. `/health`), ms; lower is better.
 * - `p99`: p99 latency of the main load, ms; lower is better.
 * - `errors`: errors (timeouts, resets, non-2xx) per second of the window; lower is better.
 * - `upstream-rate`: requests that reached the upstreams per second (`perUpstream`, the responses carrying `X-Upstream`; a cache hit has none); lower is better.
 * - `pss`: proportional set size of the server's processes summed, MiB (`processes[].pssBytes`); lower is better.
 * - `cpu-per-response`: server CPU per answered response, µs (`cpuPerResponseUs`); lower is better.
 * - `deliveries`: WebSocket deliveries per second (`websockets.deliveredPerSecond`); higher is better.
 * - `dropped`: open-loop arrivals dropped at the client per second (`openLoop.dropped` ÷ window; a closed loop drops none by construction); lower is better.
 * - `worst-second`: responses in the slowest whole second of the window (`timeline`), req/s; higher is better.
 */
export const LESSON_METRICS = {
  answered: { name: 'answered req/s', unit: 'req/s', better: 'higher' },
  'kind-rate': { name: 'rate', unit: 'responses/s', better: 'higher' },
  'kind-p99': { name: 'p99', unit: 'ms', better: 'lower' },
  'probe-p99': { name: 'probe p99', unit: 'ms', better: 'lower' },
  p99: { name: 'p99', unit: 'ms', better: 'lower' },
  errors: { name: 'errors/s', unit: 'errors/s', better: 'lower' },
  'upstream-rate': { name: 'upstream req/s', unit: 'req/s', better: 'lower' },
  pss: { name: 'server memory (PSS)', unit: 'MiB', better: 'lower' },
  'cpu-per-response': { name: 'server CPU per response', unit: 'µs', better: 'lower' },
  deliveries: { name: 'WebSocket deliveries/s', unit: 'deliveries/s', better: 'higher' },
  dropped: { name: 'dropped arrivals', unit: 'arrivals/s', better: 'lower' },
  'worst-second': { name: 'slowest second', unit: 'req/s', better: 'higher' },
} as const satisfies Record<string, { name: string; unit: string; better: 'higher' | 'lower' }>

/** One of {@link LESSON_METRICS}. */
export type LessonMetric = keyof typeof LESSON_METRICS

const METRIC_IDS = Object.keys(LESSON_METRICS) as [LessonMetric, ...LessonMetric[]]
const id = z.string({ error: 'an id' }).min(1, { error: 'an id' })

/**
 * `lesson` of a scenario. `compare` lists two or more topologies read on one
 * workload (`workloads` then names at most one; default the first measured),
 * or two or more workloads read on one topology (`topologies` then names at
 * most one; default the first measured). Neighbours in the list are compared
 * (a sweep reads step by step). Each side is read at its highest measured
 * level (connections, or offered rate for an open loop).
 */
export const lessonSchema = z.strictObject({
  metric: z.enum(METRIC_IDS, { error: `one of ${METRIC_IDS.join(', ')}` }),
  /** The request kind (a `mix` entry's `label`) of `kind-rate` and `kind-p99`. */
  kind: z.string({ error: 'a mix label, e.g. "fast"' }).min(1, { error: 'a mix label, e.g. "fast"' }).optional(),
  compare: z.strictObject({
    topologies: z.array(id, { error: 'a list of topology ids' }).min(1, { error: 'a non-empty list of topology ids' }).optional(),
    workloads: z.array(id, { error: 'a list of workload ids' }).min(1, { error: 'a non-empty list of workload ids' }).optional(),
  }),
  /** The lesson in one sentence, as a student should say it after the run. */
  sentence: z.string({ error: 'one sentence' }).min(1, { error: 'one sentence' }).max(300, { error: 'one sentence of at most 300 characters' }),
})

/** A scenario's lesson, as written. */
export type Lesson = z.output<typeof lessonSchema>

/** What a lesson compares: `ids` side by side, on the one fixed id of the other kind (when named). */
export interface LessonSides {
  /** `topologies`: the ids are topologies read on `workload`; `workloads`: workloads read on `topology`. */
  across: 'topologies' | 'workloads'
  ids: string[]
  workload?: string
  topology?: string
}

/** Which list of `compare` holds the sides: the one with two or more ids. */
export function lessonSides(lesson: Lesson): LessonSides {
  const { topologies = [], workloads = [] } = lesson.compare
  if (workloads.length >= 2) return { across: 'workloads', ids: workloads, ...(topologies[0] ? { topology: topologies[0] } : {}) }
  return { across: 'topologies', ids: topologies, ...(workloads[0] ? { workload: workloads[0] } : {}) }
}

/** The parts of a validated scenario a lesson is checked against. */
export interface LessonScope {
  topologies: Record<string, { proxy?: unknown }>
  workloads: Record<string, { mix?: { label?: string }[]; websockets?: unknown }>
  load: { probe?: unknown }
  /** Whether a topology's load is an open loop (with or without `--quick`). */
  isOpen: (topology: string) => boolean
}

/**
 * Checks that a lesson compares ids the scenario has and names a metric its
 * topologies can produce (a probe for `probe-p99`, a labelled mix kind for
 * `kind-*`, a proxy for `upstream-rate`, WebSocket clients for `deliveries`,
 * an open loop for `dropped`).
 * @returns one line per problem, `lesson.<path>: …`; empty when it is sound
 */
export function lessonProblems(lesson: Lesson, s: LessonScope): string[] {
  const out: string[] = []
  const { topologies = [], workloads = [] } = lesson.compare
  if (topologies.length < 2 && workloads.length < 2) out.push('lesson.compare: expected two or more topologies, or two or more workloads, to compare')
  if (topologies.length >= 2 && workloads.length >= 2) out.push('lesson.compare: expected two or more of one kind (topologies or workloads) and at most one of the other')
  const known = { topologies: Object.keys(s.topologies), workloads: Object.keys(s.workloads) }
  for (const [field, ids] of [['topologies', topologies], ['workloads', workloads]] as const) {
    ids.forEach((x, i) => {
      if (!known[field].includes(x)) out.push(`lesson.compare.${field}.${i}: ${JSON.stringify(x)} is not allowed; expected one of ${known[field].join(', ')}`)
    })
  }
  if (out.length) return out
  const sides = lessonSides(lesson)
  const tops = sides.across === 'topologies' ? sides.ids : sides.topology ? [sides.topology] : known.topologies
  const works = sides.across === 'workloads' ? sides.ids : sides.workload ? [sides.workload] : known.workloads
  const kindMetric = lesson.metric === 'kind-rate' || lesson.metric === 'kind-p99'
  if (kindMetric !== (lesson.kind !== undefined)) out.push(`lesson.kind: ${kindMetric ? 'missing; expected the mix label the metric reads' : 'only kind-rate and kind-p99 read a kind'}`)
  if (kindMetric && lesson.kind !== undefined) {
    for (const w of works) if (!s.workloads[w]?.mix?.some((e) => e.label === lesson.kind)) out.push(`lesson.kind: workload ${w} has no mix entry labelled ${JSON.stringify(lesson.kind)}`)
  }
  if (lesson.metric === 'probe-p99' && s.load.probe === undefined) out.push('lesson.metric: probe-p99 needs load.probe')
  if (lesson.metric === 'upstream-rate') for (const t of tops) if (!s.topologies[t]?.proxy) out.push(`lesson.metric: upstream-rate needs a proxy; topology ${t} has none`)
  if (lesson.metric === 'deliveries') for (const w of works) if (!s.workloads[w]?.websockets) out.push(`lesson.metric: deliveries needs websockets; workload ${w} has none`)
  if (lesson.metric === 'dropped' && !tops.some((t) => s.isOpen(t))) out.push('lesson.metric: dropped needs an open loop (load.mode: open) in a compared topology')
  return out
}

/** The lesson a results document's scenario definition declares, or null (documents from before lessons, or none declared). */
export function lessonOf(definition: unknown): Lesson | null {
  const parsed = lessonSchema.safeParse((definition as { lesson?: unknown } | null | undefined)?.lesson)
  return parsed.success ? parsed.data : null
}
