/**
 * `lab doctor`: which engines this machine has. One row per engine: the
 * built-in Node servers (always there once built) and the real ones
 * (Gunicorn, Uvicorn, Flask, nginx; docs/measurement.md, "Real engines"): found or
 * missing, version, path; then the exact `apt-get install` line for what is
 * missing. Always exits 0: a missing optional engine is information, not an error.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { searchPathOf, type DetectOptions, type EngineInfo, type RealEngine } from '../engines/common.js'
import { detectFlask, detectGunicorn } from '../engines/gunicorn.js'
import { detectNginx } from '../engines/nginx.js'
import { detectUvicorn } from '../engines/uvicorn.js'
import { ROOT } from '../topology/paths.js'

/** One row of the doctor's table. */
export interface DoctorRow {
  engine: string
  /** What it is for, e.g. `prefork, --stack python`. */
  role: string
  found: boolean
  version: string
  path: string
  /** Extra facts (interpreter, uvloop/httptools) or why it is missing. */
  note: string
  /** Debian packages to install for it (empty when nothing is missing). */
  install: readonly string[]
  /** The real engine this row stands for (absent for built-ins). */
  real?: RealEngine
}

/** Options of {@link doctorRows} and {@link doctorCommand}. */
export interface DoctorOptions extends DetectOptions {
  /** Where the compiled built-in servers are (default `<root>/dist/lab/servers`). */
  builtinDir?: string
  /** Where the table goes (default stdout). */
  write?: (text: string) => void
}

function builtinRow(engine: 'node-prefork' | 'node-event-loop', dir: string): DoctorRow {
  const file = path.join(dir, `${engine === 'node-prefork' ? 'prefork' : 'event-loop'}.js`)
  const found = existsSync(file)
  return {
    engine,
    role: `${engine === 'node-prefork' ? 'prefork' : 'event-loop'}, built-in (--stack node)`,
    found,
    version: found ? `node ${process.version}` : '',
    path: found ? path.relative(process.cwd(), file) || file : '',
    note: found ? '' : 'not built: run `npm run build`',
    install: [],
  }
}

function realRow(info: EngineInfo, role: string): DoctorRow {
  const c = info.components ?? {}
  const notes: string[] = []
  const install: string[] = info.found ? [] : [...info.packages]
  if (info.interpreter && info.name !== 'flask') notes.push(`${info.interpreter}${c.python ? ` (Python ${c.python})` : ''}`)
  if (info.name === 'uvicorn' && info.found) {
    for (const [module, pkg] of [['uvloop', 'python3-uvloop'], ['httptools', 'python3-httptools']] as const) {
      if (c[module]) notes.push(`${module} ${c[module]}`)
      else {
        notes.push(`${module} missing (slower fallback)`)
        install.push(pkg)
      }
    }
  }
  if (!info.found && info.problem) notes.push(info.problem)
  return {
    engine: info.name,
    role,
    found: info.found,
    version: info.version ?? '',
    path: info.path ?? '',
    note: notes.join('; '),
    install,
    real: info.name,
  }
}

/**
 * Detects every engine.
 * @param opts - `searchPath` overrides where real engines are looked up (a test
 *   passes an empty folder to see the "missing" rows on a machine that has them all)
 */
export async function doctorRows(opts: DoctorOptions = {}): Promise<DoctorRow[]> {
  const detect: DetectOptions = { searchPath: searchPathOf(opts) }
  const builtinDir = opts.builtinDir ?? path.join(ROOT, 'dist', 'lab', 'servers')
  const [gunicorn, uvicorn, flask, nginx] = await Promise.all([
    detectGunicorn(detect),
    detectUvicorn(detect),
    detectFlask(detect),
    detectNginx(detect),
  ])
  return [
    builtinRow('node-prefork', builtinDir),
    builtinRow('node-event-loop', builtinDir),
    realRow(gunicorn, 'prefork, --stack python'),
    realRow(uvicorn, 'event-loop, --stack python'),
    realRow(flask, 'app: flask (in gunicorn)'),
    realRow(nginx, 'reverse proxy'),
  ]
}

/** The doctor's text: a table, then what to install (or that nothing is missing). */
export function formatDoctor(rows: readonly DoctorRow[], searchPath: readonly string[]): string {
  const header = ['engine', 'for', 'status', 'version', 'path', 'notes']
  const cells = rows.map((r) => [r.engine, r.role, r.found ? 'found' : 'MISSING', r.version || '-', r.path || '-', r.note])
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)))
  const line = (c: string[]) => c.map((x, i) => (i === c.length - 1 ? x : x.padEnd(widths[i] ?? 0))).join('  ').trimEnd()
  const out = [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line), '']
  const packages = [...new Set(rows.flatMap((r) => r.install))]
  const missing = rows.filter((r) => r.install.length > 0)
  if (packages.length === 0) {
    out.push('Everything is installed: `lab run <scenario> --stack python` can run every topology.')
  } else {
    const real = missing.filter((r) => r.real).map((r) => r.engine)
    out.push(`Missing or incomplete: ${real.join(', ')}. Install with (as root, or prefix sudo):`)
    out.push(`  apt-get install -y ${packages.join(' ')}`)
    out.push('`--stack node` (the default) needs none of them.')
  }
  if (rows.some((r) => !r.found && !r.real)) out.push('Built-in servers are not built: run `npm run build`.')
  out.push(`Real engines are looked up in ${searchPath.join(':')} (set LAB_ENGINE_PATH to change).`)
  return out.join('\n') + '\n'
}

/**
 * `lab doctor`: prints the table and the install command for what is missing.
 * @returns 0, always (missing engines are reported, not failed)
 */
export async function doctorCommand(opts: DoctorOptions = {}): Promise<number> {
  const rows = await doctorRows(opts)
  const write = opts.write ?? ((text: string) => process.stdout.write(text))
  write(formatDoctor(rows, searchPathOf(opts)))
  return 0
}
