/**
 * `lab exercise list|start|check` (docs/exercises.md): hand out an exercise's
 * answer template, then validate, run and grade a student's answer.
 *
 * Exit codes of `check`: 0 every check passed; 1 a check failed (or the run
 * failed); 2 bad input (unknown exercise, an answer that does not parse or
 * validate, naming the field); 3 a required engine is missing.
 */
import { createHash } from 'node:crypto'
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Writable } from 'node:stream'
import { deriveParams, grade, type CheckResult, type CheckVerdict, type ExerciseDef, type Params } from '../core/exercise.js'
import type { ResultsDocument } from '../core/results.js'
import { formatIssues } from '../core/scenario.js'
import { runScenario } from '../run/engine.js'
import { exerciseNames, loadExercise } from '../store/exercises.js'
import { writeReport } from '../store/report.js'
import { checkAnswerFiles, readAnswerFiles, writeTemplateFiles } from './exercise-files.js'

interface Io {
  stdout?: Writable
  stderr?: Writable
}

/** `lab exercise list`: one line per exercise, its name first. */
export async function exerciseList(io: Io = {}): Promise<number> {
  const out = io.stdout ?? process.stdout
  for (const name of exerciseNames()) {
    const ex = await loadExercise(name)
    out.write(`${name.padEnd(26)} ${ex.summary}\n`)
  }
  return 0
}

/** The answer file's shape: who, with which parameters, and the answer itself. */
interface AnswerFile {
  exercise: string
  student: string | null
  parameters: Params
  answer: Record<string, unknown>
}

/** The exercise, or undefined once its problem (e.g. an unknown name) is written to `err`. */
async function loadOrSay(name: string, err: NodeJS.WritableStream): Promise<ExerciseDef | undefined> {
  try {
    return await loadExercise(name)
  } catch (e) {
    err.write(`lab exercise: ${(e as Error).message}\n`)
    return undefined
  }
}

/**
 * `lab exercise start <name> [DIR] [--student ID]`: writes the answer template
 * (with the student's parameters) into DIR (default `./<name>`).
 */
export async function exerciseStart(name: string, dir: string | undefined, student: string | undefined, io: Io = {}): Promise<number> {
  const err = io.stderr ?? process.stderr
  const ex = await loadOrSay(name, err)
  if (!ex) return 2
  const params = deriveParams(ex.name, ex.params, student)
  const t = ex.template(params)
  const folder = path.resolve(dir ?? name)
  mkdirSync(folder, { recursive: true })
  const file: AnswerFile = { exercise: ex.name, student: student ?? null, parameters: params, answer: t.answer }
  const target = path.join(folder, t.file)
  writeFileSync(target, JSON.stringify(file, null, 2) + '\n')
  const others = writeTemplateFiles(ex, params, folder)
  ;(io.stdout ?? process.stdout).write(`${ex.title}\nParameters: ${JSON.stringify(params)}\nAnswer template: ${[target, ...others].join(', ')}\nThe task: exercises/${ex.name}/exercise.md\n`)
  return 0
}

/** Options of `lab exercise check`. */
export interface CheckOptions extends Io {
  answer?: string
  student?: string
  json?: boolean
  out?: string
  bundle?: string
}

const sha256 = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex')

/** The machine a check ran on (the hostname only as a hash). */
export function machine(): CheckResult['machine'] {
  return { cpuModel: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, kernel: os.release(), hostnameHash: sha256(os.hostname()).slice(0, 16) }
}

/**
 * Reads and validates an answer file.
 * @returns the answer and who wrote it, or one line per problem (the field named)
 */
export function readAnswer(ex: ExerciseDef, file: string, student?: string): { ok: true; value: AnswerFile; bytes: Buffer } | { ok: false; problems: string[] } {
  let bytes: Buffer
  let raw: unknown
  try {
    bytes = readFileSync(file)
    raw = JSON.parse(bytes.toString('utf8'))
  } catch (e) {
    return { ok: false, problems: [`${file}: ${(e as Error).message}`] }
  }
  const obj = (raw ?? {}) as Partial<AnswerFile>
  const who = student ?? (typeof obj.student === 'string' ? obj.student : undefined)
  const input = obj.answer ?? raw
  const parsed = ex.answer.safeParse(input)
  if (!parsed.success) return { ok: false, problems: formatIssues(input, parsed.error.issues, ex.answer).map((l) => `answer.${l}`) }
  const params = deriveParams(ex.name, ex.params, who)
  return { ok: true, bytes, value: { exercise: ex.name, student: who ?? null, parameters: obj.parameters ?? params, answer: parsed.data as Record<string, unknown> } }
}

