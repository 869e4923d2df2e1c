/**
 * The Python apps read the workload contract's bounds from the same file as
 * the lab (lab/contract/bounds.json): /usr/bin/python3, which runs Debian's
 * engines, imports lab/apps/workload.py and reports its limits and defaults.
 * Without python3 the test skips outside CI and fails under CI (test/support/tools.ts).
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { expect, it } from 'vitest'
import { DEFAULTS, LIMITS } from '../../lab/contract/workload.js'
import { ROOT } from '../../lab/topology/paths.js'
import { needs } from '../support/tools.js'

const PYTHON = '/usr/bin/python3'
const python = { name: 'python3', found: existsSync(PYTHON), packages: ['python3'], path: PYTHON, problem: `no ${PYTHON}` }

needs(python).describe('the Python apps', () => {
  it("take their limits and defaults from lab/contract/bounds.json, as the lab's schema and servers do", () => {
    const script = 'import json, workload; print(json.dumps({"limits": workload.LIMITS, "defaults": workload.DEFAULTS}))'
    const out = execFileSync(PYTHON, ['-I', '-c', `import sys; sys.path.insert(0, ${JSON.stringify(path.join(ROOT, 'lab', 'apps'))}); sys.dont_write_bytecode = True; ${script}`], {
      encoding: 'utf8',
      timeout: 10_000,
    })
    expect(JSON.parse(out)).toEqual({ limits: LIMITS, defaults: DEFAULTS })
  })

  it('route leak_kb as the built-in servers do and keep what a request leaked for as long as the process lives', () => {
    const script = [
      'import json, workload, serving',
      'rss = lambda: int([l for l in open("/proc/self/status") if l.startswith("VmRSS")][0].split()[1])',
      'before = rss()',
      '[serving.work(0, 0, 10, 0, 0, 1024) for _ in range(20)]',
      'print(json.dumps({"route": workload.route("GET", "/work", "leak_kb=512"), "over": workload.route("GET", "/work", "leak_kb=10241")[1], "grew_kb": rss() - before}))',
    ].join('\n')
    const out = execFileSync(PYTHON, ['-I', '-c', `import sys; sys.path.insert(0, ${JSON.stringify(path.join(ROOT, 'lab', 'apps'))}); sys.dont_write_bytecode = True\n${script}`], { encoding: 'utf8', timeout: 10_000 })
    const seen = JSON.parse(out) as { route: unknown[]; over: number; grew_kb: number }
    expect(seen.route).toEqual(['work', DEFAULTS.io_ms, DEFAULTS.cpu_ms, DEFAULTS.bytes, 0, 0, 512])
    expect(seen.over).toBe(400)
    // 20 requests × 1024 KiB leaked, every page touched
    expect(seen.grew_kb).toBeGreaterThan(19 * 1024)
  })
  it('fault one request in every 100 / pct after a first at half to one and a half spacings, as the built-in servers do', () => {
    const script =
      'import json, workload; print(json.dumps([sum(workload.chance(p, k) for _ in range(1000)) for p, k in ((5, "hang"), (100, "crash"), (0, "hang"), (2.5, "crash"))]))'
    const out = execFileSync(PYTHON, ['-I', '-c', `import sys; sys.path.insert(0, ${JSON.stringify(path.join(ROOT, 'lab', 'apps'))}); sys.dont_write_bytecode = True; ${script}`], { encoding: 'utf8', timeout: 10_000 })
    const [five, all, none, twoAndAHalf] = JSON.parse(out) as number[]
    // 5 %: the first 10 to 30 requests in, then every 20th: 49 or 50 in 1,000; 2.5 %: 20 to 60 in, then every 40th: 24 or 25
    expect([49, 50]).toContain(five)
    expect(all).toBe(1000)
    expect(none).toBe(0)
    expect([24, 25]).toContain(twoAndAHalf)
  })
})
