/**
 * Every exercise: its reference answer passes and its plausible wrong answer
 * fails with an explanation, run for real through `lab exercise check` (the
 * short windows of each exercise's scenario keep this to a few minutes).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { afterAll, describe, expect, it } from 'vitest'
import { exerciseCheck } from '../../lab/commands/exercise.js'
import { checkResultSchema } from '../../lab/core/check-result.js'
import { deriveParams, type CheckResult } from '../../lab/core/exercise.js'
import { exerciseNames, loadExercise } from '../../lab/store/exercises.js'
import type { EngineName } from '../../lab/core/vocabulary.js'
import { engine, needs, type Needing } from '../support/tools.js'

/** The answer folders the tests made (results and reports inside), removed at the end. */
const made: string[] = []
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true })
})

async function check(name: string, which: 'reference' | 'wrong'): Promise<{ code: number; verdict: CheckResult }> {
  const ex = await loadExercise(name)
  const params = deriveParams(ex.name, ex.params)
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lab-ex-test-'))
  made.push(dir)
  const answer = path.join(dir, 'answer.json')
  writeFileSync(answer, JSON.stringify({ exercise: name, student: null, parameters: params, answer: ex[which](params) }))
  for (const [file, def] of Object.entries(ex.files ?? {})) writeFileSync(path.join(dir, file), def[which](params))
  const stdout = new PassThrough()
  let text = ''
  stdout.on('data', (d: Buffer) => (text += d.toString()))
  const code = await exerciseCheck(name, { answer, json: true, out: path.join(dir, 'results'), stdout, stderr: new PassThrough() })
  const verdict = JSON.parse(text) as CheckResult
  // the printed verdict is the documented one (docs/exercises.md)
  expect(checkResultSchema.safeParse(verdict).error?.issues ?? []).toEqual([])
  return { code, verdict }
}

/** What an exercise's tests need: the real engines its scenario pins (none for the built-in servers). */
async function needed(name: string): Promise<Needing> {
  const ex = await loadExercise(name)
  const params = deriveParams(ex.name, ex.params)
  const scenario = ex.scenario(params, ex.reference(params)) as { topologies: Record<string, { server?: { engine?: string }; proxy?: { engine?: string } }> }
  const names = new Set(Object.values(scenario.topologies).flatMap((t) => [t.server?.engine, t.proxy?.engine]).filter((e): e is EngineName => e !== undefined && !e.startsWith('node-')))
  return needs(...(await Promise.all([...names].map((n) => engine(n)))))
}

const exercises = await Promise.all(exerciseNames().map(async (x) => [x, await needed(x)] as const))
describe('exercises, run for real', () => {
  for (const [name, n] of exercises) {
    n.describe(name, () => {
      it(`${name}: the reference answer passes every check`, async () => {
        const { code, verdict } = await check(name, 'reference')
        expect(verdict.checks.filter((c) => !c.passed), `load ${os.loadavg()[0]!.toFixed(1)}`).toEqual([])
        expect(code).toBe(0)
        expect(verdict.report && readFileSync(verdict.report, 'utf8')).toContain('exerciseChecks')
      }, 120_000)
      it(`${name}: the wrong answer fails a check and says why`, async () => {
        const { code, verdict } = await check(name, 'wrong')
        const failed = verdict.checks.filter((c) => !c.passed)
        expect(failed.length).toBeGreaterThan(0)
        expect(verdict.resultsDigest, 'the wrong answer ran a level, not failed to start').not.toBeNull()
        expect(failed[0]!.explanation.length).toBeGreaterThan(20)
        expect(code).toBe(1)
      }, 120_000)
    })
  }
})

/** Checks an exercise's reference answer with one answer file replaced by `text`; returns the exit code and stderr. */
async function checkWithFile(name: string, file: string, text: string): Promise<{ code: number; stderr: string }> {
  const ex = await loadExercise(name)
  const params = deriveParams(ex.name, ex.params)
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lab-ex-test-'))
  made.push(dir)
  writeFileSync(path.join(dir, 'answer.json'), JSON.stringify({ exercise: name, student: null, parameters: params, answer: ex.reference(params) }))
  for (const [f, def] of Object.entries(ex.files ?? {})) writeFileSync(path.join(dir, f), f === file ? text : def.reference(params))
  const stderr = new PassThrough()
  let err = ''
  stderr.on('data', (d: Buffer) => (err += d.toString()))
  const code = await exerciseCheck(name, { answer: path.join(dir, 'answer.json'), json: true, out: path.join(dir, 'results'), stdout: new PassThrough(), stderr })
  return { code, stderr: err }
}

const tools = needs(await engine('gunicorn'), await engine('nginx'), await engine('uvicorn'))
tools.describe('answer files the tool refuses stop the check before anything runs (exit 2, the tool naming the problem)', () => {
  it('a gunicorn.conf.py Gunicorn cannot read', async () => {
    const { code, stderr } = await checkWithFile('size-gunicorn-pool', 'gunicorn.conf.py', 'workers = "two"\n')
    expect(code).toBe(2)
    expect(stderr).toContain('Invalid value for workers: two')
  }, 60_000)
  it('an nginx location block nginx -t refuses', async () => {
    const { code, stderr } = await checkWithFile('buffer-slow-clients', 'location.conf', 'location / {\n    proxy_pass http://app;\n    proxy_request_bufering on;\n}\n')
    expect(code).toBe(2)
    expect(stderr).toMatch(/unknown directive "proxy_request_bufering" in \.\/location\.conf:3/)
  }, 60_000)
  it('an nginx location block that names a file outside the run', async () => {
    const { code, stderr } = await checkWithFile('buffer-slow-clients', 'location.conf', 'location / {\n    include /etc/nginx/proxy_params;\n    proxy_pass http://app;\n}\n')
    expect(code).toBe(2)
    expect(stderr).toContain('line 2: "include" is not allowed')
  }, 60_000)
  it('an ASGI app Python cannot compile', async () => {
    const { code, stderr } = await checkWithFile('unblock-event-loop', 'app.py', 'async def app(scope, receive, send:\n    pass\n')
    expect(code).toBe(2)
    expect(stderr).toContain('SyntaxError')
  }, 60_000)
})
