import { describe, expect, it } from 'vitest'
import { diagnose, diagnosisWarnings } from '../../lab/core/diagnosis.js'
import type { ProcessStats, RunResult } from '../../lab/core/results.js'
import { warningsFor } from '../../lab/core/warnings.js'
import { makeRun } from './fixtures.js'

const proc = (role: ProcessStats['role'], pid: number, cpu: number): ProcessStats => ({ role, pid, cpuPercent: { mean: cpu, max: cpu + 2 }, rssBytes: { mean: 5e7, max: 5e7 }, requests: 0 })
const codes = (run: RunResult, cores = 2, eventPct?: number) => diagnose(run, { cores, ...(eventPct ? { eventPct } : {}) }).map((d) => d.code)

/** The event loop of issue 11: 4,096 connections waiting 50 ms, the loop at 103 % of a core, 12,525 req/s for 5 s. */
function saturatedLoop(): RunResult {
  const run = makeRun({ topology: 'async', connections: 4096, perSecond: 12_525, processes: [proc('server', 4242, 103)], loadGenerator: { cpuPercent: { mean: 60, max: 70 } } })
  run.engines = { server: 'node-event-loop', proxy: null }
  run.durationS = 5
  run.requests.total = 62_625
  return run
}

describe('diagnose', () => {
  it('finds nothing in a clean level', () => {
    expect(codes(makeRun())).toEqual([])
  })

  it('names an event loop at 103 % of a core as CPU saturation, with its cost per response and its ceiling', () => {
    const d = diagnose(saturatedLoop(), { cores: 2 })
    expect(d.map((x) => x.code)).toEqual(['cpu-saturated'])
    expect(d[0]?.pids).toEqual([4242])
    // 103 % of a core for 12,525 req/s = 0.082 ms of CPU per response → about 12,160 req/s from one core
    expect(d[0]?.message).toContain('the node-event-loop server (pid 4242 at 103 %) had no CPU left: an event loop runs on one thread')
    expect(d[0]?.message).toContain('0.082 ms of CPU per response, so one core serves at most about 12160 req/s')
    expect(d[0]?.message).toContain('not a short run')
  })

  it('names the workers that ran at a full core, out of how many', () => {
    const run = makeRun({ processes: [proc('master', 1, 1), proc('worker', 11, 97), proc('worker', 12, 98), proc('worker', 13, 20)] })
    const d = diagnose(run, { cores: 4 })
    expect(d.map((x) => x.code)).toEqual(['cpu-saturated'])
    expect(d[0]?.pids).toEqual([11, 12])
    expect(d[0]?.message).toContain('2 of 3 node-prefork workers were busy on the CPU the whole window (pid 11 at 97 %, pid 12 at 98 %)')
    expect(d[0]?.message).toContain('idle cores (4 here)')
  })

  it('names a proxy out of CPU as what set the pace', () => {
    const run = makeRun({ processes: [proc('proxy', 7, 99), proc('worker', 11, 30)] })
    run.engines = { server: 'gunicorn', proxy: 'nginx' }
    expect(diagnose(run, { cores: 4 })[0]?.message).toContain('the proxy nginx (pid 7 at 99 %) had no CPU left')
  })

  it('finds every core busy when servers and client together fill the machine: 4 workers at 45 % + client 15 % on 2 cores', () => {
    // 180 % + 15 % = 195 % of 200 %: no process is at a full core, but the machine is
    const run = makeRun({ processes: [11, 12, 13, 14].map((pid) => proc('worker', pid, 45)), loadGenerator: { cpuPercent: { mean: 15, max: 20 } } })
    const d = diagnose(run, { cores: 2 })
    expect(d.map((x) => x.code)).toEqual(['cores-saturated'])
    expect(d[0]?.message).toContain('all 2 cores were busy (servers 180 % + load generator 15 % of 200 %)')
  })

  it('names other processes at 150 % of a core as a busy machine, blames the model mismatch on them, and lets 40 % pass', () => {
    const run = makeRun({ connections: 32, perSecond: 394 })
    run.otherCpuPercent = 150
    run.prediction = { perSecond: 638, meanMs: 50.2 }
    const d = diagnose(run, { cores: 2 })
    expect(d.map((x) => x.code)).toEqual(['machine-busy'])
    expect(d[0]?.message).toContain('other processes on this machine used 150 % of a core while the level ran')
    const w = warningsFor(run, 0, { cores: 2 })
    expect(w.map((x) => x.code)).toContain('machine-busy')
    expect(w.find((x) => x.code === 'model-mismatch')?.message).toContain('Likely cause, from the data: other processes on this machine used 150 %')
    run.otherCpuPercent = 40
    expect(codes(run)).toEqual([])
  })

  it('does not call 4 workers at 45 % busy on a 4-core machine', () => {
    expect(codes(makeRun({ processes: [11, 12, 13, 14].map((pid) => proc('worker', pid, 45)) }), 4)).toEqual([])
  })

  it('flags a load generator above 85 % of a core', () => {
    expect(codes(makeRun({ loadGenerator: { cpuPercent: { mean: 92, max: 99 } } }))).toEqual(['client-saturated'])
  })

  it('calls a 1.5 s window too short to trust, and says which rule it broke', () => {
    const run = makeRun()
    run.window = { warmupS: 1, measuredS: 1.5, definition: '' }
    const d = diagnose(run, { cores: 2 })
    expect(d.map((x) => x.code)).toEqual(['too-short-to-trust'])
    expect(d[0]?.message).toContain('1 whole second, fewer than the 2 a spread needs')
  })

  it('calls 645 ms requests on 64 connections over 2 s too short: 3 responses per connection', () => {
    const run = makeRun({ connections: 64, perSecond: 99, meanMs: 645 })
    run.durationS = 2
    run.requests.total = 198
    expect(diagnose(run, { cores: 2 })[0]?.message).toContain('3.1 responses per connection, fewer than 5')
  })

  it('calls a fault level with few expected events too short: 5 % hangs among 240 responses', () => {
    expect(codes(makeRun(), 2, 5)).toEqual(['too-short-to-trust'])
  })

  it('leaves a level that answered nothing to its own warning', () => {
    const run = makeRun()
    run.requests.total = 0
    run.window = { warmupS: 1, measuredS: 1.5, definition: '' }
    expect(codes(run)).toEqual([])
  })

  it('gives the diagnoses as warnings of the level', () => {
    expect(diagnosisWarnings(saturatedLoop(), 3, { cores: 2 }).map((w) => [w.code, w.run])).toEqual([['cpu-saturated', 3]])
  })
})

describe('warningsFor with the machine’s cores', () => {
  it('blames the saturated event loop, not a short run, when theory says 81,920 and the loop served 12,525', () => {
    const run = saturatedLoop()
    run.durationS = 1.5
    run.prediction = { perSecond: 81_920, meanMs: 50 }
    const without = warningsFor(run, 0).find((w) => w.code === 'model-mismatch')
    expect(without?.message).toContain('The run was short')
    const withCores = warningsFor(run, 0, { cores: 2 }).find((w) => w.code === 'model-mismatch')
    expect(withCores?.message).toContain('Likely cause, from the data: CPU saturation: the node-event-loop server (pid 4242 at 103 %)')
    expect(withCores?.message).not.toContain('The run was short')
  })
})
