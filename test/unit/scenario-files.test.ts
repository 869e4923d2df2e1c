import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { listCommand } from '../../lab/commands/list.js'
import { compiledScenario, loadScenarioFile, scenarioNames } from '../../lab/store/scenarios.js'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

/** A scenarios folder with `x/scenario.ts`, and a build folder that may hold `x/scenario.js`; mtimes in s. */
function tree(opts: { tsAt: number; jsAt?: number }) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'lab-scenario-files-'))
  dirs.push(root)
  const d = { scenarios: path.join(root, 'scenarios'), compiled: path.join(root, 'dist', 'scenarios') }
  const ts = path.join(d.scenarios, 'x', 'scenario.ts')
  const js = path.join(d.compiled, 'x', 'scenario.js')
  mkdirSync(path.dirname(ts), { recursive: true })
  writeFileSync(ts, 'export default {}\n')
  utimesSync(ts, opts.tsAt, opts.tsAt)
  if (opts.jsAt !== undefined) {
    mkdirSync(path.dirname(js), { recursive: true })
    writeFileSync(js, 'export default {}\n')
    utimesSync(js, opts.jsAt, opts.jsAt)
  }
  return { d, ts, js, root }
}

describe('scenario files', () => {
  it('imports the compiled twin of a built-in scenario when the build is as new as the source', () => {
    const { d, ts, js } = tree({ tsAt: 1_000, jsAt: 2_000 })
    expect(compiledScenario(ts, d)).toBe(js)
  })

  it('compiles a scenario edited since the build afresh instead of importing the stale build', () => {
    const { d, ts } = tree({ tsAt: 3_000, jsAt: 2_000 })
    expect(compiledScenario(ts, d)).toBeUndefined()
  })

  it('compiles a scenario that was never built, or lives outside the scenarios folder, afresh', () => {
    const unbuilt = tree({ tsAt: 1_000 })
    expect(compiledScenario(unbuilt.ts, unbuilt.d)).toBeUndefined()
    const built = tree({ tsAt: 1_000, jsAt: 2_000 })
    const own = path.join(built.root, 'mine', 'scenario.ts')
    mkdirSync(path.dirname(own), { recursive: true })
    writeFileSync(own, 'export default {}\n')
    expect(compiledScenario(own, built.d)).toBeUndefined()
  })

  it('loads a scenario file again after it is edited, and the edit shows', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lab-scenario-edit-'))
    dirs.push(dir)
    writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n') // as in the lab's package: .ts files are ES modules
    const file = path.join(dir, 'scenario.ts')
    writeFileSync(file, "const summary: string = 'before'\nexport default { summary }\n")
    utimesSync(file, 1_000, 1_000)
    expect(await loadScenarioFile(file)).toEqual({ summary: 'before' })
    writeFileSync(file, "const summary: string = 'after'\nexport default { summary }\n")
    utimesSync(file, 2_000, 2_000)
    expect(await loadScenarioFile(file)).toEqual({ summary: 'after' })
  })

  it('lists every built-in scenario with its summary', async () => {
    const out = new PassThrough()
    let text = ''
    out.on('data', (c: Buffer) => (text += c.toString()))
    expect(await listCommand(out)).toBe(0)
    const lines = text.trimEnd().split('\n')
    expect(lines.map((l) => l.split(' ')[0])).toEqual(scenarioNames())
    expect(lines.find((l) => l.startsWith('prefork-vs-async '))).toContain('Why four blocking workers cap at 80 req/s')
    expect(text).not.toMatch(/\((invalid|cannot load)/)
  })
})
