#!/usr/bin/env node
/**
 * npm's `prepare` step: `npm run build`, unless the build is already newer
 * than every file it is made from.
 *
 * Why: `npx lab` inside the project makes npm 11's `npm exec` install the
 * project itself as a local package, and installing a folder runs its
 * `prepare` again (npm docs, "npm-scripts", "prepare"). On the project's
 * 2-core machine that rebuild added 13–18 s to a newcomer's first
 * `npx lab run prefork-vs-async --quick`, right after `npm install` had built it.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
/** What the build writes (package.json `build`). */
const outputs = ['dist/lab/cli.js', 'web/dist/index.html', 'web/dist/live.html']
/** What the build reads: tsconfig.build.json's `include`, the report's sources and the configuration. */
const sources = ['lab', 'bench', 'scenarios', 'web/src', 'web/index.html', 'web/live.html', 'web/vite.config.ts', 'tsconfig.base.json', 'tsconfig.build.json', 'tsconfig.lab.json', 'package.json', 'package-lock.json']

/** The newest modification time under `p` (a file or a folder), ms; 0 when it is missing. */
function newest(p) {
  if (!existsSync(p)) return 0
  const s = statSync(p)
  if (!s.isDirectory()) return s.mtimeMs
  return readdirSync(p).reduce((m, name) => Math.max(m, newest(path.join(p, name))), s.mtimeMs)
}

const built = Math.min(...outputs.map((f) => (existsSync(path.join(root, f)) ? statSync(path.join(root, f)).mtimeMs : 0)))
const changed = Math.max(...sources.map((s) => newest(path.join(root, s))))
if (built > 0 && built >= changed) {
  process.stdout.write('prepare: the build is newer than its sources; not building again (npm run build forces it)\n')
} else {
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' })
}
