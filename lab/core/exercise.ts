/**
 * Course exercises (docs/exercises.md): the format every
 * `exercises/<name>/exercise.ts` follows, per-student parameters, the figures
 * a check reads from a results document, and grading.
 *
 * Pure: no I/O. The commands (lab/commands/exercise.ts) load the files, run
 * the scenario through the run engine and write the verdict.
 */
import type { z } from 'zod'
import type { ResultsDocument, RunResult } from './results.js'
import type { ScenarioInput } from './scenario.js'

/** An integer parameter drawn per student from `min..max` in steps of `step` (default 1). */
export interface ParamRange {
  min: number
  max: number
  step?: number
  /** The value without `--student` (default `min`). */
  default?: number
}

/** Parameter name → value, e.g. `{ io_ms: 60, target_rps: 150 }`. */
export type Params = Record<string, number>

/** A comparison a check makes: measured `op` threshold. */
export type CheckOp = '>=' | '<=' | '<' | '>' | '=='

/** A figure a check reads from the results: `answered_rps` (2xx req/s), `p99_ms`, `errors`, ... (see {@link FIGURES}). */
export type FigureName = keyof typeof FIGURES

/** One check of an exercise: a threshold on a measured or derived figure, with the course's explanation of a failure. */
export interface CheckDef {
  /** Short name, e.g. `answered_rps >= 150`. Default: figure, op and threshold. */
  name?: string
  figure: FigureName | 'prediction_error'
  op: CheckOp
  threshold: number
  /** For `prediction_error`: the answer's field holding the student's prediction, and the figure it predicts. */
  predicts?: { field: string; figure: FigureName }
  /** `kind` for per-kind figures (a workload `mix` label). */
  kind?: string
  /**
   * A relative check: the figure is divided by this figure of the same level
   * (e.g. fast requests' mean over slow requests' mean), so a slower machine
   * moves both and the ratio stays; the name shows `a / b`.
   */
  over?: { figure: FigureName; kind?: string }
  /** What a failure means, in the course's terms; `{measured}` is replaced by the figure. */
  explain: string
}

/**
 * How the lab checks an answer file of real configuration before it runs it
 * (docs/exercises.md): `gunicorn-conf` with `gunicorn --print-config`,
 * `nginx-location` with the snippet rules ({@link nginxSnippetProblems}) then
 * `nginx -t` in a temporary prefix, `python-app` by compiling it with the
 * engines' interpreter.
 */
export type AnswerFileKind = 'gunicorn-conf' | 'nginx-location' | 'python-app'

/** A file of the answer beside answer.json (e.g. `gunicorn.conf.py`): its kind and texts. */
export interface AnswerFileDef {
  kind: AnswerFileKind
  /** What `start` writes (the student edits it). */
  template: (p: Params) => string
  /** A text that passes, and a plausible one that fails (integration tests). */
  reference: (p: Params) => string
  wrong: (p: Params) => string
}

/** The answer file a student is given and hands back. */
export interface AnswerTemplate {
  /** The file name, e.g. `answer.json`. */
  file: string
  /** The answer's starting values (written as JSON with the student and parameters). */
  answer: Record<string, unknown>
}

/** An exercise, as written in exercise.ts. `A` is the answer's type after validation. */
export interface ExerciseDef<A = Record<string, unknown>> {
  name: string
  title: string
  /** One line for `lab exercise list`. */
  summary: string
  /** The lesson it practises: a scenario name in scenarios/. */
  lesson: string
  /** Stack the run uses: `node` (built-in servers) or `python` (Gunicorn, Uvicorn, nginx). */
  stack: 'node' | 'python'
  params: Record<string, ParamRange>
  /** The answer's schema (zod; strict objects so a misspelt field is named). */
  answer: z.ZodType<A>
  template: (p: Params) => AnswerTemplate
  /**
   * Answer files of real configuration, by file name (no folder part): read
   * from the answer's folder, checked by their tool, copied into the run's
   * temporary scenario folder, where the scenario names them
   * (`config_file`, `app_file`, `location_file`).
   */
  files?: Record<string, AnswerFileDef>
  /** The scenario that runs the student's answer (one topology, one workload, one level). */
  scenario: (p: Params, a: A) => ScenarioInput
  checks: (p: Params, a: A) => CheckDef[]
  /** A reference answer that passes, and a plausible wrong one that fails (integration tests). */
  reference: (p: Params) => A
  wrong: (p: Params) => A
}

