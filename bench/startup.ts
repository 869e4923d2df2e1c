/**
 * 5. start-up: `node bin/lab.js list` and `node bin/lab.js --version`, wall
 *    time of a whole process, median of 3 after one unmeasured warm-up
 *    (goal for `lab list`: median < 1 s, issue 13; `npx` adds ≈ 0.7 s of its
 *    own). `lab list` imports each built-in scenario's compiled twin from
 *    dist/ (lab/store/scenarios.ts); a scenario edited since the build is
 *    compiled by tsx instead, ≈ 0.1 s a file.
 */
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { ROOT } from '../lab/topology/paths.js'
import { median } from './stats.js'

const GOAL_S = 1

/** Wall time of one `node bin/lab.js <args>`, s. @throws Error when it fails */
function once(args: string[]): number {
  const t0 = performance.now()
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'lab.js'), ...args], { stdio: 'ignore' })
  if (r.status !== 0) throw new Error(`lab ${args.join(' ')} exited ${String(r.status ?? r.signal)}`)
  return (performance.now() - t0) / 1000
}

/** Prints each command's times and median; true when `lab list`'s median is under the goal. */
export function startup(): boolean {
  console.log('\nStart-up: wall time of a whole `node bin/lab.js` process, median of 3 after a warm-up')
  let ok = true
  for (const args of [['--version'], ['list']]) {
    once(args)
    const ts = [once(args), once(args), once(args)]
    const m = median(ts)
    const judged = args[0] === 'list'
    if (judged && m >= GOAL_S) ok = false
    const goal = judged ? `  (goal < ${GOAL_S} s) ${m < GOAL_S ? 'ok' : 'ABOVE GOAL'}` : ''
    console.log(`  lab ${args.join(' ').padEnd(10)} median ${m.toFixed(2)} s (${ts.map((t) => t.toFixed(2)).join(', ')})${goal}`)
  }
  return ok
}
