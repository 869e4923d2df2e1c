/**
 * Every exercise: its reference answer passes and its plausible wrong answer
 * fails with an explanation, run for real through `lab exercise check` (the
 * short windows of each exercise's scenario keep this to a few minutes).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { exerciseCheck } from '../../lab/commands/exercise.js'
import { deriveParams, type CheckResult } from '../../lab/core/exercise.js'
import { exerciseNames, loadExercise } from '../../lab/store/exercises.js'

async function check(name: string, which: 'reference' | 'wrong'): Promise<{ code: number; verdict: CheckResult }> {
  const ex = await loadExercise(name)
  const params = deriveParams(ex.name, ex.params)
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lab-ex-test-'))
  const answer = path.join(dir, 'answer.json')
  writeFileSync(answer, JSON.stringify({ exercise: name, student: null, parameters: params, answer: ex[which](params) }))
  for (const [file, def] of Object.entries(ex.files ?? {})) writeFileSync(path.join(dir, file), def[which](params))
  const stdout = new PassThrough()
  let text = ''
  stdout.on('data', (d: Buffer) => (text += d.toString()))
  const code = await exerciseCheck(name, { answer, json: true, out: path.join(dir, 'results'), stdout, stderr: new PassThrough() })
  return { code, verdict: JSON.parse(text) as CheckResult }
}

describe('exercises, run for real', () => {
  for (const name of exerciseNames()) {
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
      expect(failed[0]!.explanation.length).toBeGreaterThan(20)
      expect(code).toBe(1)
    }, 120_000)
  }
})