/** Marks an exercise file's default export; returns it unchanged. */
export function defineExercise<A>(def: ExerciseDef<A>): ExerciseDef<A> {
  return def
}

/**
 * 32-bit FNV-1a of a string (Fowler–Noll–Vo, http://www.isthe.com/chongo/tech/comp/fnv/):
 * deterministic, fast and pure; not a security hash.
 */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h >>> 0
}

/**
 * The parameters of an exercise for one student: each drawn from its range by
 * a hash of `student`, the exercise's name and the parameter's name, so the
 * same id always gets the same values and neighbours (almost always) different ones.
 * @param student - the student's id; absent: every parameter's default
 */
export function deriveParams(exercise: string, ranges: Record<string, ParamRange>, student?: string): Params {
  const out: Params = {}
  for (const [name, r] of Object.entries(ranges)) {
    const step = r.step ?? 1
    const steps = Math.floor((r.max - r.min) / step) + 1
    out[name] = student === undefined ? (r.default ?? r.min) : r.min + (fnv1a(`${student}\u0000${exercise}\u0000${name}`) % steps) * step
  }
  return out
}

/** Answered (2xx) responses per second over the measured window; an error response is not served. */
export function answeredRps(run: RunResult): number {
  const ok = run.requests.ok ?? run.requests.total - run.errors.non2xx
  const seconds = run.window?.measuredS ?? run.durationS
  return seconds > 0 ? ok / seconds : 0
}

/** The figures a check can read from one measured level; `null` when the level does not have it. */
export const FIGURES = {
  /** 2xx responses per second, req/s. */
  answered_rps: (r: RunResult, _k?: string): number | null => answeredRps(r),
  /** 99th percentile latency, ms. */
  p99_ms: (r: RunResult, kind?: string): number | null => (kind ? (r.perKind?.[kind]?.latencyMs.p99 ?? null) : r.latencyMs.p99),
  /** Median latency, ms. */
  p50_ms: (r: RunResult, kind?: string): number | null => (kind ? (r.perKind?.[kind]?.latencyMs.p50 ?? null) : r.latencyMs.p50),
  /** Mean latency, ms. */
  mean_ms: (r: RunResult, kind?: string): number | null => (kind ? (r.perKind?.[kind]?.latencyMs.mean ?? null) : r.latencyMs.mean),
  /** Errors of every sort (timeouts, resets, non-2xx). */
  errors: (r: RunResult, _k?: string): number | null => r.errors.total,
  /** Errors as a percent of the requests completed or failed. */
  errors_pct: (r: RunResult, _k?: string): number | null => (r.requests.total + r.errors.timeouts + r.errors.resets > 0 ? (100 * r.errors.total) / (r.requests.total + r.errors.timeouts + r.errors.resets) : null),
  /** The probe's (e.g. /health) 99th percentile latency, ms. */
  probe_p99_ms: (r: RunResult, _k?: string): number | null => (r.probe && r.probe.requests > 0 ? r.probe.latencyMs.p99 : null),
  /**
   * The probe's median latency, ms. Graded over the load's `p50_ms` it says whether the probe queues behind the same work;
   * medians, not p99s, because a probe's few dozen samples make its p99 its slowest one, which a stall of the machine sets.
   */
  probe_p50_ms: (r: RunResult, _k?: string): number | null => (r.probe && r.probe.requests > 0 ? r.probe.latencyMs.p50 : null),
} as const

/** One graded check (the `--json` verdict's `checks[]`, docs/exercises.md). */
export interface CheckVerdict {
  name: string
  figure: string
  op: CheckOp
  threshold: number
  /** The figure measured (or derived); null when the run did not produce it (the check fails). */
  measured: number | null
  passed: boolean
  /** Empty when passed; else the check's explanation with the figure filled in. */
  explanation: string
}

const compare = (m: number, op: CheckOp, t: number): boolean =>
  op === '>=' ? m >= t : op === '<=' ? m <= t : op === '<' ? m < t : op === '>' ? m > t : m === t

const round = (x: number): number => Math.round(x * 1000) / 1000

/**
 * Grades the checks against the first complete measured level of `doc` (an
 * exercise's scenario has one), reading the predictions from `answer`.
 * `prediction_error` is |predicted − measured| / measured (a fraction).
 */
