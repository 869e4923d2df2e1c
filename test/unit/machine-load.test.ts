/** Other processes' CPU while a level ran (lab/run/machine-load.ts), from /proc/stat. */
import { describe, expect, it } from 'vitest'
import { otherCpuPercent, parseBusyMs } from '../../lab/run/machine-load.js'

describe('parseBusyMs', () => {
  it('counts user, nice, system, irq, softirq and steal, not idle or iowait, in 10 ms ticks', () => {
    const stat = 'cpu  100 5 50 9000 40 3 2 1 0 0\ncpu0 50 2 25 4500 20 1 1 0 0 0\n'
    expect(parseBusyMs(stat)).toBe((100 + 5 + 50 + 3 + 2 + 1) * 10)
    expect(parseBusyMs('intr 1 2 3')).toBeUndefined()
  })
})

describe('otherCpuPercent', () => {
  it('is the machine’s busy time less the level’s own: 150 % busy over 2 s, 110 % ours, 40 % others', () => {
    expect(otherCpuPercent({ at: 0, busyMs: 1000 }, { at: 2000, busyMs: 4000 }, 110)).toBeCloseTo(40, 12)
  })

  it('is never negative (sampling edges), and unknown without two readings', () => {
    expect(otherCpuPercent({ at: 0, busyMs: 0 }, { at: 1000, busyMs: 500 }, 60)).toBe(0)
    expect(otherCpuPercent(undefined, { at: 1, busyMs: 1 }, 0)).toBeUndefined()
    expect(otherCpuPercent({ at: 5, busyMs: 1 }, { at: 5, busyMs: 1 }, 0)).toBeUndefined()
  })
})
