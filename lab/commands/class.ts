/**
 * `lab class <dir>`: reads every `*.check.json` under DIR (students' check
 * results, docs/exercises.md), summarizes them (lab/core/class.ts) and writes
 * one self-contained HTML page: who passed which check, the spread of each
 * figure across machines, and the flags.
 *
 * Exit codes: 0 written; 2 no check results found or a file that does not parse.
 */
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { summarizeClass, type ClassSummary, type Spread } from '../core/class.js'
import { deriveParams, type CheckResult, type ExerciseDef } from '../core/exercise.js'
import { loadExercise } from '../store/exercises.js'

function findChecks(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n)
    return statSync(p).isDirectory() ? findChecks(p) : n.endsWith('.check.json') ? [p] : []
  })
}

/** Runs `lab class`. */
export async function classCommand(dir: string, o: { out?: string; json?: boolean } = {}): Promise<number> {
  const files = findChecks(path.resolve(dir)).sort()
  if (files.length === 0) {
    process.stderr.write(`lab class: no *.check.json under ${dir}; students hand in the file \`lab exercise check\` writes beside their results\n`)
    return 2
  }
  const results: (CheckResult & { file: string })[] = []
  for (const file of files) {
    try {
      results.push({ ...(JSON.parse(readFileSync(file, 'utf8')) as CheckResult), file: path.relative(dir, file) })
    } catch (e) {
      process.stderr.write(`lab class: ${file}: ${(e as Error).message}\n`)
      return 2
    }
  }
  const exercises = new Map<string, ExerciseDef | null>()
  for (const r of results) if (!exercises.has(r.exercise)) exercises.set(r.exercise, await loadExercise(r.exercise).catch(() => null))
  const summary = summarizeClass(results, (r) => {
    const ex = exercises.get(r.exercise)
    return ex ? deriveParams(ex.name, ex.params, r.student ?? undefined) : null
  })
  const out = path.resolve(o.out ?? path.join(dir, 'class-report.html'))
  writeFileSync(out, classHtml(summary))
  if (o.json) process.stdout.write(JSON.stringify(summary, null, 1) + '\n')
  else process.stdout.write(`${results.length} check results, ${summary.flags.length} flag(s)\nReport: ${out}\n`)
  return 0
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
const table = (head: string[], rows: string[][]): string =>
  `<table><thead><tr>${head.map((x) => `<th>${esc(x)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((x) => `<td>${esc(x)}</td>`).join('')}</tr>`).join('')}</tbody></table>`
const showSpread = (s: Spread | null): string => (s ? `${s.min} / ${s.median} / ${s.max} (n=${s.n})` : 'one machine: no spread')

/** The class report page (self-contained, no script). */
export function classHtml(s: ClassSummary): string {
  const names = [...new Set(s.rows.flatMap((r) => Object.keys(r.checks)))]
  return `<!doctype html><html lang="en"><meta charset="utf-8"><title>Class report · app-server-lab</title>
<style>body{font:15px system-ui,sans-serif;margin:2rem;max-width:80rem}table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}</style>
<h1>Class report</h1>
<h2>Flags</h2>${s.flags.length ? `<ul>${s.flags.map((f) => `<li>${esc(f)}</li>`).join('')}</ul>` : '<p>No result was flagged.</p>'}
<h2>Who passed which check</h2>${table(['Student', 'Exercise', 'All passed', ...names], s.rows.map((r) => [r.student, r.exercise, r.passed ? 'yes' : 'no', ...names.map((n) => (n in r.checks ? (r.checks[n] ? 'pass' : 'FAIL') : '–'))]))}
<h2>Measurements and prediction errors</h2><p>Each check's figure over all results (min / median / max), and the spread of the per-machine medians across machines.</p>
${table(['Exercise', 'Check', 'All results', 'Machines', 'Across machines'], s.figures.map((f) => [f.exercise, f.check, showSpread(f.all), String(f.machines), showSpread(f.acrossMachines)]))}
</html>
`
}
