/**
 * vitest global setup of the projects that start real processes (integration,
 * e2e): compiles lab/ to dist/ (`tsc -p tsconfig.build.json`) before any test
 * runs, because the built-in servers are started from dist/; without it, a
 * server edited since the last `npm run build` would be tested stale.
 * Runs once per vitest process, however many projects ask for it.
 */
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { ROOT } from '../../lab/topology/paths.js'

export default function setup(): void {
  if (process.env.LAB_TEST_BUILT === String(process.pid)) return
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' })
  process.env.LAB_TEST_BUILT = String(process.pid)
}
