import { describe, expect, it } from 'vitest'
import { applyOverrides, parseOverride, type Override } from '../../lab/core/overrides.js'

const parsed = (raw: string): Override => {
  const o = parseOverride(raw)
  if (!o.ok) throw new Error(o.problem)
  return o.value
}

describe('parseOverride', () => {
  it('reads a number as JSON', () => {
    expect(parsed('topologies.prefork.server.workers=8')).toEqual({
      path: ['topologies', 'prefork', 'server', 'workers'],
      value: 8,
      raw: 'topologies.prefork.server.workers=8',
    })
  })

  it('reads a list as JSON', () => {
    expect(parsed('quick.connections=[64]').value).toEqual([64])
  })

  it('keeps a value that is not JSON as a string', () => {
    expect(parsed('topologies.async.server.model=event-loop').value).toBe('event-loop')
  })

  it('splits at the first equals sign only', () => {
    expect(parsed('title=a=b').value).toBe('a=b')
  })

  it('rejects an argument without path=value', () => {
    expect(parseOverride('workers')).toEqual({
      ok: false,
      problem: '--set workers: expected path=value, e.g. --set topologies.prefork.server.workers=8',
    })
  })

  it('rejects an empty path part', () => {
    expect(parseOverride('load..duration_s=3').ok).toBe(false)
  })
})

describe('applyOverrides', () => {
  it('changes a copy and leaves the input alone', () => {
    const input = { load: { duration_s: 3 } }
    const r = applyOverrides(input, [parsed('load.duration_s=5')])
    expect(r).toEqual({ ok: true, value: { load: { duration_s: 5 } } })
    expect(input.load.duration_s).toBe(3)
  })

  it('creates missing objects on the way', () => {
    const r = applyOverrides({}, [parsed('quick.warmup_s=2')])
    expect(r).toEqual({ ok: true, value: { quick: { warmup_s: 2 } } })
  })

  it('addresses list elements by index', () => {
    const r = applyOverrides({ load: { connections: [1, 2] } }, [parsed('load.connections.1=32')])
    expect(r).toEqual({ ok: true, value: { load: { connections: [1, 32] } } })
  })

  it('cannot descend into a number', () => {
    const r = applyOverrides({ load: { duration_s: 3 } }, [parsed('load.duration_s.x=1')])
    expect(r).toEqual({ ok: false, problems: ['--set load.duration_s.x=1: load.duration_s is not an object, so it has no field x'] })
  })
})