/** `lab exercise check <name> [--answer PATH] [--json]`. */
export async function exerciseCheck(name: string, o: CheckOptions = {}): Promise<number> {
  const out = o.stdout ?? process.stdout
  const err = o.stderr ?? process.stderr
  const ex = await loadOrSay(name, err)
  if (!ex) return 2
  let answerFile = path.resolve(o.answer ?? 'answer.json')
  // `--answer gunicorn.conf.py` (one of the answer files): its answer.json is beside it
  if (ex.files?.[path.basename(answerFile)]) answerFile = path.join(path.dirname(answerFile), 'answer.json')
  const read = readAnswer(ex, answerFile, o.student)
  const files = readAnswerFiles(ex, path.dirname(answerFile))
  if (!read.ok || !files.ok) {
    for (const p of [...(read.ok ? [] : read.problems), ...(files.ok ? [] : files.problems)]) err.write(`lab exercise check: ${p}\n`)
    return 2
  }
  const { value } = read
  const params = deriveParams(ex.name, ex.params, value.student ?? undefined)
  const parametersMatch = JSON.stringify(params) === JSON.stringify(value.parameters)
  const scenario = ex.scenario(params, value.answer)
  // the run engine loads scenarios from files: write the generated one to a temporary folder named after it
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'lab-exercise-'))
  const dir = path.join(tmp, String(scenario.name))
  mkdirSync(dir)
  // the answer files go beside it, checked by their own tools before anything runs
  const verdict = await checkAnswerFiles(ex, files.files, dir)
  if (verdict.code !== 0) {
    rmSync(tmp, { recursive: true, force: true })
    for (const p of verdict.problems) err.write(`lab exercise check: ${p}\n`)
    return verdict.code
  }
  // .mts: an ES module wherever the temporary folder is (no package.json above it says "type": "module")
  const file = path.join(dir, 'scenario.mts')
  writeFileSync(file, `export default ${JSON.stringify(scenario, null, 1)}\n`)
  const outcome = await runScenario({ target: file, stack: ex.stack, out: o.out ?? 'results', command: `npx lab exercise check ${ex.name}` }).finally(() => rmSync(tmp, { recursive: true, force: true }))
  for (const p of outcome.problems) err.write(`lab exercise check: ${p}\n`)
  if (outcome.status === 'bad-input' || outcome.status === 'engine-missing') return outcome.code
  const doc = outcome.doc
  const checks = grade(ex.checks(params, value.answer), doc ?? { runs: [] }, value.answer)
  const result: CheckResult = {
    exercise: ex.name,
    student: value.student,
    parameters: params,
    parametersMatch,
    answer: value.answer,
    answerHash: sha256(Buffer.concat([read.bytes, ...files.files.flatMap((f) => [Buffer.from(`\0${f.name}\0`), f.bytes])])),
    resultsDigest: doc && doc.runs.length ? sha256(JSON.stringify(doc.runs)) : null,
    machine: machine(),
    passed: checks.every((c) => c.passed),
    checks,
    results: outcome.saved && outcome.file ? outcome.file : null,
    report: null,
  }
  if (doc && doc.runs.length && outcome.file) {
    result.report = await reportWithChecks(doc, outcome.file, checks).catch((e: Error) => {
      err.write(`(no HTML report: ${e.message})\n`)
      return null
    })
    writeFileSync(outcome.file.replace(/\.json$/, '.check.json'), JSON.stringify(result, null, 1) + '\n')
  }
  if (o.bundle) writeBundle(o.bundle, result)
  if (o.json) out.write(JSON.stringify(result, null, 1) + '\n')
  else out.write(summary(result))
  return outcome.status === 'done' && result.passed ? 0 : 1
}

/** Writes the report with the checks panel at the top; returns its path. */
async function reportWithChecks(doc: ResultsDocument, file: string, checks: CheckVerdict[]): Promise<string> {
  return (await writeReport([doc], file.replace(/\.json$/, '.html'), { checks })).path
}

/** One hand-in file: the check result with the report's HTML inside. */
function writeBundle(file: string, result: CheckResult): void {
  const reportHtml = result.report ? readFileSync(result.report, 'utf8') : null
  writeFileSync(file, JSON.stringify({ ...result, reportHtml }) + '\n')
}

/** The human summary: one line per check, with the explanation of a failure. */
function summary(r: CheckResult): string {
  const lines = r.checks.map((c) => `${c.passed ? 'PASS' : 'FAIL'}  ${c.name}  (measured ${c.measured ?? 'nothing'})${c.passed ? '' : `\n      ${c.explanation}`}`)
  const tail = [`${r.passed ? 'All checks passed.' : 'Some checks failed.'}`]
  if (r.results) tail.push(`Results: ${r.results}`)
  if (r.report) tail.push(`Report: ${r.report}`)
  return `${r.exercise}${r.student ? ` (student ${r.student})` : ''}\n${lines.join('\n')}\n${tail.join('\n')}\n`
}
