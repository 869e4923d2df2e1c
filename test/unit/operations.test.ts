import { describe, expect, it } from 'vitest'
import { validateScenario } from '../../lab/core/scenario.js'
import { workPath } from '../../lab/run/level.js'
import { route } from '../../lab/servers/workload.js'
import reload from '../../scenarios/graceful-reload/scenario.js'
import recycling from '../../scenarios/worker-recycling/scenario.js'

describe('deploys and leaks in scenarios', () => {
  it('accepts graceful-reload with one restart topology and one HUP topology', () => {
    const v = validateScenario(reload, 'graceful-reload')
    expect(v.ok).toBe(true)
    if (!v.ok) return
    expect(Object.values(v.value.topologies).map((t) => t.deploy?.how)).toEqual(['restart', 'hup'])
  })

  it('refuses a deploy that is neither restart nor hup', () => {
    const v = validateScenario({ ...reload, topologies: { t: { server: { model: 'prefork' }, deploy: { at_s: 1, how: 'usr2' } } } })
    expect(v).toEqual({ ok: false, problems: [`topologies.t.deploy.how: "usr2" is not allowed; expected 'restart' or 'hup'`] })
  })

  it('puts leak_kb in the /work path only when it is set', () => {
    const v = validateScenario(recycling, 'worker-recycling')
    expect(v.ok).toBe(true)
    if (!v.ok) return
    expect(workPath(v.value.workloads['leak-512k']!)).toBe('/work?io_ms=20&cpu_ms=0&bytes=1024&leak_kb=512')
    expect(workPath({ ...v.value.workloads['leak-512k']!, leak_kb: 0 })).toBe('/work?io_ms=20&cpu_ms=0&bytes=1024')
  })

  it('routes leak_kb to the built-in servers and answers 400 above its bound', () => {
    expect(route('GET', '/work?leak_kb=512')).toMatchObject({ kind: 'work', leakKb: 512 })
    expect(route('GET', '/work?leak_kb=10241')).toMatchObject({ kind: 'error', status: 400 })
  })
})
