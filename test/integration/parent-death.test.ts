import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { ROOT } from '../../lab/topology/paths.js'
import { alive, waitFor } from './helpers.js'

// npx does not pass SIGTERM on (issue 13): the lab must notice its launcher is gone. The
// launcher here is a shell that starts the lab in the background, prints its pid and waits;
// the test SIGKILLs the shell, so nothing signals the lab itself.

const dirs: string[] = []
const launchers: ChildProcess[] = []
let labPid: number | undefined
let seenGroups = new Set<number>()
afterEach(async () => {
  // a failed test must leave nothing behind: SIGTERM to the lab (it stops its groups), then SIGKILL to what remains
  const lab = labPid
  if (lab !== undefined && alive(lab)) {
    process.kill(lab, 'SIGTERM')
    if (!(await waitFor(() => !alive(lab), 10_000))) process.kill(lab, 'SIGKILL')
  }
  for (const g of seenGroups) {
    try {
      process.kill(-g, 'SIGKILL')
    } catch {
      // gone already
    }
  }
  labPid = undefined
  seenGroups = new Set()
  for (const l of launchers.splice(0)) l.kill('SIGKILL')
})
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

/** `/proc/<pid>/stat` fields after the command name: [state, ppid, pgrp, ...] (proc(5)). */
function stat(pid: number): string[] | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'latin1')
    return s.slice(s.lastIndexOf(')') + 2).split(' ')
  } catch {
    return undefined // gone
  }
}

/** Every live (not zombie) process as [pid, ppid, pgid]. */
function processTable(): Array<[number, number, number]> {
  const rows: Array<[number, number, number]> = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    const f = stat(Number(name))
    if (f && f[0] !== 'Z') rows.push([Number(name), Number(f[1]), Number(f[2])])
  }
  return rows
}

/**
 * The process groups of the servers the lab started (each leads a group of its own), from the
 * process table; never the lab's own group, which is its launcher's (here, the test runner's).
 */
function groupsOf(lab: number): Set<number> {
  const own = Number(stat(lab)?.[2])
  const groups = new Set(processTable().filter(([, ppid, pgid]) => ppid === lab && pgid !== own).map(([, , pgid]) => pgid))
  for (const g of groups) seenGroups.add(g)
  return groups
}

/** Pids still alive in any of `groups`, or the lab itself. */
function leftOver(lab: number, groups: Set<number>): number[] {
  return processTable()
    .filter(([pid, , pgid]) => pid === lab || groups.has(pgid))
    .map(([pid]) => pid)
}

/** Starts `node bin/lab.js <args>` in the background of a shell in `cwd`; resolves with the shell, the lab's pid and its output so far. */
async function launch(args: string[], cwd: string): Promise<{ shell: ChildProcess; lab: number; stdout: () => string; stderr: () => string }> {
  const shell = spawn('/bin/sh', ['-c', '"$LAB_NODE" "$LAB_BIN" "$@" & echo "lab-pid $!"; wait', 'launcher', ...args], {
    cwd,
    env: { ...process.env, LAB_NODE: process.execPath, LAB_BIN: path.join(ROOT, 'bin', 'lab.js') },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  launchers.push(shell)
  let stdout = ''
  let stderr = ''
  shell.stdout?.on('data', (c: Buffer) => (stdout += c.toString()))
  shell.stderr?.on('data', (c: Buffer) => (stderr += c.toString()))
  expect(await waitFor(() => /lab-pid \d+/.test(stdout), 5000)).toBe(true)
  const lab = Number(/lab-pid (\d+)/.exec(stdout)?.[1])
  labPid = lab
  return { shell, lab, stdout: () => stdout, stderr: () => stderr }
}

/** Kills the launcher with SIGKILL (it can pass nothing on) and waits until it is gone. */
async function killLauncher(shell: ChildProcess): Promise<void> {
  const gone = new Promise((r) => shell.once('exit', r))
  shell.kill('SIGKILL')
  await gone
}

function post(port: number, p: string, body: unknown): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: p, method: 'POST', headers: { 'Content-Type': 'application/json' } }, (res) => {
      let data = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (data += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(data) }))
    })
    req.on('error', reject)
    req.end(JSON.stringify(body))
  })
}

