/**
 * An open-loop scenario through the run engine end to end (lab/run/engine.ts):
 * a real pre-fork server (W = 1, 50 ms waits) under a Poisson open loop,
 * the open-loop driver picked for the open levels, the prediction from the
 * open-loop model stored beside the measurement.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runScenario } from '../../lab/run/engine.js'

const dir = mkdtempSync(path.join(os.tmpdir(), 'lab-open-run-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A scenario file in a folder named like it: one worker, 50 ms waits, 10 req/s (ρ = 0.5) then 30 req/s (1.5× capacity). */
function writeScenario(): string {
  const folder = path.join(dir, 'open-tiny')
  mkdirSync(folder)
  const scenario = {
    name: 'open-tiny',
    title: 'One worker under an open loop',
    summary: 'M/D/1 at half load, then past capacity.',
    topologies: { pool: { server: { model: 'prefork', workers: 1 } } },
    workloads: { io: { io_ms: 50, cpu_ms: 0, bytes: 256 } },
    load: { connections: [1], mode: 'open', rates: [10, 30], arrival: 'poisson', max_connections: 8, warmup_s: 1, duration_s: 40 },
  }
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n') // an ES module, as the project's scenarios are
  writeFileSync(path.join(folder, 'scenario.ts'), `export default ${JSON.stringify(scenario)}\n`)
  return folder
}

describe('an open-loop scenario through the run engine', () => {
  it('measures M/D/1 at ρ = 0.5 nearer its 75 ms from the intended start than no queueing (50 ms) or M/M/1 (100 ms), and reports the drops past capacity', async () => {
    const outcome = await runScenario({ target: writeScenario(), out: path.join(dir, 'results') })
    expect(outcome.problems).toEqual([])
    const [half, over] = outcome.doc?.runs ?? []
    // half load: 10 req/s offered, all answered, the mean from the intended send near M/D/1's S + ρS / (2(1 − ρ)) = 75 ms
    expect(half?.mode).toBe('open')
    expect(half?.openLoop?.ratePerSecond).toBe(10)
    // M/D/1 at ρ = 0.5 fills the 8 connections with probability < 1e-4, so the model drops nothing; a stall of the
    // shared 2-core machine (another test file starting 64 workers) can: 4 of ~160 once, outside CI, in a 16 s window. Past capacity
    // (below) more than a fifth is dropped, so this bound still tells the two apart.
    expect(half?.openLoop?.dropped).toBeLessThanOrEqual(0.05 * (half?.openLoop?.offered ?? 0))
    // the model is taken at the rate the generator actually offered (Poisson: near 10, rarely exactly), M/D/1: S + ρS / (2(1 − ρ))
    const offered = half?.openLoop?.offeredPerSecond as number
    expect(offered).toBeGreaterThan(7)
    expect(offered).toBeLessThan(13)
    const rho = offered * 0.05
    expect(half?.prediction?.rho).toBeCloseTo(rho, 9)
    expect(half?.prediction?.perSecond).toBeCloseTo(offered, 9)
    const mD1 = 50 + (rho * 50) / (2 * (1 - rho)) // M/D/1: S + ρS / (2(1 − ρ))
    expect(half?.prediction?.meanMs).toBeCloseTo(mD1, 6)
    // ~400 arrivals: the mean wait of a Poisson queue varies by several ms from run to run (16 s windows, ~160
    // arrivals, read 87 ms against a bound of 80 once in a full parallel `npm test`, browser tests stalling the
    // machine; 40 s windows halve both effects), so the bounds are the midpoints to the wrong models at the offered ρ
    // (no queueing: S = 50 ms; exponential service, M/M/1: S / (1 − ρ)), 62.5 and 87.5 ms at exactly 10 req/s
    const mM1 = 50 / (1 - rho)
    expect(half?.latencyMs.mean).toBeGreaterThan((50 + mD1) / 2)
    expect(half?.latencyMs.mean).toBeLessThan((mD1 + mM1) / 2)
    // 1.5× capacity: the queue fills the client's 8 connections and the rest is dropped, counted
    expect(over?.openLoop?.ratePerSecond).toBe(30)
    expect(over?.prediction?.perSecond).toBe(20) // past capacity: the pool's 20 req/s whatever was offered
    expect(over?.openLoop?.dropped).toBeGreaterThan(0.2 * (over?.openLoop?.offered ?? 0))
    expect(over?.openLoop?.answeredPerSecond).toBeLessThan(22)
    expect(over?.latencyMs.mean).toBeGreaterThan(200) // ≈ 7 waiting / 20 req/s + 50 ms once the pool is full
  }, 150_000)
})