export function grade(checks: readonly CheckDef[], doc: Pick<ResultsDocument, 'runs'>, answer: Record<string, unknown>): CheckVerdict[] {
  const run = doc.runs[0]
  return checks.map((c) => {
    let measured: number | null = null
    if (run) {
      if (c.figure === 'prediction_error') {
        const predicted = c.predicts ? answer[c.predicts.field] : undefined
        const actual = c.predicts ? FIGURES[c.predicts.figure](run, c.kind) : null
        measured = typeof predicted === 'number' && actual !== null && actual > 0 ? Math.abs(predicted - actual) / actual : null
      } else measured = FIGURES[c.figure](run, c.kind)
      if (c.over && measured !== null) {
        const base = FIGURES[c.over.figure](run, c.over.kind)
        measured = base !== null && base > 0 ? measured / base : null
      }
    }
    const passed = measured !== null && Number.isFinite(measured) && compare(measured, c.op, c.threshold)
    const shown = measured === null ? 'not measured' : String(round(measured))
    return {
      name: c.name ?? `${c.kind ? `${c.kind} ` : ''}${c.figure}${c.over ? ` / ${c.over.kind ? `${c.over.kind} ` : ''}${c.over.figure}` : ''} ${c.op} ${c.threshold}`,
      figure: c.figure,
      op: c.op,
      threshold: c.threshold,
      measured: measured === null ? null : round(measured),
      passed,
      explanation: passed ? '' : c.explain.replaceAll('{measured}', shown),
    }
  })
}

/** The check result written beside the results (`x.check.json`) and printed by `--json` (docs/exercises.md). */
export interface CheckResult {
  exercise: string
  student: string | null
  parameters: Params
  /** False when the answer file's parameters are not the ones its student id derives. */
  parametersMatch: boolean
  answer: Record<string, unknown>
  /** sha256 of the answer file's bytes, hex. */
  answerHash: string
  /** sha256 of the measured runs (JSON), hex. */
  resultsDigest: string | null
  machine: { cpuModel: string; cores: number; kernel: string; hostnameHash: string }
  passed: boolean
  checks: CheckVerdict[]
  results: string | null
  report: string | null
}

/** Directives an nginx answer may not use: they read or write files (or load code) outside the run's temporary prefix. */
export const NGINX_FORBIDDEN = [
  'include', 'load_module', 'root', 'alias', 'access_log', 'error_log', 'open_log_file_cache', 'client_body_temp_path', 'proxy_temp_path',
  'proxy_cache_path', 'proxy_store', 'auth_basic_user_file', 'ssl_certificate', 'ssl_certificate_key', 'ssl_trusted_certificate',
  'ssl_client_certificate', 'ssl_crl', 'ssl_dhparam', 'ssl_password_file', 'proxy_ssl_certificate', 'proxy_ssl_certificate_key',
  'proxy_ssl_trusted_certificate', 'proxy_ssl_crl', 'proxy_ssl_password_file', 'perl', 'perl_modules', 'perl_require', 'js_import', 'js_path', 'env', 'user', 'pid',
] as const

/**
 * The problems of an nginx `location` snippet before nginx sees it: a
 * directive from {@link NGINX_FORBIDDEN}, or a `proxy_pass` to anything but the
 * lab's upstream group (`http://app`) or 127.0.0.1 (the loopback-only rule).
 * Comments are skipped; nginx itself (`nginx -t`) judges the rest.
 * @returns one line per problem, naming the line (1-based); empty when none
 */
export function nginxSnippetProblems(text: string): string[] {
  const problems: string[] = []
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '')
    for (const stmt of line.split(/[;{}]/)) {
      const words = stmt.trim().split(/\s+/).filter(Boolean)
      const name = words[0]
      if (!name) continue
      if ((NGINX_FORBIDDEN as readonly string[]).includes(name)) problems.push(`line ${i + 1}: "${name}" is not allowed in an answer (it names files outside the run's temporary prefix)`)
      if (name === 'proxy_pass' && !/^https?:\/\/(app|127\.0\.0\.1)([:/]|$)/.test(words[1] ?? '')) {
        problems.push(`line ${i + 1}: proxy_pass ${words[1] ?? ''}: only http://app (the lab's upstream group) or http://127.0.0.1 may be named`)
      }
    }
  })
  return problems
}
