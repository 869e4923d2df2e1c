import { describe, expect, it } from 'vitest'
import { answeredRps, deriveParams, fnv1a, grade, nginxSnippetProblems, type CheckDef } from '../../lab/core/exercise.js'
import type { RunResult } from '../../lab/core/results.js'
import { exerciseNames, loadExercise } from '../../lab/store/exercises.js'

/** A measured level with only the fields the figures read. */
function run(over: Partial<RunResult> = {}): RunResult {
  return {
    requests: { total: 300, ok: 290, perSecond: { mean: 100 } },
    durationS: 3,
    window: { warmupS: 1, measuredS: 2.9, definition: '' },
    latencyMs: { mean: 40, p50: 35, p90: 60, p99: 120 },
    errors: { total: 10, timeouts: 0, resets: 0, non2xx: 10, byStatus: { '503': 10 } },
    ...over,
  } as unknown as RunResult
}

describe('per-student parameters', () => {
  const ranges = { io_ms: { min: 40, max: 100, step: 10, default: 60 }, target_rps: { min: 100, max: 200, step: 20 } }
  it('are the defaults without a student id', () => {
    expect(deriveParams('x', ranges)).toEqual({ io_ms: 60, target_rps: 100 })
  })
  it('are the same for the same id and exercise, every time', () => {
    expect(deriveParams('x', ranges, 'alice')).toEqual(deriveParams('x', ranges, 'alice'))
  })
  it('differ between neighbours and between exercises', () => {
    const ids = ['alice', 'bob', 'carol', 'dave', 'erin']
    const seen = new Set(ids.map((id) => JSON.stringify(deriveParams('x', ranges, id))))
    expect(seen.size).toBeGreaterThan(2)
    expect(deriveParams('x', ranges, 'alice')).not.toEqual(deriveParams('y', ranges, 'alice'))
  })
  it('stay on the range and its steps', () => {
    for (const id of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) {
      const p = deriveParams('x', ranges, id)
      expect((p.io_ms! - 40) % 10).toBe(0)
      expect(p.io_ms).toBeGreaterThanOrEqual(40)
      expect(p.io_ms).toBeLessThanOrEqual(100)
    }
  })
  it('hash with FNV-1a (its published test vector for "a")', () => {
    expect(fnv1a('a')).toBe(0xe40c292c)
  })
})

describe('grading', () => {
  it('counts only 2xx responses as answered, over the measured window', () => {
    expect(answeredRps(run())).toBeCloseTo(290 / 2.9, 6)
  })
  it('passes a check whose figure meets the threshold and explains one that does not', () => {
    const checks: CheckDef[] = [
      { figure: 'answered_rps', op: '>=', threshold: 90, explain: 'too slow: {measured}' },
      { figure: 'p99_ms', op: '<', threshold: 100, explain: 'p99 {measured} ms is too long' },
      { figure: 'errors', op: '==', threshold: 0, explain: '{measured} errors' },
    ]
    const v = grade(checks, { runs: [run()] }, {})
    expect(v.map((c) => c.passed)).toEqual([true, false, false])
    expect(v[1]!.explanation).toBe('p99 120 ms is too long')
    expect(v[0]!.explanation).toBe('')
    expect(v[0]!.name).toBe('answered_rps >= 90')
  })
  it('grades a prediction by its error as a fraction of the measurement', () => {
    const check: CheckDef = { figure: 'prediction_error', op: '<=', threshold: 0.15, predicts: { field: 'guess', figure: 'p99_ms' }, explain: 'off by {measured}' }
    expect(grade([check], { runs: [run()] }, { guess: 108 })[0]).toMatchObject({ measured: 0.1, passed: true })
    expect(grade([check], { runs: [run()] }, { guess: 60 })[0]).toMatchObject({ measured: 0.5, passed: false, explanation: 'off by 0.5' })
  })
  it('fails a check whose figure was not measured (no level, or no such request kind)', () => {
    const check: CheckDef = { figure: 'mean_ms', kind: 'slow', op: '>=', threshold: 1000, explain: 'no {measured}' }
    expect(grade([check], { runs: [] }, {})[0]).toMatchObject({ measured: null, passed: false, explanation: 'no not measured' })
    expect(grade([check], { runs: [run()] }, {})[0]!.passed).toBe(false)
  })
  it("grades a probe's median over the load's median, and fails it when the level had no probe", () => {
    const check: CheckDef = { figure: 'probe_p50_ms', over: { figure: 'p50_ms' }, op: '<', threshold: 0.15, explain: 'queued {measured}' }
    const probed = run({ probe: { path: '/health', requests: 30, latencyMs: { mean: 20, p50: 17.5, p90: 30, p99: 40 } } } as unknown as Partial<RunResult>)
    expect(grade([check], { runs: [probed] }, {})[0]).toMatchObject({ name: 'probe_p50_ms / p50_ms < 0.15', measured: 0.5, passed: false, explanation: 'queued 0.5' })
    expect(grade([check], { runs: [run()] }, {})[0]).toMatchObject({ measured: null, passed: false })
  })
  it('grades a relative check by the ratio of two figures of the same level, and names both', () => {
    const check: CheckDef = { figure: 'mean_ms', over: { figure: 'p50_ms' }, op: '<', threshold: 1.6, explain: 'skewed {measured}' }
    expect(grade([check], { runs: [run()] }, {})[0]).toMatchObject({ name: 'mean_ms / p50_ms < 1.6', measured: 1.143, passed: true })
    const skewed = run({ latencyMs: { mean: 90, p50: 30, p90: 60, p99: 300 } as RunResult['latencyMs'] })
    expect(grade([check], { runs: [skewed] }, {})[0]).toMatchObject({ measured: 3, passed: false, explanation: 'skewed 3' })
  })
})

