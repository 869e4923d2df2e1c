/**
 * Calibration (lab/run/calibrate.ts) on a fake topology, driver and /proc
 * sampler: CPU per response from a hello-world level, measured once per
 * machine, engine, version and settings, cached in a file
 * (lab/store/calibration.ts), measured again on a version change or --recalibrate.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { TopologyDef } from '../../lab/core/scenario.js'
import { FakeDriver } from '../../lab/load/fake.js'
import { calibrateTopology, calibrationConnections, CALIBRATION_COMPLETIONS_PER_CONNECTION, calibrationWindowS, machineKey, MAX_CALIBRATION_WINDOW_S, modelCalibration, type CalibrationContext } from '../../lab/run/calibrate.js'
import { cacheDir, cacheFile, CALIBRATION_MAX_AGE_MS, calibrationKey, readCalibration, writeCalibration } from '../../lab/store/calibration.js'
import type { Sampler } from '../../lab/topology/sampler.js'
import type { RunningTopology } from '../../lab/topology/topology.js'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

const prefork: TopologyDef = { server: { model: 'prefork', workers: 4, timeout_s: 30, backlog: 2048, limit_concurrency: 8 } }

/** A calibration context whose level answers 2,000 req/s with the server at 60 % and the client at 40 % of a core. */
function context(over: Partial<CalibrationContext> = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lab-cal-'))
  dirs.push(dir)
  const started: TopologyDef[] = []
  const start = async (id: string, def: TopologyDef): Promise<RunningTopology> => {
    started.push(def)
    return { id, url: 'http://127.0.0.1:1', engines: { server: 'node-prefork', proxy: null }, processes: () => [{ pid: 101, role: 'master' }, { pid: 102, role: 'worker' }], events: () => [], stop: async () => {} }
  }
  const usage = (cpu: number) => ({ cpuPercent: { mean: cpu, max: cpu }, rssBytes: { mean: 0, max: 0 } })
  const sampler = { watch: () => {}, tick: () => {}, usage: (pid: number) => usage(pid === 101 ? 10 : 50), selfUsage: () => usage(40) } as unknown as Sampler
  const driver = new FakeDriver(() => 2000)
  const ctx: CalibrationContext = {
    stack: 'node',
    machine: machineKey({ hostname: 'lab-vm', cpuModel: 'Xeon', cores: 2 }),
    versions: {},
    recalibrate: false,
    driver,
    sampler,
    start,
    runDir: dir,
    cacheFile: path.join(dir, 'calibration.json'),
    seen: new Map(),
    ...over,
  }
  return { ctx, started, driver }
}

