/**
 * CPU placement (lab/run/placement.ts) and open-file limits (lab/run/limits.ts):
 * disjoint CPU sets from 4 cores, shared below; what to raise for 10,000 connections.
 */
import { describe, expect, it } from 'vitest'
import { NOFILE_MARGIN, nofileProblem, parseNofile } from '../../lab/run/limits.js'
import { formatCpuList, parseCpuList, placementFor } from '../../lab/run/placement.js'

describe('placementFor', () => {
  it('records that the load generator and the servers share a 2-core machine', () => {
    expect(placementFor([0, 1])).toMatchObject({ mode: 'shared', client: [0, 1], servers: [0, 1] })
    expect(placementFor([0, 1]).note).toContain('share')
  })

  it('gives the load generator one CPU of 4 and the servers the other 3', () => {
    expect(placementFor([0, 1, 2, 3])).toMatchObject({ mode: 'pinned', client: [0], servers: [1, 2, 3] })
  })

  it('gives the load generator a quarter of 16 CPUs, disjoint from the servers’', () => {
    const p = placementFor(Array.from({ length: 16 }, (_, i) => i))
    expect(p.client).toEqual([0, 1, 2, 3])
    expect(p.servers).toHaveLength(12)
    expect(p.servers.some((c) => p.client.includes(c))).toBe(false)
    expect(p.note).toBe('load generator pinned to CPU 0-3, servers to CPU 4-15 (taskset), so neither takes the other\'s CPU')
  })
})

describe('CPU lists', () => {
  it('reads and writes the kernel’s list format', () => {
    expect(parseCpuList('0-3,8,10-11\n')).toEqual([0, 1, 2, 3, 8, 10, 11])
    expect(formatCpuList([0, 1, 2, 3, 8, 10, 11])).toBe('0-3,8,10-11')
    expect(() => parseCpuList('zero')).toThrow(RangeError)
  })
})

describe('open-file limits', () => {
  const limits = 'Limit                     Soft Limit           Hard Limit           Units\nMax open files            1024                 524288               files\n'

  it('reads the soft and hard limits from /proc/<pid>/limits', () => {
    expect(parseNofile(limits)).toEqual({ soft: 1024, hard: 524288 })
    expect(parseNofile('Max open files            unlimited            unlimited            files')).toEqual({ soft: Infinity, hard: Infinity })
    expect(parseNofile('nothing here')).toBeUndefined()
  })

  it('lets 10,000 connections through under a limit of 20,000', () => {
    expect(nofileProblem(10_000, { soft: 20_000, hard: 20_000 })).toBeUndefined()
    expect(nofileProblem(10_000, undefined)).toBeUndefined()
  })

  it('says to raise the soft limit when the hard one allows it', () => {
    expect(nofileProblem(10_000, { soft: 1024, hard: 524_288 })).toBe(
      `10000 connections need ${10_000 + NOFILE_MARGIN} open files, and the soft limit (ulimit -Sn) is 1024: run \`ulimit -Sn 524288\` in this shell first (the hard limit allows 524288)`,
    )
  })

  it('says exactly what to raise when the hard limit is too low', () => {
    const problem = nofileProblem(10_000, { soft: 4096, hard: 4096 })
    expect(problem).toContain('the hard limit (ulimit -Hn) is 4096')
    expect(problem).toContain('hard nofile 65536')
  })
})
