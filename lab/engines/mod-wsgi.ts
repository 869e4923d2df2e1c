/**
 * mod_wsgi under Apache httpd (`engine: 'mod-wsgi'` daemon mode,
 * `engine: 'mod-wsgi-embedded'` embedded mode; `--stack python`).
 *
 * Apache runs in the foreground (`apache2 -f <generated httpd.conf>
 * -DFOREGROUND`) with mpm_event on a loopback port; everything it writes (pid
 * file, error log, mutexes, mod_wsgi's daemon sockets) stays in the run's
 * folder, and nothing under /etc/apache2 is read.
 *
 * - Daemon mode (`WSGIDaemonProcess lab processes=W threads=T`): W separate
 *   processes, T threads each, run the app; Apache's own threads only relay
 *   requests to them over a UNIX socket.
 * - Embedded mode: the app runs inside Apache's own child processes; mpm_event
 *   is sized to W processes × T threads (`ServerLimit`, `ThreadsPerChild`).
 *
 * Directives as in mod_wsgi 4.9's docs
 * (https://modwsgi.readthedocs.io/en/develop/configuration-directives/WSGIDaemonProcess.html)
 * and Apache 2.4's mpm_event docs (https://httpd.apache.org/docs/2.4/mod/event.html).
 */
import { appendFileSync, chmodSync, existsSync, chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { freePort } from '../contract/ports.js'
import type { ServerDef } from '../core/scenario.js'
import { childrenOf } from '../topology/proc.js'
import { APPS_DIR, capture, detectCommand, appEnv, launch, runPlaceOf } from './common.js'
import type { ServerEngineName } from '../core/vocabulary.js'
import type { ProcessInfo, ServerEngine } from './engine.js'

/** Where Debian installs Apache's modules (`libapache2-mod-wsgi-py3` puts `mod_wsgi.so` there too). */
export const APACHE_MODULES = '/usr/lib/apache2/modules'

/** How to run Apache + mod_wsgi, in the lab's units. */
export interface ModWsgiConfig {
  port: number
  /** The WSGI app as `module:callable` in `appsDir`. */
  app: string
  appsDir?: string
  /** The run's folder: pid file, error log, mutexes and daemon sockets go here. */
  runDir: string
  mode: 'daemon' | 'embedded'
  /** Processes running the app (daemon: `processes=`; embedded: Apache's children). */
  processes: number
  /** Threads per process (daemon: `threads=`; embedded: `ThreadsPerChild`). */
  threads: number
  /** Listen backlog (`ListenBacklog`, Apache default 511). */
  backlog: number
  /** Daemon mode's `request-timeout=` seconds (0: off). */
  requestTimeoutS: number
  /** `User`/`Group` for Apache's children when started as root (Apache refuses to run them as root). */
  user?: string
}

/** The name mod_wsgi's daemon processes carry in /proc (`display-name=`), so they can be told from Apache's children. */
export const DAEMON_NAME = 'wsgi-lab'

/** Apache's `httpd.conf` for a config: self-contained (absolute module paths, everything in `runDir`). */
export function modWsgiConf(c: ModWsgiConfig): string {
  const [mod, callable] = c.app.split(':')
  const script = path.join(c.appsDir ?? APPS_DIR, `${(mod ?? '').split('.').join('/')}.py`)
  const load = (m: string, file: string) => `LoadModule ${m}_module ${APACHE_MODULES}/${file}`
  const daemon = c.mode === 'daemon'
  // Apache's front threads: embedded mode runs the app on them (W × T); daemon mode only relays, so give it room.
  const servers = daemon ? 2 : c.processes
  const perChild = daemon ? 64 : c.threads
  const lines = [
    `ServerRoot ${c.runDir}`,
    'ServerName 127.0.0.1',
    `Listen 127.0.0.1:${c.port}`,
    `ListenBacklog ${c.backlog}`,
    `PidFile ${path.join(c.runDir, 'httpd.pid')}`,
    `DefaultRuntimeDir ${c.runDir}`,
    `Mutex file:${c.runDir} default`,
    `ErrorLog ${path.join(c.runDir, 'error.log')}`,
    'LogLevel warn',
    load('mpm_event', 'mod_mpm_event.so'),
    load('authz_core', 'mod_authz_core.so'),
    load('wsgi', 'mod_wsgi.so'),
    ...(c.user ? [`User ${c.user}`, `Group ${c.user}`] : []),
    `StartServers ${servers}`,
    `ServerLimit ${servers}`,
    `ThreadLimit ${perChild}`,
    `ThreadsPerChild ${perChild}`,
    `MaxRequestWorkers ${servers * perChild}`,
    `MinSpareThreads 1`,
    `MaxSpareThreads ${servers * perChild}`,
    'MaxConnectionsPerChild 0',
    `WSGISocketPrefix ${path.join(c.runDir, 'wsgi')}`,
    `WSGIPythonPath ${c.appsDir ?? APPS_DIR}`,
    ...(daemon
      ? [
          `WSGIDaemonProcess lab processes=${c.processes} threads=${c.threads} display-name=${DAEMON_NAME} python-path=${c.appsDir ?? APPS_DIR}` +
            (c.requestTimeoutS > 0 ? ` request-timeout=${Math.ceil(c.requestTimeoutS)}` : ''),
          `WSGIScriptAlias / ${script} process-group=lab application-group=%{GLOBAL}`,
        ]
      : [`WSGIScriptAlias / ${script} application-group=%{GLOBAL}`]),
    `WSGICallableObject ${callable ?? 'application'}`,
    `<Directory ${path.dirname(script)}>`,
    '  Require all granted',
    '</Directory>',
  ]
  return `${lines.join('\n')}\n`
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8')
  } catch {
    return ''
  }
}

