/**
 * The teacher's view (`lab class`, docs/exercises.md): many students' check
 * results summarized — who passed which check, the predictions' errors, the
 * spread of each measured figure across machines — and flags on results that
 * cannot be the student's own. Pure: the command reads the files.
 */
import type { CheckResult } from './exercise.js'

/** Spread of one figure: count, min, median, max. */
export interface Spread {
  n: number
  min: number
  median: number
  max: number
}

/** The class summary `lab class` renders. */
export interface ClassSummary {
  /** One row per result: student, exercise, passed, and each check's pass/fail by name. */
  rows: { student: string; exercise: string; passed: boolean; checks: Record<string, boolean>; file: string }[]
  /** Per `exercise / check`: the measured figure's spread over all results, and over machines (one median per machine). */
  figures: { exercise: string; check: string; all: Spread; machines: number; acrossMachines: Spread | null }[]
  /** Results that cannot be the student's own, one sentence each. */
  flags: string[]
}

/** Count, min, median and max; null for no values (a spread is never drawn from nothing). */
export function spread(values: readonly number[]): Spread | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  return { n: sorted.length, min: sorted[0]!, median: sorted.length % 2 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2, max: sorted[sorted.length - 1]! }
}

/**
 * Summarizes a class's check results.
 * @param results - each with the file it was read from
 * @param expectedParams - the parameters each result's student id derives (the command recomputes them from the exercise)
 */
export function summarizeClass(results: readonly (CheckResult & { file: string })[], expectedParams: (r: CheckResult) => Record<string, number> | null): ClassSummary {
  const rows = results.map((r) => ({
    student: r.student ?? '(no id)',
    exercise: r.exercise,
    passed: r.passed,
    checks: Object.fromEntries(r.checks.map((c) => [c.name, c.passed])),
    file: r.file,
  }))
  const flags: string[] = []
  for (const r of results) {
    const expected = expectedParams(r)
    if (!r.parametersMatch || (expected && JSON.stringify(expected) !== JSON.stringify(r.parameters)))
      flags.push(`${r.student ?? '(no id)'} (${r.exercise}): parameters ${JSON.stringify(r.parameters)} do not match the id's ${JSON.stringify(expected)}`)
  }
  const byDigest = groupBy(results.filter((r) => r.resultsDigest), (r) => r.resultsDigest!)
  for (const [digest, group] of byDigest) {
    const students = unique(group.map((r) => r.student ?? '(no id)'))
    if (students.length > 1) flags.push(`identical results (digest ${digest.slice(0, 12)}) handed in by ${students.join(', ')}`)
  }
  const byMachine = groupBy(results, (r) => `${r.machine.hostnameHash}|${r.machine.cpuModel}`)
  for (const [, group] of byMachine) {
    const students = unique(group.map((r) => r.student ?? '(no id)'))
    if (students.length > 1) flags.push(`one machine (host ${group[0]!.machine.hostnameHash}, ${group[0]!.machine.cpuModel}) ran the results of ${students.join(', ')}`)
  }
  const figures: ClassSummary['figures'] = []
  const byCheck = groupBy(
    results.flatMap((r) => r.checks.filter((c) => c.measured !== null).map((c) => ({ key: `${r.exercise}\u0000${c.name}`, value: c.measured!, host: r.machine.hostnameHash }))),
    (x) => x.key,
  )
  for (const [key, xs] of byCheck) {
    const [exercise, check] = key.split('\u0000') as [string, string]
    const perMachine = [...groupBy(xs, (x) => x.host).values()].map((g) => spread(g.map((x) => x.value))!.median)
    figures.push({ exercise, check, all: spread(xs.map((x) => x.value))!, machines: perMachine.length, acrossMachines: perMachine.length > 1 ? spread(perMachine) : null })
  }
  return { rows, figures, flags }
}

function groupBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>()
  for (const x of xs) m.set(key(x), [...(m.get(key(x)) ?? []), x])
  return m
}
const unique = (xs: string[]): string[] => [...new Set(xs)]
