/**
 * `lab calibrate` on real servers: it measures a scenario's calibrations into
 * the cache (here a folder of the test's own, through LAB_CACHE_DIR), saves
 * no results, leaves no server running, and reads the cache the second time.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ROOT } from '../../lab/topology/paths.js'

const dir = mkdtempSync(path.join(os.tmpdir(), 'lab-calibrate-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** `lab calibrate ARGS` in `dir`, with the cache in `dir/cache`. */
function calibrate(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const lab = spawn(process.execPath, [path.join(ROOT, 'bin/lab.js'), 'calibrate', ...args], { cwd: dir, env: { ...process.env, LAB_CACHE_DIR: path.join(dir, 'cache') }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  lab.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  lab.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  return new Promise((resolve) => lab.on('close', (code) => resolve({ code, stdout, stderr })))
}

describe('lab calibrate', () => {
  it("measures a scenario's calibrations into the cache once, saves no results, and reads the cache the next time", async () => {
    const first = await calibrate(['blocked-event-loop', '--quick'])
    expect(first.stderr).toContain('calibrating node-event-loop')
    expect(first.code).toBe(0)
    expect(first.stdout).toMatch(/^blocked-event-loop:\n/)
    expect(first.stdout).toMatch(/^ {2}node-event-loop \S+ +server [\d.]+ ms, load generator [\d.]+ ms .*measured now\)$/m)
    expect(first.stdout).not.toContain('CPU placement')
    const cache = JSON.parse(readFileSync(path.join(dir, 'cache', 'calibration.json'), 'utf8')) as unknown
    expect(JSON.stringify(cache)).toContain('node-event-loop')
    // no level measured, nothing saved
    expect(existsSync(path.join(dir, 'results'))).toBe(false)

    const second = await calibrate(['blocked-event-loop', '--quick'])
    expect(second.code).toBe(0)
    expect(second.stderr).not.toContain('calibrating node-event-loop')
    expect(second.stdout).toContain('cached')
  })

  it('refuses an unknown scenario with exit code 2', async () => {
    const r = await calibrate(['no-such-scenario'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('no-such-scenario')
  })
})
