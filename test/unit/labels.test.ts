import { describe, expect, it } from 'vitest'
import {
  answeredPerSecond,
  comparisonPhrase,
  fmtRatio,
  rankPerSecond,
  repeatLabel,
  runLabel,
  shellCommand,
  shellQuote,
  stamp,
  verdictText,
} from '../../lab/core/labels.js'
import { makeRun } from './fixtures.js'

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

describe('rankPerSecond and verdictText', () => {
  it('ranks the most req/s first against each other one', () => {
    const ranked = rankPerSecond([
      { name: 'prefork', perSecond: 80 },
      { name: 'async', perSecond: 1944 },
      { name: 'threaded', perSecond: 320 },
    ])
    expect(ranked.map((c) => [c.best, c.other])).toEqual([['async', 'threaded'], ['async', 'prefork']])
    expect(ranked[1]?.ratio).toBeCloseTo(24.3, 9)
    expect(verdictText('io-bound @128', ranked)).toBe('io-bound @128: async served 6.1× the req/s of threaded, 24.3× the req/s of prefork')
  })

  it('says how much the best served where another served none, and leaves out what was not measured', () => {
    const ranked = rankPerSecond([
      { name: 'prefork', perSecond: 31.5 },
      { name: 'async', perSecond: 0 },
      { name: 'threaded', perSecond: undefined },
    ])
    expect(ranked).toEqual([{ best: 'prefork', other: 'async', bestPerSecond: 31.5, ratio: Infinity }])
    expect(comparisonPhrase(ranked[0] as (typeof ranked)[0])).toBe('31.5 req/s where async served none')
  })

  it('has nothing to compare when one served or none did', () => {
    expect(rankPerSecond([{ name: 'prefork', perSecond: 80 }])).toEqual([])
    expect(rankPerSecond([{ name: 'prefork', perSecond: 0 }, { name: 'async', perSecond: 0 }])).toEqual([])
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