/**
 * Apache's processes: the parent (`master`); in daemon mode the mod_wsgi
 * daemons are the `worker`s and Apache's children relay (`server`); in
 * embedded mode Apache's children run the app (`worker`).
 */
export function modWsgiProcesses(parent: number, mode: ModWsgiConfig['mode']): ProcessInfo[] {
  const kids = childrenOf(parent).map((pid) => {
    const isDaemon = cmdline(pid).startsWith(DAEMON_NAME)
    const role = mode === 'embedded' || isDaemon ? ('worker' as const) : ('server' as const)
    return { pid, role }
  })
  return [{ pid: parent, role: 'master' }, ...kids]
}

/** The settings for a server part: W × T from `workers` and `threads`, backlog, daemon `request-timeout` from `timeout_s`. */
export function modWsgiConfig(server: ServerDef, app: string, port: number, runDir: string, mode: ModWsgiConfig['mode']): ModWsgiConfig {
  const root = process.getuid?.() === 0
  return {
    port, app, runDir, mode,
    processes: server.workers,
    threads: server.threads ?? 1,
    backlog: server.backlog,
    requestTimeoutS: server.timeout_s,
    ...(root ? { user: 'www-data' } : {}),
  }
}

function engine(name: Extract<ServerEngineName, 'mod-wsgi' | 'mod-wsgi-embedded'>, mode: ModWsgiConfig['mode']): ServerEngine {
  return {
    name,
    role: 'server',
    stack: 'python',
    source: { kind: 'debian', packages: ['apache2', 'libapache2-mod-wsgi-py3'] },
    models: ['prefork', 'threaded'],
    serves: ['wsgi'],
    protocols: ['http'],
    detect: async (opts) => {
      const info = await detectCommand({ name, file: 'apache2', args: ['-v'], parse: (o) => /Apache\/(\S+)/.exec(o)?.[1] }, opts)
      if (!info.found) return info
      if (!existsSync(path.join(APACHE_MODULES, 'mod_wsgi.so'))) return { name, found: false, problem: `no ${APACHE_MODULES}/mod_wsgi.so` }
      // the module carries no greppable version string; Debian's package version does (4.9.4-1+b2 → 4.9.4)
      const r = await capture('dpkg-query', ['-W', '-f=${Version}', 'libapache2-mod-wsgi-py3'])
      const wsgi = /^(?:\d+:)?([\d.]+)/.exec(r.stdout.trim())?.[1]
      return { ...info, version: `${wsgi ?? '?'} (apache ${info.version})`, interpreter: '/usr/bin/python3', components: { apache2: info.version ?? '?', mod_wsgi: wsgi ?? '?' } }
    },
    doctorNotes: (info) => ({ notes: [`mod_wsgi ${info.components?.mod_wsgi ?? '?'} ${mode} mode`, `apache2 ${info.components?.apache2 ?? '?'} mpm_event`], install: [] }),
    async start({ server, app }, place) {
      if (!app) throw new Error(`${name} needs a WSGI app`)
      const p = runPlaceOf(place, name)
      // A temp folder of its own, readable by Apache's children (as www-data when the lab runs as root):
      // they connect to the daemons' UNIX sockets in it. Removed after stop.
      const dir = mkdtempSync(path.join(os.tmpdir(), `lab-${name}-`))
      chmodSync(dir, 0o755)
      const c = modWsgiConfig(server, app.entry, await freePort(), dir, mode)
      const conf = path.join(dir, 'httpd.conf')
      writeFileSync(conf, modWsgiConf(c))
      if (c.user) {
        const { uid, gid } = wwwData()
        chownSync(dir, uid, gid)
      }
      return launch({
        name,
        command: p.executable,
        args: ['-f', conf, '-DFOREGROUND'],
        env: appEnv(server.static_dir, place.baseDir),
        cwd: dir,
        port: c.port,
        logPath: path.join(p.runDir, p.logName),
        readyTimeoutMs: p.readyTimeoutMs ?? 15_000,
        processes: (pid) => modWsgiProcesses(pid, mode),
        ready: (pid) => modWsgiProcesses(pid, mode).filter((x) => x.role === 'worker').length >= c.processes,
        failureDetail: () => {
          try {
            return readFileSync(path.join(dir, 'error.log'), 'utf8')
          } catch {
            return ''
          }
        },
        cleanup: () => {
          // Apache's error log goes to the run's log before the folder goes
          try {
            appendFileSync(path.join(p.runDir, p.logName), readFileSync(path.join(dir, 'error.log'), 'utf8'))
          } catch {
            // no error log written
          }
          rmSync(dir, { recursive: true, force: true })
        },
      })
    },
  }
}

function wwwData(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('www-data:'))
  const f = line?.split(':') ?? []
  return { uid: Number(f[2] ?? 33), gid: Number(f[3] ?? 33) }
}

/** mod_wsgi in daemon mode: `WSGIDaemonProcess processes=W threads=T` behind Apache's mpm_event. */
export const modWsgi = engine('mod-wsgi', 'daemon')
/** mod_wsgi in embedded mode: the app inside Apache's W mpm_event children × T threads. */
export const modWsgiEmbedded = engine('mod-wsgi-embedded', 'embedded')