describe('calibrateTopology', () => {
  it('turns the hello-world level into CPU ms per response: (10 + 50) % for 2,000 req/s is 0.3 ms; the client’s 40 % is 0.2 ms', async () => {
    const { ctx, started, driver } = context()
    const c = await calibrateTopology(prefork, ctx)
    expect(c.server).toMatchObject({ engine: 'node-prefork', settings: 'model=prefork workers=4 io_ms=1', source: 'measured' })
    expect(c.server.serverMsPerRequest).toBeCloseTo(0.3, 12)
    expect(c.server.clientMsPerRequest).toBeCloseTo(0.2, 12)
    // then two levels of one connection: a request with no work, and one that waits 10 ms (the fake answers both in 1 / 2,000 s)
    expect(driver.requests.slice(1).map((r) => [r.connections, r.url])).toEqual([
      [1, 'http://127.0.0.1:1/work?io_ms=0&cpu_ms=0&bytes=1024'],
      [1, 'http://127.0.0.1:1/work?io_ms=10&cpu_ms=0&bytes=1024'],
    ])
    expect(c.server.latency).toEqual({ baseMs: 0.5, timerOvershootMs: -10 })
    // a window of 125 responses per connection is long enough: one topology
    expect(started).toHaveLength(1)
    // the round trip less the server CPU; an overshoot below 0 counts as none
    expect(modelCalibration(c)).toEqual({ serverMsPerRequest: c.server.serverMsPerRequest, clientMsPerRequest: c.server.clientMsPerRequest, clientDelayMs: 0.5 - c.server.serverMsPerRequest, timerOvershootMs: 0 })
    // on the engine's own settings, less what sheds load, and on enough connections to keep every worker busy
    expect(started[0]?.server.limit_concurrency).toBeUndefined()
    expect(driver.requests[0]).toMatchObject({ connections: 16, url: 'http://127.0.0.1:1/work?io_ms=1&cpu_ms=0&bytes=1024' })
  })

  it('reads it from the cache the next time, without measuring', async () => {
    const first = context()
    await calibrateTopology(prefork, first.ctx)
    const again = context({ cacheFile: first.ctx.cacheFile })
    const c = await calibrateTopology(prefork, again.ctx)
    expect(c.server.source).toBe('cache')
    expect(again.driver.requests).toHaveLength(0)
    expect(c.server.serverMsPerRequest).toBeCloseTo(0.3, 12)
  })

  it('measures again when the engine’s version changes, and keeps both in the cache', async () => {
    const first = context()
    await calibrateTopology(prefork, first.ctx)
    const upgraded = context({ cacheFile: first.ctx.cacheFile, versions: { 'node-prefork': '0.2.0' } })
    const c = await calibrateTopology(prefork, upgraded.ctx)
    expect(c.server).toMatchObject({ version: '0.2.0', source: 'measured' })
    // the CPU level and the two one-connection levels
    expect(upgraded.driver.requests).toHaveLength(3)
    const file = JSON.parse(readFileSync(first.ctx.cacheFile as string, 'utf8'))
    expect(Object.keys(file.entries)).toHaveLength(2)
  })

  it('measures again with --recalibrate, and for other settings (64 workers)', async () => {
    const first = context()
    await calibrateTopology(prefork, first.ctx)
    const forced = context({ cacheFile: first.ctx.cacheFile, recalibrate: true })
    expect((await calibrateTopology(prefork, forced.ctx)).server.source).toBe('measured')
    const wide = context({ cacheFile: first.ctx.cacheFile })
    const c = await calibrateTopology({ server: { ...prefork.server, workers: 64 } }, wide.ctx)
    expect(c.server).toMatchObject({ settings: 'model=prefork workers=64 io_ms=1', source: 'measured' })
    expect(wide.driver.requests[0]?.connections).toBe(128)
  })

  it('measures each calibration once per run, however many topologies share it', async () => {
    const { ctx, driver } = context()
    await calibrateTopology(prefork, ctx)
    await calibrateTopology(prefork, { ...ctx, recalibrate: true })
    expect(driver.requests).toHaveLength(3)
  })
})

describe('calibrationConnections', () => {
  it('keeps every slot of a pool busy: twice the workers × threads, 16 to 512, whatever the ladder', () => {
    expect(calibrationConnections({ model: 'prefork', workers: 4 })).toBe(16)
    expect(calibrationConnections({ model: 'prefork', workers: 64 }, 10_000)).toBe(128)
    expect(calibrationConnections({ model: 'prefork', workers: 64, threads: 8 })).toBe(512)
  })

  it('calibrates an event loop near the largest level it will serve: 64, 1,024, 4,096 or 10,000 connections', () => {
    expect(calibrationConnections({ model: 'event-loop', workers: 1 })).toBe(64)
    expect(calibrationConnections({ model: 'event-loop', workers: 1 }, 32)).toBe(64)
    expect(calibrationConnections({ model: 'event-loop', workers: 1 }, 300)).toBe(1024)
    expect(calibrationConnections({ model: 'event-loop', workers: 1 }, 10_000)).toBe(10_000)
  })

  it('calibrates an event loop that closes every connection like a small pool, on 16', () => {
    // it accepts one connection per turn of its loop: at 64 connections it measured its accept queue (804 req/s), at 16 its CPU
    expect(calibrationConnections({ model: 'event-loop', workers: 1, keepAlive: false }, 1024)).toBe(16)
  })

  it('keeps each connection count’s calibration apart', async () => {
    const { ctx } = context()
    const loop: TopologyDef = { server: { model: 'event-loop', workers: 1, timeout_s: 30, backlog: 2048 } }
    const small = await calibrateTopology(loop, ctx, 32)
    const large = await calibrateTopology(loop, ctx, 10_000)
    expect([small.server.settings, large.server.settings]).toEqual(['model=event-loop connections=64', 'model=event-loop connections=10000'])
  })
})

