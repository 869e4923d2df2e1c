import { describe, expect, it } from 'vitest'
import { applyOverrides, parseOverride, quickOverrides, type Override } from '../../lab/core/overrides.js'
import { scenarioSchema, validateScenario } from '../../lab/core/scenario.js'
import { fieldsAt, nearestField } from '../../lab/core/zod-issues.js'

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

describe('quickOverrides', () => {
  const scenario = {
    load: { connections: [8, 64], duration_s: 10 },
    quick: { duration_s: 2 },
    topologies: { a: { quick: { duration_s: 1 } }, b: {} },
  }

  it('applies a --set load.* to the quick fields that would undo it, and says so', () => {
    const { overrides, notices } = quickOverrides(scenario, [parsed('load.duration_s=4')])
    expect(overrides.map((o) => o.path.join('.'))).toEqual(['load.duration_s', 'quick.duration_s', 'topologies.a.quick.duration_s'])
    const applied = applyOverrides(scenario, overrides)
    expect(applied.ok && (applied.value as typeof scenario).quick.duration_s).toBe(4)
    expect(notices).toEqual(['--set load.duration_s=4 applies to the quick run too (as quick.duration_s, topologies.a.quick.duration_s)'])
  })

  it('leaves a --set alone when no quick field replaces it', () => {
    const { overrides, notices } = quickOverrides(scenario, [parsed('load.connections=[4]'), parsed('topologies.b.server.workers=2')])
    expect(overrides.map((o) => o.raw)).toEqual(['load.connections=[4]', 'topologies.b.server.workers=2'])
    expect(notices).toEqual([])
  })
})

describe('unknown fields suggest the nearest allowed name', () => {
  it('lists the fields a scenario allows at a path, through records and optional wrappers', () => {
    expect(fieldsAt(scenarioSchema, ['topologies', 'prefork', 'server'])).toContain('workers')
    expect(fieldsAt(scenarioSchema, ['load'])).toContain('duration_s')
  })

  it('suggests a near name and nothing for a far one', () => {
    expect(nearestField('worker', ['workers', 'threads'])).toBe('workers')
    expect(nearestField('duratio_s', ['duration_s', 'warmup_s'])).toBe('duration_s')
    expect(nearestField('xyz', ['workers', 'threads'])).toBeUndefined()
  })

  it('says "did you mean `workers`?" for server.worker in a scenario', () => {
    const v = validateScenario({
      name: 's', title: 't', summary: 's',
      topologies: { p: { server: { model: 'prefork', worker: 8 } } },
      workloads: { w: { io_ms: 1, cpu_ms: 0, bytes: 1 } },
      load: { connections: [1] },
    })
    expect(v.ok ? [] : v.problems).toContain('topologies.p.server.worker: unknown field; did you mean `workers`?')
  })
})
