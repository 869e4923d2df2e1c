/**
 * The vocabulary and the workload contract's bounds: one list of words per
 * concept, read by the schemas; one set of bounds, read by the scenario
 * schema and the built-in servers alike.
 */
import { describe, expect, it } from 'vitest'
import { BOUNDS, DEFAULTS, LIMITS, PROCESS_ROLES, SERVER_EVENT_KINDS } from '../../lab/contract/workload.js'
import { processSchema, runEventSchema, warningSchema } from '../../lab/core/results.js'
import { validateScenario } from '../../lab/core/scenario.js'
import { WARNING_TEXT, oneOf, processRole, serverEventKind, warningCode } from '../../lab/core/vocabulary.js'
import { route } from '../../lab/servers/workload.js'

describe('the vocabulary', () => {
  it("wraps the contract's process roles and event kinds", () => {
    expect(processRole.options).toEqual([...PROCESS_ROLES])
    expect(serverEventKind.options).toEqual([...SERVER_EVENT_KINDS])
  })

  it('gives every warning code a title and an explanation', () => {
    for (const code of warningCode.options) {
      expect(WARNING_TEXT[code].title.length, code).toBeGreaterThan(0)
      expect(WARNING_TEXT[code].explanation.length, code).toBeGreaterThan(20)
    }
    expect(Object.keys(WARNING_TEXT).sort()).toEqual([...warningCode.options].sort())
  })

  it('quotes the allowed values the way validation messages do', () => {
    expect(oneOf(['a'])).toBe("'a'")
    expect(oneOf(['a', 'b', 'c'])).toBe("'a', 'b' or 'c'")
  })

  it('is what the results schema accepts for roles, event kinds and warning codes', () => {
    const usage = { mean: 0, max: 0 }
    expect(processSchema.safeParse({ role: 'worker', pid: 1, cpuPercent: usage, rssBytes: usage, requests: 0 }).success).toBe(true)
    expect(processSchema.safeParse({ role: 'boss', pid: 1, cpuPercent: usage, rssBytes: usage, requests: 0 }).success).toBe(false)
    expect(runEventSchema.safeParse({ t: 1, kind: 'worker-exit', message: 'x' }).success).toBe(true)
    expect(runEventSchema.safeParse({ t: 1, kind: 'reload', message: 'x' }).success).toBe(false)
    expect(warningSchema.safeParse({ code: 'errors-seen', message: 'x' }).success).toBe(true)
    expect(warningSchema.safeParse({ code: 'made-up', message: 'x' }).success).toBe(false)
  })
})

describe("the contract's bounds", () => {
  const scenario = (workload: Record<string, unknown>) => ({
    name: 't',
    title: 't',
    summary: 't',
    topologies: { t: { server: { model: 'prefork' } } },
    workloads: { w: workload },
    load: { connections: [1] },
  })

  it('are the limits of the scenario schema and of the built-in servers alike', () => {
    for (const name of ['io_ms', 'cpu_ms', 'bytes'] as const) {
      const max = BOUNDS[name].max
      expect(validateScenario(scenario({ [name]: max })).ok, name).toBe(true)
      expect(validateScenario(scenario({ [name]: max + 1 })), name).toEqual({
        ok: false,
        problems: [`workloads.w.${name}: ${max + 1} is not allowed; expected an integer 0..${max} ${BOUNDS[name].unit}`],
      })
      expect(route('GET', `/work?${name}=${max}`).kind, name).toBe('work')
      expect(route('GET', `/work?${name}=${max + 1}`), name).toEqual({ kind: 'error', status: 400, message: `${name}=${max + 1}: expected an integer 0..${LIMITS[name]}` })
    }
  })

  it('give the defaults of an empty workload and of a bare /work request alike', () => {
    const v = validateScenario(scenario({}))
    expect(v.ok && v.value.workloads.w).toMatchObject({ io_ms: DEFAULTS.io_ms, cpu_ms: DEFAULTS.cpu_ms, bytes: DEFAULTS.bytes, crash_pct: DEFAULTS.crash_pct })
    expect(route('GET', '/work')).toEqual({ kind: 'work', ioMs: DEFAULTS.io_ms, cpuMs: DEFAULTS.cpu_ms, bytes: DEFAULTS.bytes, crashPct: DEFAULTS.crash_pct, hangPct: DEFAULTS.hang_pct })
  })
})
