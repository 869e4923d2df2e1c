/**
 * Gunicorn's other worker classes, each an engine of its own so that the
 * registry, `lab doctor`, the results' `engines.server` and a scenario's
 * `engine:` name the worker class (docs/add-an-engine.md). The arbiter is
 * the same (gunicorn.ts starts it); only `--worker-class` differs:
 *
 * - `gunicorn-gthread` (`--worker-class gthread --threads T`): W processes ×
 *   T threads, one interpreter lock per process (`model: 'threaded'`);
 * - `gunicorn-gevent` (`--worker-class gevent`, Debian's `python3-gevent`):
 *   each of W processes runs a gevent hub, one greenlet per connection (up to
 *   `--worker-connections`, default 1000). The worker monkey-patches the
 *   standard library at boot (`gevent.monkey.patch_all()`), so `time.sleep`
 *   and socket calls yield to other greenlets; CPU work and a C call the patch
 *   cannot see (the `wsgi-c-sleep` app's `usleep`) do not (`model: 'event-loop'`);
 * - `gunicorn-uvicorn` (`--worker-class uvicorn.workers.UvicornWorker`):
 *   Gunicorn's master with W Uvicorn workers, each an asyncio event loop
 *   serving the ASGI app (`model: 'event-loop'`). The worker class ships in
 *   Uvicorn 0.17 (Debian's `uvicorn`); Uvicorn 0.30 deprecates it in favour
 *   of the separate `uvicorn-worker` package.
 *
 * Sources: Gunicorn 20.1 "Design" and settings (`worker_class`, `threads`,
 * `worker_connections`): https://docs.gunicorn.org/en/20.1.0/design.html,
 * https://docs.gunicorn.org/en/20.1.0/settings.html; gevent 22.10
 * "Monkey patching": https://www.gevent.org/api/gevent.monkey.html; Uvicorn
 * 0.17 "Deployment" (Gunicorn worker class):
 * https://www.uvicorn.org/deployment/ (the page as of release 0.17.6).
 */
import { freePort } from '../contract/ports.js'
import type { ServerEngineName, ServerModel, AppInterface } from '../core/vocabulary.js'
import { aptInstall, runPlaceOf } from './common.js'
import type { DetectOptions, EngineInfo, ServerEngine } from './engine.js'
import { detectGunicorn, gunicornConfig, startGunicorn, type GunicornWorkerClass } from './gunicorn.js'

/** What a worker-class engine adds to Gunicorn: its class, what it runs and serves, and the Python distribution it needs. */
interface WorkerClassSpec {
  name: ServerEngineName
  workerClass: GunicornWorkerClass
  models: readonly ServerModel[]
  serves: readonly AppInterface[]
  /** The distribution Gunicorn's interpreter must have (its version goes into `components`), and its Debian package. */
  needs?: { distribution: string; package: string }
}

/**
 * Finds Gunicorn and, with its interpreter, the distribution a worker class needs.
 * @returns Gunicorn's version with the distribution's, e.g. `20.1.0 (gevent 22.10.2)`; `found: false` with a `problem` when either is missing
 */
export async function detectWorkerClass(spec: Pick<WorkerClassSpec, 'name' | 'needs'>, opts: DetectOptions = {}): Promise<EngineInfo> {
  const g = await detectGunicorn(opts)
  const info: EngineInfo = { ...g, name: spec.name }
  if (!g.found || !spec.needs) return info
  const version = g.components?.[spec.needs.distribution]
  if (!version) return { ...info, found: false, problem: `${g.interpreter ?? "gunicorn's interpreter"} has no ${spec.needs.distribution} (Debian's ${spec.needs.package})` }
  return { ...info, version: `${g.version} (${spec.needs.distribution} ${version})` }
}

/** The Debian packages a worker class needs: Gunicorn's, and its distribution's. */
function packagesOf(spec: Pick<WorkerClassSpec, 'needs'>): string[] {
  return ['gunicorn', ...(spec.needs ? [spec.needs.package] : [])]
}

/** A Gunicorn worker class as a registry engine. */
function workerClassEngine(spec: WorkerClassSpec): ServerEngine {
  return {
    name: spec.name,
    role: 'server',
    stack: 'python',
    source: { kind: 'debian', packages: packagesOf(spec) },
    models: spec.models,
    serves: spec.serves,
    protocols: ['http'],
    detect: (opts) => detectWorkerClass(spec, opts),
    async start({ server, app }, place) {
      if (!app) throw new Error(`${spec.name} needs a${spec.serves[0] === 'asgi' ? 'n ASGI' : ' WSGI'} app`)
      const base = gunicornConfig(server, app.entry, place.port ?? (await freePort()), place.baseDir)
      // keepAlive: false closes after every response (`--keep-alive 0`), as for gthread in gunicorn.ts
      const config = { ...base, workerClass: spec.workerClass, keepAliveS: server.keep_alive_s ?? (server.keepAlive === false ? 0 : undefined) }
      return startGunicorn(config, runPlaceOf(place, spec.name), spec.name)
    },
    doctorNotes: (info) => ({ notes: [`--worker-class ${spec.workerClass}`, `${info.found ? 'installed with' : 'install with'}: ${aptInstall(packagesOf(spec))}`], install: [] }),
  }
}

/** Gunicorn's gthread worker: W processes × T threads (`--threads`). */
export const gunicornGthread = workerClassEngine({ name: 'gunicorn-gthread', workerClass: 'gthread', models: ['threaded'], serves: ['wsgi'] })

/** Gunicorn's gevent worker: W processes, each a gevent hub with a greenlet per connection. */
export const gunicornGevent = workerClassEngine({
  name: 'gunicorn-gevent',
  workerClass: 'gevent',
  models: ['event-loop'],
  serves: ['wsgi'],
  needs: { distribution: 'gevent', package: 'python3-gevent' },
})

/** Gunicorn's master with Uvicorn's workers: W processes, each an asyncio event loop serving ASGI. */
export const gunicornUvicorn = workerClassEngine({
  name: 'gunicorn-uvicorn',
  workerClass: 'uvicorn.workers.UvicornWorker',
  models: ['event-loop'],
  serves: ['asgi'],
  needs: { distribution: 'uvicorn', package: 'uvicorn' },
})
