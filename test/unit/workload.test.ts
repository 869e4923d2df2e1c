import { describe, expect, it } from 'vitest'
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
  it('burns CPU time, not wall time', () => {
    const before = process.cpuUsage()
    burnCpu(20)
    const used = process.cpuUsage(before)
    expect((used.user + used.system) / 1000).toBeGreaterThanOrEqual(20)
  })
})

describe('body', () => {
  it('has exactly the bytes asked for', () => {
    expect(body(1024)).toHaveLength(1024)
    expect(body(0)).toHaveLength(0)
  })
})
