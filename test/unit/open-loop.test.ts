import { describe, expect, it } from 'vitest'
import type { LevelRequest } from '../../lab/load/driver.js'
import { checkOpenLevel, MAX_REQUESTS_PER_LEVEL, OpenLoopDriver } from '../../lab/load/open-loop.js'

const level = (over: Partial<LevelRequest> = {}, open: Partial<NonNullable<LevelRequest['open']>> = {}): LevelRequest => ({
  url: 'http://127.0.0.1:1/',
  connections: 0,
  warmupS: 1,
  durationS: 5,
  timeoutS: 10,
  ...over,
  open: { ratePerS: 100, arrival: 'poisson', maxConnections: 64, ...open },
})

describe('checkOpenLevel', () => {
  it('accepts a level within bounds and returns its open-loop settings', () => {
    expect(checkOpenLevel(level()).ratePerS).toBe(100)
  })

  it('names the field and its range when a setting is out of range', () => {
    expect(() => checkOpenLevel(level({}, { ratePerS: 0 }))).toThrow(/open\.ratePerS must be a finite number > 0/)
    expect(() => checkOpenLevel(level({}, { maxConnections: 0 }))).toThrow(/open\.maxConnections must be an integer ≥ 1/)
    expect(() => checkOpenLevel(level({}, { maxConnections: 2.5 }))).toThrow(/open\.maxConnections/)
    expect(() => checkOpenLevel(level({ durationS: 0 }))).toThrow(/durationS must be > 0/)
    expect(() => checkOpenLevel({ ...level(), open: undefined })).toThrow(/needs `open`/)
  })

  it('bounds the requests one level may schedule', () => {
    const seconds = 6
    expect(() => checkOpenLevel(level({}, { ratePerS: MAX_REQUESTS_PER_LEVEL / seconds + 1 }))).toThrow(/≤ 5000000 requests/)
    expect(checkOpenLevel(level({}, { ratePerS: MAX_REQUESTS_PER_LEVEL / seconds })).ratePerS).toBe(MAX_REQUESTS_PER_LEVEL / seconds)
  })

  it('makes the driver reject a bad level before sending anything', async () => {
    await expect(new OpenLoopDriver().runLevel(level({}, { ratePerS: -1 }))).rejects.toThrow(RangeError)
  })
})
