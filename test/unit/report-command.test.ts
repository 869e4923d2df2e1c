import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { reportCommand } from '../../lab/commands/report.js'
import { ROOT } from '../../lab/topology/paths.js'

const dir = mkdtempSync(join(tmpdir(), 'lab-report-command-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const fixture = new URL('../fixtures/results-prefork-vs-async.json', import.meta.url)

/** Runs the command with captured output. */
async function run(files: string[], opts: { out?: string } = {}) {
  let stdout = ''
  let stderr = ''
  const code = await reportCommand(files, opts, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  })
  return { code, stdout, stderr }
}

describe('reportCommand', () => {
  it('exits 2 with one line per problem when a file is missing, not JSON, or not a results document', async () => {
    writeFileSync(join(dir, 'broken.json'), '{ "schemaVersion": 1,')
    writeFileSync(join(dir, 'wrong.json'), JSON.stringify({ schemaVersion: 1, complete: 'yes' }))
    const r = await run([join(dir, 'none.json'), join(dir, 'broken.json'), join(dir, 'wrong.json')])
    expect(r.code).toBe(2)
    const lines = r.stderr.trim().split('\n')
    expect(lines[0]).toBe(`lab report: ${join(dir, 'none.json')}: no such file`)
    expect(lines[1]).toMatch(new RegExp(`^lab report: ${join(dir, 'broken.json')}: not JSON \\(`))
    expect(lines).toContain(`lab report: ${join(dir, 'wrong.json')}: complete: Invalid input: expected boolean, received string`)
    expect(r.stderr).not.toMatch(/\n\s+at /) // no stack trace
    expect(r.stdout).toBe('')
  })

  it('exits 2 when given no file', async () => {
    expect((await run([])).code).toBe(2)
  })

  it('finds the package root from its own location', () => {
    expect(existsSync(join(ROOT, 'package.json'))).toBe(true)
    expect(existsSync(join(ROOT, 'lab', 'commands', 'report.ts'))).toBe(true)
  })

  it.skipIf(!existsSync(join(ROOT, 'web', 'dist', 'index.html')))(
    'writes next to the first JSON with .html and prints the path',
    async () => {
      const json = join(dir, 'run.json')
      copyFileSync(fixture, json)
      const r = await run([json])
      expect(r).toEqual({ code: 0, stdout: `${join(dir, 'run.html')}\n`, stderr: '' })
      expect(existsSync(join(dir, 'run.html'))).toBe(true)
    },
  )
})