describe('the calibration cache', () => {
  it('lives in $LAB_CACHE_DIR, else $XDG_CACHE_HOME/app-server-lab, else ~/.cache/app-server-lab', () => {
    expect(cacheDir({ LAB_CACHE_DIR: '/tmp/x' })).toBe('/tmp/x')
    expect(cacheDir({ XDG_CACHE_HOME: '/var/cache/me' })).toBe('/var/cache/me/app-server-lab')
    expect(cacheDir({ XDG_CACHE_HOME: 'relative' })).toBe(path.join(os.homedir(), '.cache', 'app-server-lab'))
    expect(cacheFile({})).toBe(path.join(os.homedir(), '.cache', 'app-server-lab', 'calibration.json'))
  })

  it('names a calibration by machine, engine, version and settings, and finds nothing in a missing or foreign file', () => {
    const key = { machine: 'm', engine: 'uvicorn', version: '0.17.6', settings: 'model=event-loop' }
    expect(calibrationKey(key)).toBe('m | uvicorn | 0.17.6 | model=event-loop')
    expect(readCalibration(key, '/nonexistent/calibration.json')).toBeUndefined()
  })

  it('stands for two hours after it was measured, then is measured again', async () => {
    const { ctx } = context()
    const c = await calibrateTopology(prefork, ctx)
    const key = { machine: ctx.machine, engine: 'node-prefork', version: c.server.version, settings: c.server.settings }
    const at = Date.parse(c.server.measuredAt)
    expect(CALIBRATION_MAX_AGE_MS).toBe(7_200_000)
    expect(readCalibration(key, ctx.cacheFile, at + CALIBRATION_MAX_AGE_MS)).toMatchObject({ source: 'cache', serverMsPerRequest: c.server.serverMsPerRequest })
    expect(readCalibration(key, ctx.cacheFile, at + CALIBRATION_MAX_AGE_MS + 1)).toBeUndefined()
    writeCalibration(key, { ...c.server, measuredAt: 'yesterday' }, ctx.cacheFile)
    expect(readCalibration(key, ctx.cacheFile, at)).toBeUndefined()
  })
})

describe('calibrationWindowS', () => {
  it('keeps a window that holds 10 responses per connection, twice a level’s 5', () => {
    expect(CALIBRATION_COMPLETIONS_PER_CONNECTION).toBe(10)
    // 2,000 req/s on 16 connections for 1 s: 125 each
    expect(calibrationWindowS(2000, 1, 16)).toBeUndefined()
    expect(calibrationWindowS(10 * 10_000, 1, 10_000)).toBeUndefined()
  })

  it('asks for a longer window, with the planning margin, when the first held fewer', () => {
    // 8,866 req/s on 10,000 connections: 10 each take 11.3 s, × 1.25 = 14.1 s, capped at 13
    expect(calibrationWindowS(8866, 1, 10_000)).toBe(MAX_CALIBRATION_WINDOW_S)
    // 13,000 req/s on 4,096: 3.15 s, × 1.25 = 3.9 s, so 4
    expect(calibrationWindowS(13_000, 1, 4096)).toBe(4)
    // 11,000 req/s on 1,024: 10,240 wanted, 11,000 held
    expect(calibrationWindowS(11_000, 1, 1024)).toBeUndefined()
  })

  it('leaves a window that answered nothing to the caller (no rate to size a second one from)', () => {
    expect(calibrationWindowS(0, 1, 10_000)).toBeUndefined()
  })
})

describe('a calibration on 10,000 connections', () => {
  it('measures a second, longer window and keeps only that one when the first held under 10 responses per connection', async () => {
    // the first window's heap and sockets are new: it reads slower than the second
    const driver = new FakeDriver((req) => (req.connections === 1 ? 2000 : req.durationS > 1 ? 11_000 : 8866))
    const { ctx, started } = context({ driver })
    const loop: TopologyDef = { server: { model: 'event-loop', workers: 1, timeout_s: 30, backlog: 2048 } }
    const c = await calibrateTopology(loop, ctx, 10_000)
    // the longer window runs on a fresh topology, as every level does
    expect(started).toHaveLength(2)
    expect(driver.requests.map((r) => [r.connections, r.durationS])).toEqual([
      [10_000, 1],
      [10_000, 13],
      [1, 0.5],
      [1, 0.5],
    ])
    expect(c.server.level).toMatchObject({ connections: 10_000, seconds: 13, perSecond: 11_000 })
    // (10 + 50) % of a core at 11,000 req/s
    expect(c.server.serverMsPerRequest).toBeCloseTo(600 / 11_000, 12)
  })
})
