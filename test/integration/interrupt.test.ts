import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ROOT } from '../../lab/topology/paths.js'
import { alive, waitFor } from './helpers.js'

const out = mkdtempSync(path.join(os.tmpdir(), 'lab-interrupt-'))
afterAll(() => rmSync(out, { recursive: true, force: true }))

function resultsFile(): string | undefined {
  const dir = path.join(out, 'prefork-vs-async')
  if (!existsSync(dir)) return undefined
  const f = readdirSync(dir).find((n) => n.endsWith('.json'))
  return f ? path.join(dir, f) : undefined
}

describe('lab run interrupted with SIGINT', () => {
  it('stops every server process and keeps what it measured, marked incomplete', async () => {
    const lab = spawn(process.execPath, [path.join(ROOT, 'bin/lab.js'), 'run', 'prefork-vs-async', '--quick', '--out', out], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    lab.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    const exited = new Promise<number | null>((r) => lab.once('exit', (code) => r(code)))
    // the file appears after the first measured level
    expect(await waitFor(() => resultsFile() !== undefined, 20_000)).toBe(true)
    lab.kill('SIGINT')
    expect(await exited).toBe(130)
    expect(stderr).toContain('SIGINT: stopping')
    const doc = JSON.parse(readFileSync(resultsFile() as string, 'utf8'))
    expect(doc.complete).toBe(false)
    expect(doc.runs.length).toBeGreaterThanOrEqual(1)
    const pids: number[] = doc.runs.flatMap((r: { processes: Array<{ pid: number }> }) => r.processes.map((p) => p.pid))
    expect(pids.length).toBeGreaterThanOrEqual(5) // master + 4 workers
    for (const pid of pids) expect(await waitFor(() => !alive(pid), 3000)).toBe(true)
  })
})
