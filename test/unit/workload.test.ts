import { afterEach, describe, expect, it, vi } from 'vitest'
import { body, burnCpu, route } from '../../lab/servers/workload.js'

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
