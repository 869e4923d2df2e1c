import { describe, expect, it } from 'vitest'
import { summarize } from '../../lab/core/confidence.js'
import {
  answeredPerSecond,
  answeredRate,
  compareLevel,
  fmtRate,
  fmtRatio,
  levelRate,
  repeatLabel,
  repeatedLevels,
  runLabel,
  shellCommand,
  shellQuote,
  stamp,
} from '../../lab/core/labels.js'
import type { Rate } from '../../lab/core/results.js'
import { makeRun } from './fixtures.js'

/** A stored rate from per-second samples (Student's t), as a level records it. */
const rate = (xs: number[]): Rate => {
  const s = summarize(xs)
  return { n: s.n, mean: s.mean, stddev: s.stddev ?? 0, min: s.min, max: s.max, ci95: s.ci95, method: s.method, stdError: s.stdError, df: s.df }
}

describe('runLabel', () => {
  it('names a level by topology, workload and connections', () => {
    expect(runLabel({ topology: 'prefork', workload: 'io-bound', connections: 128, repeat: 0 })).toBe('prefork io-bound @128')
  })

  it('adds the repeat, counted from 1, after the first', () => {
    expect(runLabel({ topology: 'async', workload: 'cpu-bound', connections: 8, repeat: 1 })).toBe('async cpu-bound @8 (repeat 2)')
    expect(repeatLabel(0)).toBe('')
    expect(repeatLabel(2)).toBe('repeat 3')
  })
})

describe('answeredPerSecond', () => {
  it('scales req/s by the share of 2xx responses when the level counts them', () => {
    const run = makeRun({ perSecond: 100 })
    run.requests = { ...run.requests, total: 400, ok: 300 }
    expect(answeredPerSecond(run)).toBeCloseTo(75, 9)
  })

  it('takes every response as answered when the level has no 2xx count, and when nothing came back', () => {
    expect(answeredPerSecond(makeRun({ perSecond: 100 }))).toBe(100)
    const none = makeRun({ perSecond: 0 })
    none.requests = { ...none.requests, total: 0, ok: 0 }
    expect(answeredPerSecond(none)).toBe(0)
  })
})

describe('fmtRatio', () => {
  it('keeps one decimal below 100 and none from 100 up', () => {
    expect(fmtRatio(30.42)).toBe('30.4×')
    expect(fmtRatio(2)).toBe('2.0×')
    expect(fmtRatio(151.9)).toBe('152×')
    expect(fmtRatio(99.96)).toBe('100×')
  })
})

describe('answeredRate', () => {
  it('takes the level’s own 2xx rate when it recorded one: 640 answered among 37,161 req/s of 503s', () => {
    const run = makeRun({ perSecond: 37_161 })
    run.requests = { ...run.requests, total: 74_322, ok: 1280, answeredPerSecond: rate([630, 650]) }
    expect(answeredRate(run).mean).toBe(640)
    expect(answeredPerSecond(run)).toBe(640)
  })

  it('scales an older document’s req/s, spread and interval alike by the 2xx share', () => {
    const run = makeRun({ perSecond: 100 })
    run.requests = { total: 400, ok: 300, perSecond: { ...rate([98, 102]) } }
    const r = answeredRate(run)
    expect(r.mean).toBeCloseTo(75, 9)
    expect(r.stddev).toBeCloseTo(0.75 * Math.sqrt(8), 9)
    expect(r.ci95?.[1]).toBeCloseTo(0.75 * (rate([98, 102]).ci95?.[1] as number), 9)
  })
})

describe('levelRate', () => {
  it('takes repeats together with Student’s t over their means, n = repeats', () => {
    const runs = [77, 78, 77].map((m) => makeRun({ perSecond: m }))
    const r = levelRate(runs)
    expect(r.n).toBe(3)
    expect(r.mean).toBeCloseTo(77.3333, 3)
    expect(r.stddev).toBeCloseTo(Math.sqrt(1 / 3), 9)
    expect(r.method).toBe('student-t')
    expect(r.note).toContain('repeats')
  })

  it('keeps a single run’s own per-second spread', () => {
    const run = makeRun()
    run.requests.perSecond = rate([79, 80, 81])
    expect(levelRate([run])).toEqual(run.requests.perSecond)
  })

  it('refuses no runs', () => {
    expect(() => levelRate([])).toThrow(RangeError)
  })
})