describe('the lab when the process that started it dies', () => {
  it('stops a run as on SIGTERM, keeps what it measured and leaves no process of the run within 5 s', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'lab-parent-death-'))
    dirs.push(out)
    const { shell, lab, stderr } = await launch(['run', 'prefork-vs-async', '--quick', '--out', out], out)
    const resultsDir = path.join(out, 'prefork-vs-async')
    const results = () => (existsSync(resultsDir) ? readdirSync(resultsDir).find((n) => n.endsWith('.json')) : undefined)
    // the file appears after the first measured level; the pre-fork topology is still up for the next
    expect(await waitFor(() => results() !== undefined, 30_000)).toBe(true)
    const groups = groupsOf(lab)
    const doc = JSON.parse(readFileSync(path.join(resultsDir, results() as string), 'utf8'))
    const recorded: number[] = doc.runs.flatMap((r: { processes: Array<{ pid: number }> }) => r.processes.map((p) => p.pid))
    expect(recorded.length).toBeGreaterThanOrEqual(5) // master + 4 workers
    expect(groups.size).toBeGreaterThanOrEqual(1) // the pre-fork master's group

    await killLauncher(shell)
    expect(await waitFor(() => leftOver(lab, groups).length === 0 && !recorded.some(alive), 5000)).toBe(true)
    expect(stderr()).toContain('is gone; stopping as on SIGTERM')
    const saved = JSON.parse(readFileSync(path.join(resultsDir, results() as string), 'utf8'))
    expect(saved.complete).toBe(false)
    expect(saved.runs.length).toBeGreaterThanOrEqual(1)
  })

  it('takes a SIGTERM and then its launcher’s death as one request to stop, not two (as under `timeout`)', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'lab-parent-death-'))
    dirs.push(out)
    const { shell, lab, stderr } = await launch(['run', 'prefork-vs-async', '--quick', '--out', out], out)
    const resultsDir = path.join(out, 'prefork-vs-async')
    expect(await waitFor(() => existsSync(resultsDir) && readdirSync(resultsDir).some((n) => n.endsWith('.json')), 30_000)).toBe(true)
    const groups = groupsOf(lab)
    process.kill(lab, 'SIGTERM') // `timeout` signals its whole process group: npx and the lab alike
    await killLauncher(shell)
    expect(await waitFor(() => leftOver(lab, groups).length === 0, 8000)).toBe(true)
    // stopped the slow way (levels saved, report written), not quit at once as on a second signal
    expect(stderr()).toContain('Interrupted; what was measured is saved (complete: false).')
    expect(readdirSync(resultsDir).some((n) => n.endsWith('.html'))).toBe(true)
  })

  it('stops the demo and the run it was serving within 5 s', async () => {
    expect(existsSync(path.join(ROOT, 'web', 'dist', 'live.html')), 'web/dist/live.html is missing: run `npm run build`').toBe(true)
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'lab-parent-death-demo-'))
    dirs.push(cwd) // the demo saves to ./results
    const { shell, lab, stdout, stderr } = await launch(['demo', '--port', '0'], cwd)
    expect(await waitFor(() => /Live demo: http:\/\/127\.0\.0\.1:\d+\//.test(stdout()), 15_000)).toBe(true)
    const port = Number(/127\.0\.0\.1:(\d+)\//.exec(stdout())?.[1])
    const started = await post(port, '/api/runs', { scenario: 'prefork-vs-async', quick: true, workloads: ['io-bound'], knobs: { 'load.duration_s': 20 } })
    expect(started.status).toBe(202)
    // the run's servers are children of the lab, each leading its own group
    let groups = new Set<number>()
    expect(
      await waitFor(() => {
        groups = groupsOf(lab)
        return groups.size >= 1
      }, 15_000),
    ).toBe(true)

    await killLauncher(shell)
    expect(await waitFor(() => leftOver(lab, groups).length === 0, 5000)).toBe(true)
    expect(stderr()).toContain('is gone; stopping as on SIGTERM')
  })
})
