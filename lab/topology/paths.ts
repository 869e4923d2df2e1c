/**
 * Where the lab's files are: the package root (found from this module, so it
 * works from TypeScript sources under vitest and from dist/ alike) and the
 * compiled server programs.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

function findRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url))
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir)
    if (up === dir) throw new Error('cannot find the app-server-lab package root')
    dir = up
  }
  return dir
}

/** Absolute path of the package root (the folder holding package.json). */
export const ROOT = findRoot()

/** Folder of the compiled built-in server programs (lab/servers built into dist/). */
export const SERVERS_DIR = path.join(ROOT, 'dist', 'lab', 'servers')

/**
 * Path of a compiled built-in server program, e.g. `dist/lab/servers/prefork.js`.
 * @param dir - where the programs are (default {@link SERVERS_DIR})
 * @throws Error naming `npm run build` when it has not been built
 */
export function serverProgram(name: string, dir: string = SERVERS_DIR): string {
  const file = path.join(dir, `${name}.js`)
  if (!existsSync(file)) throw new Error(`${path.relative(ROOT, file)} is missing; run \`npm run build\` first`)
  return file
}