describe('fmtRate', () => {
  it('prints mean ± σ with n, and no ± below two samples', () => {
    expect(fmtRate(rate([77, 77.6, 77.3]), 1, 'req/s')).toBe('77.3 ± 0.3 req/s (n=3)')
    expect(fmtRate(rate([80]))).toBe('80.0 (n=1)')
  })

  it('prints an older document’s mean ± σ without n', () => {
    expect(fmtRate({ mean: 80, stddev: 0.5, min: 79, max: 81 })).toBe('80.0 ± 0.5')
    expect(fmtRate({ mean: 80, stddev: 0, min: 80, max: 80 })).toBe('80.0')
  })
})

describe('repeatedLevels', () => {
  it('takes each level measured more than once together, pointing at its runs', () => {
    const runs = [
      makeRun({ connections: 8, perSecond: 77, repeat: 0 }),
      makeRun({ connections: 8, perSecond: 78, repeat: 1 }),
      makeRun({ connections: 64, perSecond: 80, repeat: 0 }),
    ]
    const r = repeatedLevels(runs)
    expect(r).toHaveLength(1)
    expect(r[0]).toMatchObject({ topology: 'prefork', workload: 'io-bound', connections: 8, runs: [0, 1] })
    expect(r[0]?.answeredPerSecond.n).toBe(2)
    expect(r[0]?.answeredPerSecond.mean).toBe(77.5)
  })
})

describe('compareLevel', () => {
  it('ranks the most answered req/s first and gives each ratio with its interval', () => {
    const v = compareLevel('io-bound @128', [
      { name: 'prefork', rate: rate([79, 80, 81]) },
      { name: 'async', rate: rate([1940, 1944, 1948]) },
      { name: 'threaded', rate: rate([318, 320, 322]) },
    ])
    expect(v.map((c) => [c.best, c.other, c.comparison.kind])).toEqual([['async', 'threaded', 'ratio'], ['async', 'prefork', 'ratio']])
    expect(v[1]?.ratio).toBeCloseTo(24.3, 9)
    // Fieller's interval of 1944 ± 4.97 over 80 ± 2.48 (standard errors × t(0.975; 2))
    expect(v[1]?.text).toBe('io-bound @128: async served 24.3× (95 % CI 23.6–25.1×) the answered req/s of prefork')
  })

  it('finds no measurable difference where the intervals overlap', () => {
    const [v] = compareLevel('cpu-bound @64', [{ name: 'prefork', rate: rate([96, 101]) }, { name: 'async', rate: rate([97, 99]) }])
    expect(v?.text).toBe('cpu-bound @64: no measurable difference at this level between prefork and async (their 95 % intervals overlap)')
  })

  it('says where one side answered none, and leaves out what was not measured', () => {
    const v = compareLevel('hang-5pct @16', [
      { name: 'prefork', rate: rate([31, 32]) },
      { name: 'async', rate: rate([0, 0]) },
      { name: 'threaded', rate: undefined },
    ])
    expect(v.map((c) => c.text)).toEqual(['hang-5pct @16: prefork answered 31.5 req/s where async answered none'])
    expect(v[0]?.ratio).toBe(Infinity)
  })

  it('has nothing to compare when one was measured or none answered', () => {
    expect(compareLevel('x', [{ name: 'prefork', rate: rate([80, 81]) }])).toEqual([])
    expect(compareLevel('x', [{ name: 'prefork', rate: rate([0, 0]) }, { name: 'async', rate: rate([0, 0]) }])).toEqual([])
  })
})

describe('stamp', () => {
  it('writes a UTC time as sortable text without colons or milliseconds', () => {
    expect(stamp('2026-11-22T10:00:00.123Z')).toBe('20261122T100000Z')
  })
})

describe('shellQuote', () => {
  it('leaves plain words alone and single-quotes the rest', () => {
    expect(shellQuote('quick.duration_s=2')).toBe('quick.duration_s=2')
    expect(shellQuote('quick.connections=[8]')).toBe("'quick.connections=[8]'")
    expect(shellQuote("it's")).toBe(`'it'\\''s'`)
    expect(shellQuote('')).toBe("''")
  })

  it('joins a command line a shell splits back into the same arguments', () => {
    expect(shellCommand(['npx', 'lab', 'run', 'x', '--set', 'a b'])).toBe("npx lab run x --set 'a b'")
  })
})
