/**
 * `lab doctor`: which engines this machine has. One row per engine of the
 * registry (lab/engines/registry.ts: the built-in Node servers, always there
 * once built, and the real ones from Debian) and per app that needs a Debian
 * package (Flask): found or missing, version, path; then the exact
 * `apt-get install` line for what is missing, and per engine its apt, dnf and
 * Homebrew lines (lab/engines/packages.ts); then whether this machine can
 * make network links for slow clients (lab/commands/doctor-links.ts). Always
 * exits 0: a missing optional engine is information, not an error.
 */
import path from 'node:path'
import type { App, DetectOptions, Engine, EngineInfo } from '../engines/engine.js'
import { searchPathOf } from '../engines/common.js'
import { installLines } from '../engines/packages.js'
import { APPS, detectApp, engines, interfacesOf, packagesOf } from '../engines/registry.js'
import { detectNetns, type NetnsCapability } from '../topology/netns.js'
import { formatLinks } from './doctor-links.js'

/** One row of the doctor's table. */
export interface DoctorRow {
  engine: string
  /** What it is for, from its capabilities, e.g. `prefork, threaded (WSGI), --stack python`. */
  role: string
  found: boolean
  version: string
  path: string
  /** Extra facts (interpreter, uvloop/httptools) or why it is missing. */
  note: string
  /** Debian packages to install for it (empty when nothing is missing). */
  install: readonly string[]
  /** Built with the lab (`npm run build`) or from Debian's packages. */
  source: 'built-in' | 'debian'
}

/** Options of {@link doctorRows} and {@link doctorCommand}. */
export interface DoctorOptions extends DetectOptions {
  /** Where the table goes (default stdout). */
  write?: (text: string) => void
  /** Whether network links can be made here (default lab/topology/netns.ts `detectNetns`, which runs `ip` and `tc`; tests pass a fixed answer). */
  detectLinks?: () => Promise<NetnsCapability>
}

/** The "for" column: the parts an engine serves, e.g. `prefork, threaded (WSGI), --stack python`. */
export function describeEngine(e: Engine): string {
  const what = e.role === 'proxy' ? 'reverse proxy' : `${e.models.join(', ')}${e.serves.length ? ` (${e.serves.join(', ').toUpperCase()})` : ''}`
  return `${what}, ${e.source.kind === 'built-in' ? 'built-in, ' : ''}--stack ${e.stack}`
}

function row(name: string, role: string, info: EngineInfo, packages: readonly string[], source: DoctorRow['source'], extra = { notes: [] as string[], install: [] as string[] }): DoctorRow {
  const c = info.components ?? {}
  const notes = [...(info.interpreter && info.components ? [`${info.interpreter}${c.python ? ` (Python ${c.python})` : ''}`] : []), ...(info.found ? extra.notes : [])]
  if (!info.found && info.problem) notes.push(info.problem)
  return {
    engine: name,
    role,
    found: info.found,
    version: info.version ?? '',
    path: info.path && source === 'built-in' ? path.relative(process.cwd(), info.path) || info.path : (info.path ?? ''),
    note: notes.join('; '),
    install: info.found ? extra.install : [...packages],
    source,
  }
}

/** The engine the doctor checks an app with: the first Debian server engine that serves one of its interfaces. */
function hostOf(app: App): Engine | undefined {
  return engines().find((e) => e.role === 'server' && e.source.kind === 'debian' && e.serves.some((i) => app.entries[i] !== undefined))
}

/**
 * Detects every engine of the registry, and every app that needs a Debian package.
 * @param opts - `searchPath` overrides where real engines are looked up (a test
 *   passes an empty folder to see the "missing" rows on a machine that has them
 *   all); `builtinDir` where the compiled built-in servers are
 */
export async function doctorRows(opts: DoctorOptions = {}): Promise<DoctorRow[]> {
  const detect: DetectOptions = { searchPath: searchPathOf(opts), ...(opts.builtinDir ? { builtinDir: opts.builtinDir } : {}) }
  const found = await Promise.all(engines().map(async (e) => ({ e, info: await e.detect(detect) })))
  const rows = found.map(({ e, info }) => row(e.name, describeEngine(e), info, packagesOf(e), e.source.kind, e.doctorNotes?.(info)))
  for (const app of Object.values(APPS).filter((a) => a.packages.length > 0)) {
    const host = hostOf(app)
    const hostInfo = found.find((f) => f.e === host)?.info ?? { name: 'a Python server engine', found: false }
    const info = await detectApp(app, hostInfo)
    rows.push(row(app.name, `app: ${interfacesOf(app).join(', ').toUpperCase()}${host ? ` (in ${host.name})` : ''}`, info, app.packages, 'debian'))
  }
  return rows
}

/** The doctor's text: a table, then what to install (or that nothing is missing). */
export function formatDoctor(rows: readonly DoctorRow[], searchPath: readonly string[]): string {
  const header = ['engine', 'for', 'status', 'version', 'path', 'notes']
  const cells = rows.map((r) => [r.engine, r.role, r.found ? 'found' : 'MISSING', r.version || '-', r.path || '-', r.note])
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)))
  const line = (c: string[]) => c.map((x, i) => (i === c.length - 1 ? x : x.padEnd(widths[i] ?? 0))).join('  ').trimEnd()
  const out = [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line), '']
  const packages = [...new Set(rows.flatMap((r) => r.install))]
  if (packages.length === 0) {
    out.push('Everything is installed: `lab run <scenario> --stack python` can run every topology.')
  } else {
    const debian = rows.filter((r) => r.install.length > 0 && r.source === 'debian').map((r) => r.engine)
    out.push(`Missing or incomplete: ${debian.join(', ')}. Install with (as root, or prefix sudo):`)
    out.push(`  apt-get install -y ${packages.join(' ')}`)
    out.push('`--stack node` (the default) needs none of them.')
    out.push('', 'Per engine, on Debian/Ubuntu (apt), Fedora/RHEL (dnf) and macOS (Homebrew + pip in a venv; docs/laptops.md):')
    for (const r of rows.filter((x) => x.install.length > 0 && x.source === 'debian')) {
      const l = installLines(r.install)
      out.push(`  ${r.engine}`, `    apt:  ${l.apt}`, `    dnf:  ${l.dnf}`, `    brew: ${l.brew}`)
    }
  }
  if (rows.some((r) => !r.found && r.source === 'built-in')) out.push('Built-in servers are not built: run `npm run build`.')
  out.push(`Real engines are looked up in ${searchPath.join(':')} (set LAB_ENGINE_PATH to change).`)
  return out.join('\n') + '\n'
}

/**
 * `lab doctor`: prints the table and the install command for what is missing.
 * @returns 0, always (missing engines are reported, not failed)
 */
export async function doctorCommand(opts: DoctorOptions = {}): Promise<number> {
  const [rows, links] = await Promise.all([doctorRows(opts), (opts.detectLinks ?? detectNetns)()])
  const write = opts.write ?? ((text: string) => process.stdout.write(text))
  write(formatDoctor(rows, searchPathOf(opts)) + '\n' + formatLinks(links).join('\n') + '\n')
  return 0
}
