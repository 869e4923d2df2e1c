/**
 * The CLI behind a pipe whose reader stops early (`lab list | head -2`).
 */
import { spawn } from 'node:child_process'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../../lab/topology/paths.js'

describe('lab behind a closed pipe', () => {
  it('ends with 0 and no stack trace when its reader has gone before it writes', async () => {
    const lab = spawn(process.execPath, [path.join(ROOT, 'bin/lab.js'), 'list'], { stdio: ['ignore', 'pipe', 'pipe'] })
    // the reader is gone before the first line: every write meets EPIPE
    lab.stdout.destroy()
    let stderr = ''
    lab.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const code = await new Promise<number | null>((resolve) => lab.on('close', resolve))
    expect(stderr).not.toContain('EPIPE')
    expect(code).toBe(0)
  })
})
