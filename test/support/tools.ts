/**
 * Tests that need something from the machine (a real engine, Chromium) ask
 * for it through {@link needs}, so a missing tool is never silent:
 *
 * - found: the tests run;
 * - missing, `CI` unset: the tests are skipped, and one line per missing
 *   tool on stderr says what to install (`apt-get install -y ...`);
 * - missing, `CI` set: each suite that needed it is one failing test whose
 *   error names the missing tool and its apt-get command, so a CI image
 *   without the Debian packages fails loudly instead of passing on fewer tests.
 *
 * Engines are found the way the lab finds them (the detect functions in
 * lab/engines, which honour `LAB_ENGINE_PATH`), so `LAB_ENGINE_PATH=/nonexistent`
 * shows what a machine without them sees.
 */
import { describe, it, type TestFunction } from 'vitest'
import type { AppName, EngineName } from '../../lab/core/vocabulary.js'
import { findExecutable, searchPathOf } from '../../lab/engines/common.js'
import { APPS, ENGINES, detectApp, packagesOf } from '../../lab/engines/registry.js'

/** Something a test needs, as the lab's detect functions report an engine. */
export interface Tool {
  /** e.g. `gunicorn`, `nginx`, `chromium`. */
  name: string
  found: boolean
  /** The Debian packages that provide it. */
  packages: readonly string[]
  /** Why it counts as missing (e.g. `no gunicorn in /usr/sbin:/usr/bin`). */
  problem?: string
  /** The executable, when found. */
  path?: string
}

/** `describe` and `it` that honour what their tests need (see the module comment). */
export interface Needing {
  /** Whether every tool needed is found. */
  readonly found: boolean
  describe(title: string, body: () => void): void
  it(title: string, fn: TestFunction): void
}

/** Whether this is a CI run (`CI` set to anything but an empty string, `0` or `false`). */
export function underCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false'
}

/**
 * The one line saying what is missing and how to install it, e.g.
 * `gunicorn is missing (no gunicorn in /nonexistent); install it with: apt-get install -y gunicorn`.
 */
export function missingLine(missing: readonly Tool[]): string {
  const names = missing.map((t) => t.name).join(', ')
  const problems = missing.flatMap((t) => (t.problem ? [t.problem] : []))
  const packages = [...new Set(missing.flatMap((t) => t.packages))]
  const several = missing.length > 1
  return (
    `${names} ${several ? 'are' : 'is'} missing${problems.length ? ` (${problems.join('; ')})` : ''}; ` +
    `install ${several ? 'them' : 'it'} with: apt-get install -y ${packages.join(' ')}`
  )
}

const told = new Set<string>()

/**
 * What a group of tests needs from the machine.
 * @param tools - what the tests need (an `EngineInfo` from lab/engines fits)
 * @returns `describe` and `it` that run, skip (outside CI, saying what to install) or fail (under CI)
 */
export function needs(...tools: Tool[]): Needing {
  const missing = tools.filter((t) => !t.found)
  if (missing.length === 0) return { found: true, describe, it: (title, fn) => it(title, fn) }
  const line = missingLine(missing)
  if (underCi()) {
    const fail = () => {
      throw new Error(`${line}. CI is set, so a missing tool fails the tests that need it instead of skipping them.`)
    }
    return {
      found: false,
      describe: (title) => describe(title, () => it(`has ${missing.map((t) => t.name).join(' and ')} installed`, fail)),
      it: (title) => it(title, fail),
    }
  }
  for (const t of missing.filter((m) => !told.has(m.name))) {
    told.add(t.name)
    console.warn(`skipped: ${missingLine([t])}`)
  }
  return { found: false, describe: (title, body) => describe.skip(title, body), it: (title, fn) => it.skip(title, fn) }
}

/** An engine of the registry (lab/engines/registry.ts), found as the lab finds it, with its Debian packages. */
export async function engine(name: EngineName): Promise<Tool> {
  const e = ENGINES[name]
  return { ...(await e.detect()), packages: packagesOf(e) }
}

/** An app of the registry as `server`'s interpreter sees it (missing too when the server is), with the packages of both. */
export async function app(name: AppName, server: EngineName): Promise<Tool> {
  const host = await engine(server)
  const a = APPS[name]
  const info = await detectApp(a, host)
  return { ...info, packages: [...(host.found ? [] : host.packages), ...a.packages] }
}

/** A command from a Debian package (e.g. `openssl`), looked up where the lab looks up engines. */
export function command(name: string, pkg: string = name): Tool {
  const dirs = searchPathOf()
  const file = findExecutable(name, dirs)
  return file ? { name, found: true, packages: [pkg], path: file } : { name, found: false, packages: [pkg], problem: `no ${name} in ${dirs.join(':')}` }
}

/**
 * Debian's Chromium (package `chromium`) for the browser tests, looked up where
 * the lab looks up engines (`LAB_ENGINE_PATH`, else /usr/sbin:/usr/bin:/sbin:/bin).
 */
export function chromium(): Tool {
  const dirs = searchPathOf()
  const file = findExecutable('chromium', dirs)
  return file
    ? { name: 'chromium', found: true, packages: ['chromium'], path: file }
    : { name: 'chromium', found: false, packages: ['chromium'], problem: `no chromium in ${dirs.join(':')}` }
}
