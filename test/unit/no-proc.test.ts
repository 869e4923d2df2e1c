/**
 * A laptop without /proc (macOS, Windows): stood in for by `LAB_PROC_ROOT`
 * pointing at a folder that does not exist, or at a partial fake /proc.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { formatSummary } from '../../lab/core/format.js'
import { PROC_PANELS, unavailableLine } from '../../lab/core/platform.js'
import { FakeDriver } from '../../lab/load/fake.js'
import { runScenario } from '../../lab/run/engine.js'
import { collectEnv } from '../../lab/run/env.js'
import { childrenOf, groupMembers } from '../../lab/topology/proc.js'
import { unavailablePanels } from '../../lab/topology/procfs.js'
import { Sampler } from '../../lab/topology/sampler.js'
import { countTimeWait } from '../../lab/topology/sockets.js'
import { cpuChart, memoryChart } from '../../web/src/report/resources.js'
import { fakeTopology } from '../support/live-fakes.js'

const dirs: string[] = []
const tmp = (prefix: string) => {
  const d = mkdtempSync(path.join(os.tmpdir(), prefix))
  dirs.push(d)
  return d
}
let missing: string
beforeEach(() => {
  missing = path.join(tmp('lab-noproc-'), 'proc')
})
afterEach(() => {
  vi.unstubAllEnvs()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('detecting a system without /proc', () => {
  it('finds every panel available on this Linux machine’s real /proc', () => {
    expect(unavailablePanels('/proc', 'linux')).toEqual([])
  })

  it('finds every panel unavailable without /proc, and on macOS whatever the folder holds', () => {
    expect(unavailablePanels(missing, 'linux')).toEqual([...PROC_PANELS])
    expect(unavailablePanels('/proc', 'darwin')).toEqual([...PROC_PANELS])
  })

  it('finds only TIME_WAIT unavailable on a /proc without socket tables', () => {
    const root = tmp('lab-partproc-')
    mkdirSync(path.join(root, 'self'))
    writeFileSync(path.join(root, 'self', 'stat'), '1 (x) S 0 1 1')
    writeFileSync(path.join(root, 'self', 'status'), 'VmRSS: 1 kB\n')
    expect(unavailablePanels(root, 'linux')).toEqual(['time-wait'])
  })

  it('reads nothing from the real /proc once LAB_PROC_ROOT points elsewhere: no CPU, no children, no TIME_WAIT count (not 0)', () => {
    vi.stubEnv('LAB_PROC_ROOT', missing)
    const sampler = new Sampler(1000)
    sampler.watch([process.pid])
    sampler.tick()
    sampler.tick()
    expect(sampler.usage(process.pid, 0, performance.now())).toBeUndefined()
    expect(childrenOf(process.ppid)).toEqual([])
    expect(groupMembers(process.pid)).toEqual([])
    expect(countTimeWait(80)).toBeUndefined()
    expect(collectEnv({}).unavailable).toEqual([...PROC_PANELS])
  })
})

describe('a run on a system without /proc', () => {
  it('records the unavailable panels, omits TIME_WAIT counts, and the summary and report say "not available on this system" instead of zeros', async () => {
    vi.stubEnv('LAB_PROC_ROOT', missing)
    const out = tmp('lab-noproc-run-')
    const outcome = await runScenario({ target: 'prefork-vs-async', quick: true, workload: ['io-bound'], out, driver: new FakeDriver(() => 80, { secondMs: 2 }), start: fakeTopology })
    const doc = outcome.doc
    expect(outcome.code).toBe(0)
    expect(doc?.env.unavailable).toEqual(['cpu', 'memory', 'processes', 'time-wait'])
    expect(doc?.runs.every((r) => r.sockets === undefined)).toBe(true)
    const summary = formatSummary(doc as NonNullable<typeof doc>)
    expect(summary).toContain(unavailableLine(doc?.env.unavailable))
    expect(summary).toMatch(/Server CPU, server memory, process trees \(a master’s workers\), TIME_WAIT counts: not available on this system/)
    const rows = summary.split('\n').filter((l) => /^\s+(prefork|async)\s+\d+/.test(l))
    expect(rows.length).toBeGreaterThan(0)
    for (const r of rows) expect(r).toMatch(/ n\/a /)
    const cpu = cpuChart([doc as NonNullable<typeof doc>], 'io-bound')
    expect(cpu.caption).toMatch(/^Server CPU: not available on this system/)
    expect(cpu.series.map((s) => s.label)).toEqual(['load generator'])
    const memory = memoryChart([doc as NonNullable<typeof doc>], 'io-bound')
    expect(memory.caption).toBe('Server memory: not available on this system (no /proc).')
    expect(memory.series).toEqual([])
  })

  it('records no unavailable panel on this Linux machine', () => {
    expect(collectEnv({}).unavailable).toBeUndefined()
  })
})