describe('nginx answer snippets', () => {
  it('pass a location block that only proxies to the lab upstream group', () => {
    expect(nginxSnippetProblems('location / {\n  proxy_pass http://app;  # the Gunicorn workers\n  proxy_request_buffering on;\n}\n')).toEqual([])
  })
  it('refuse directives that name files, and a proxy_pass off loopback, naming the line', () => {
    const problems = nginxSnippetProblems('location / {\n include /etc/passwd;\n proxy_pass http://example.com;\n}\nlocation /x { alias /home/; }')
    expect(problems).toEqual([
      expect.stringMatching(/^line 2: "include" is not allowed/),
      expect.stringMatching(/^line 3: proxy_pass http:\/\/example\.com: only http:\/\/app/),
      expect.stringMatching(/^line 5: "alias" is not allowed/),
    ])
  })
  it('ignore forbidden words inside comments', () => {
    expect(nginxSnippetProblems('# include nothing here\nlocation / { proxy_pass http://127.0.0.1:8000; }')).toEqual([])
  })
})

describe('the built-in exercises', () => {
  it('are at least six', () => {
    expect(exerciseNames().length).toBeGreaterThanOrEqual(6)
  })
  it('each accept their template, reference and wrong answers, and name their checks', async () => {
    for (const name of exerciseNames()) {
      const ex = await loadExercise(name)
      const p = deriveParams(ex.name, ex.params)
      expect(ex.name).toBe(name)
      for (const a of [ex.template(p).answer, ex.reference(p), ex.wrong(p)]) expect(ex.answer.safeParse(a).success).toBe(true)
      expect(ex.checks(p, ex.reference(p)).length).toBeGreaterThan(0)
      const files = (which: 'reference' | 'wrong') => Object.values(ex.files ?? {}).map((f) => f[which](p))
      expect([ex.reference(p), files('reference')]).not.toEqual([ex.wrong(p), files('wrong')])
    }
  }, 60_000)
  it('hand out real configuration: a gunicorn.conf.py, an nginx location block, an ASGI app file', async () => {
    const kinds = await Promise.all(exerciseNames().map(async (n) => Object.values((await loadExercise(n)).files ?? {}).map((f) => f.kind)))
    expect(new Set(kinds.flat())).toEqual(new Set(['gunicorn-conf', 'nginx-location', 'python-app']))
  }, 60_000)
  it('refuse an answer with a misspelt field', async () => {
    const ex = await loadExercise('size-gunicorn-pool')
    expect(ex.answer.safeParse({ predicted_rp: 1 }).success).toBe(false)
  }, 30_000)
})
