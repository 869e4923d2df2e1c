/**
 * SIGHUP to the lab (its terminal closed): `lab run` and `lab demo` stop as on
 * SIGTERM, and every server they started is gone within 5 s. The servers run
 * in process groups of their own, so the hang-up never reaches them: only the
 * lab can stop them (lab/cli.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { ROOT } from '../../lab/topology/paths.js'
import { childrenOf, groupMembers } from '../../lab/topology/proc.js'
import { waitFor } from './helpers.js'

const dirs: string[] = []
let lab: ChildProcess | undefined
let groups = new Set<number>()
afterEach(() => {
  // a failed test leaves nothing behind
  lab?.kill('SIGKILL')
  for (const g of groups) for (const pid of groupMembers(g)) process.kill(pid, 'SIGKILL')
  lab = undefined
  groups = new Set()
})
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

/** Starts `node bin/lab.js <args>` in a temp folder; resolves with its output so far and its exit code. */
function start(args: string[]) {
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'lab-hangup-'))
  dirs.push(cwd)
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'lab.js'), ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
  lab = child
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  return { child, pid: child.pid as number, exited, stdout: () => stdout, stderr: () => stderr }
}

const leftOver = () => [...groups].flatMap(groupMembers)

/** Waits until the lab has started a pre-fork server with its workers (a child leading its own group, 2 processes or more); records the groups. */
async function serversOf(pid: number): Promise<boolean> {
  return waitFor(() => {
    for (const c of childrenOf(pid)) groups.add(c) // each server leads a group whose id is its pid
    return leftOver().length >= 2
  }, 30_000)
}

describe('the lab on SIGHUP', () => {
  it('stops a run as on SIGTERM, exits 129 and leaves no server process within 5 s', async () => {
    const run = start(['run', 'prefork-vs-async', '--quick', '--topology', 'prefork', '--out', 'results'])
    expect(await serversOf(run.pid)).toBe(true)
    run.child.kill('SIGHUP')
    expect(await run.exited).toBe(129)
    expect(run.stderr()).toContain('SIGHUP: stopping')
    expect(await waitFor(() => leftOver().length === 0, 5000)).toBe(true)
  })

  it('stops the demo, with the run it was serving, and exits 0', async () => {
    const demo = start(['demo', '--port', '0'])
    expect(await waitFor(() => /Live demo: http:\/\/127\.0\.0\.1:\d+\//.test(demo.stdout()), 15_000)).toBe(true)
    const port = Number(/127\.0\.0\.1:(\d+)\//.exec(demo.stdout())?.[1])
    const res = await fetch(`http://127.0.0.1:${port}/api/runs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ scenario: 'prefork-vs-async', quick: true, workloads: ['io-bound'], knobs: { 'load.duration_s': 20 } }),
    })
    expect(res.status).toBe(202)
    expect(await serversOf(demo.pid)).toBe(true)
    demo.child.kill('SIGHUP')
    expect(await demo.exited).toBe(0)
    expect(demo.stderr()).toContain('SIGHUP: stopping the demo')
    expect(await waitFor(() => leftOver().length === 0, 5000)).toBe(true)
  })
})
