import { afterEach, describe, expect, it, vi } from 'vitest'
import { body, burnCpu, chance, route } from '../../lab/servers/workload.js'

describe('route', () => {
  it('reads the work parameters', () => {
    expect(route('GET', '/work?io_ms=50&cpu_ms=10&bytes=2048')).toEqual({ kind: 'work', ioMs: 50, cpuMs: 10, bytes: 2048, crashPct: 0, hangPct: 0 })
  })

  it('defaults to no wait, no CPU and 1024 bytes', () => {
    expect(route('GET', '/work')).toEqual({ kind: 'work', ioMs: 0, cpuMs: 0, bytes: 1024, crashPct: 0, hangPct: 0 })
  })

  it('answers health', () => {
    expect(route('GET', '/health')).toEqual({ kind: 'health' })
  })

  it('refuses a parameter out of range with 400', () => {
    expect(route('GET', '/work?io_ms=-5')).toEqual({ kind: 'error', status: 400, message: 'io_ms=-5: expected an integer 0..60000' })
  })

  it('reads fault injection as percentages', () => {
    expect(route('GET', '/work?crash_pct=0.5&hang_pct=2')).toMatchObject({ crashPct: 0.5, hangPct: 2 })
    expect(route('GET', '/work?crash_pct=120')).toEqual({ kind: 'error', status: 400, message: 'crash_pct=120: expected a percentage 0..100' })
  })

  it('reads a server-sent events stream request', () => {
    expect(route('GET', '/stream?events=3&interval_ms=20')).toEqual({ kind: 'stream', events: 3, intervalMs: 20 })
  })

  it('does not know other paths', () => {
    expect(route('GET', '/admin')).toMatchObject({ kind: 'error', status: 404 })
  })
})

describe('burnCpu', () => {
  afterEach(() => vi.restoreAllMocks())

  it('burns at least the CPU time asked for', () => {
    const before = process.cpuUsage()
    burnCpu(20)
    const used = process.cpuUsage(before)
    expect((used.user + used.system) / 1000).toBeGreaterThanOrEqual(20)
  })

  it('burns CPU time, not wall time: it stops on the CPU clock, whatever the wall clock says', () => {
    // CPU time advances 0.5 ms per reading; every wall clock jumps 1 s per reading, so a
    // wall-clock loop would stop after one reading having burnt 0.5 ms of the 20 asked for.
    let cpuUs = 0
    const cpuUsage = (prev?: NodeJS.CpuUsage): NodeJS.CpuUsage => {
      cpuUs += 500
      return prev ? { user: cpuUs - prev.user, system: -prev.system } : { user: cpuUs, system: 0 }
    }
    vi.spyOn(process, 'cpuUsage').mockImplementation(cpuUsage)
    let wallMs = 0
    const wall = () => (wallMs += 1000)
    vi.spyOn(Date, 'now').mockImplementation(wall)
    vi.spyOn(performance, 'now').mockImplementation(wall)
    vi.spyOn(process.hrtime, 'bigint').mockImplementation(() => BigInt(wall()) * 1_000_000n)
    burnCpu(20)
    expect(cpuUs / 1000).toBeGreaterThanOrEqual(20)
    expect(cpuUs / 1000).toBeLessThanOrEqual(21) // and stops there
  })
})

describe('body', () => {
  it('has exactly the bytes asked for', () => {
    expect(body(1024)).toHaveLength(1024)
    expect(body(0)).toHaveLength(0)
  })
})

describe('chance', () => {
  it('faults one request in every 20 at 5 %, the first 10 to 30 requests in', () => {
    const fired: number[] = []
    for (let i = 1; i <= 1000; i++) if (chance(5, 'hang')) fired.push(i)
    expect(fired[0]).toBeGreaterThanOrEqual(10)
    expect(fired[0]).toBeLessThanOrEqual(30)
    const gaps = fired.slice(1).map((n, i) => n - (fired[i] as number))
    expect(new Set(gaps)).toEqual(new Set([20]))
    expect(fired.length).toBeGreaterThanOrEqual(49)
    expect(fired.length).toBeLessThanOrEqual(50)
  })

  it('fires every time at 100 %, never at 0 %, and keeps each kind of fault on its own count', () => {
    const both = Array.from({ length: 400 }, () => [chance(100, 'crash'), chance(0, 'hang'), chance(2.5, 'hang')])
    expect(both.filter(([crash]) => crash)).toHaveLength(400)
    expect(both.filter(([, none]) => none)).toHaveLength(0)
    expect(both.filter(([, , hang]) => hang).length).toBeGreaterThanOrEqual(9)
    expect(both.filter(([, , hang]) => hang).length).toBeLessThanOrEqual(10)
  })

  it('gives a new process its first fault 20 requests in on average at 5 %, as a coin per request would, at a phase of its own', async () => {
    const firsts: number[] = []
    for (let p = 0; p < 300; p++) {
      vi.resetModules()
      const fresh = (await import('../../lab/servers/workload.js')).chance
      let i = 1
      while (!fresh(5, 'crash')) i++
      firsts.push(i)
    }
    // uniform over 10..30 with half weight at the ends: σ ≈ 5.8, so the mean of 300 is 20 ± 0.34
    const mean = firsts.reduce((a, b) => a + b, 0) / firsts.length
    expect(mean).toBeGreaterThan(19)
    expect(mean).toBeLessThan(21)
    expect(Math.min(...firsts)).toBeGreaterThanOrEqual(10)
    expect(Math.max(...firsts)).toBeLessThanOrEqual(30)
    expect(new Set(firsts).size).toBeGreaterThan(10)
  })
})
