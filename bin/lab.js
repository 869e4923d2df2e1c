#!/usr/bin/env node
// Entry point for `npx lab`: runs the compiled CLI (built by `npm install` via
// the `prepare` script, or by `npm run build`).
import { existsSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'

const cli = fileURLToPath(new URL('../dist/lab/cli.js', import.meta.url))
if (!existsSync(cli)) {
  process.stderr.write('lab: the CLI is not built yet; run `npm install` (or `npm run build`) in the project folder\n')
  process.exit(1)
}
await import(pathToFileURL(cli).href)
