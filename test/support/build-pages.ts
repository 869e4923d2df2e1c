/**
 * vitest global setup of the browser tests (e2e): builds the two pages
 * (`web/dist/index.html`, `web/dist/live.html`) from the current source, as
 * `npm run build` does, so a page edited since the last build is not tested stale.
 */
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { ROOT } from '../../lab/topology/paths.js'

export default function setup(): void {
  const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js')
  for (const mode of ['production', 'live']) {
    execFileSync(process.execPath, [vite, 'build', '--config', 'web/vite.config.ts', '--mode', mode, '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' })
  }
}
