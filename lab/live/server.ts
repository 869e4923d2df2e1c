/**
 * The live demo server (`lab demo`): a node:http server on loopback that
 * serves the built live page (`web/dist/live.html`), an API to list
 * scenarios and their knobs, start and stop a run, and the run's events as
 * server-sent events, with history so a late browser catches up. The API's
 * shapes are in lab/core/live-api.ts; the parts are here:
 *
 * - lab/live/api.ts: the route table, dispatched by lab/live/router.ts
 * - lab/live/runs.ts: the runs, driven through the run engine (lab/run)
 * - lab/live/sse.ts: the event streams
 * - lab/live/catalogue.ts: the scenarios offered, reloaded when edited
 * - lab/live/guard.ts: the Host and Origin check
 * - lab/live/token.ts: the teacher token of a view-only demo
 * - lab/live/files.ts: the page and the saved results
 *
 * Safety: one run at a time; every knob validated with the demo's bounds
 * (lab/core/knobs.ts); only catalogue scenarios; no path from the browser
 * reaches the file system except the fixed results pattern, resolved inside
 * the results folder. Requests whose `Host` or `Origin` is not this server on
 * a loopback name (or the `host` it was told to bind) get 403, so a web page
 * elsewhere cannot drive it through DNS rebinding or cross-site requests.
 * With a teacher token (`token`), every `POST` needs it too: students watch,
 * the teacher drives.
 */
import { existsSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import type { LoadDriver } from '../load/driver.js'
import type { startTopology } from '../topology/topology.js'
import { ROOT } from '../topology/paths.js'
import { routes } from './api.js'
import { Catalogue } from './catalogue.js'
import { LivePage } from './files.js'
import { allowedHosts, refusal } from './guard.js'
import { fail } from './http.js'
import { dispatch } from './router.js'
import { RunRegistry } from './runs.js'
import { SseBroker } from './sse.js'
import { VIEW_ONLY, mayControl } from './token.js'

/** Options of {@link startLiveServer}. */
export interface LiveServerOptions {
  /** Address to bind (default `127.0.0.1`). */
  host?: string
  /** Port (default 0: any free port). */
  port?: number
  /** Results folder (default `results` in the working folder). */
  out?: string
  /** Folder of the built pages (default `<root>/web/dist`). */
  webDir?: string
  /** Test seam: a load driver for each run (default autocannon). */
  driver?: () => LoadDriver
  /** Test seam: a topology starter (default real processes). */
  start?: typeof startTopology
  /** One line per run started and finished (default: nothing). */
  log?: (line: string) => void
  /** Finished runs kept in memory with their events (default 20). */
  keepRuns?: number
  /**
   * The teacher token (lab/live/token.ts): when set, the demo is view-only
   * without it: every `POST` (Run, Stop, Next, Pause) needs it in `X-Lab-Token`
   * (401 otherwise). `lab demo` sets a random one when bound beyond loopback.
   */
  token?: string
}

/** A started demo server. */
export interface LiveServer {
  /** `http://127.0.0.1:<port>/` (or the bound host). */
  url: string
  host: string
  port: number
  /** The running run's id, if any. */
  current(): string | undefined
  /** Stops the running run (its processes included), ends every stream and closes the server; idempotent. */
  close(): Promise<void>
}

/**
 * Starts the demo server.
 * @throws Error when the live page is not built (`npm run build`) or the port cannot be bound
 */
export async function startLiveServer(opts: LiveServerOptions = {}): Promise<LiveServer> {
  const host = opts.host ?? '127.0.0.1'
  const outDir = path.resolve(opts.out ?? 'results')
  const pageFile = path.join(opts.webDir ?? path.join(ROOT, 'web', 'dist'), 'live.html')
  if (!existsSync(pageFile)) throw new Error(`the live page is not built; run npm run build (missing ${pageFile})`)
  const catalogue = new Catalogue()
  await catalogue.load()
  const broker = new SseBroker()
  const runs = new RunRegistry({ outDir, broker, keepRuns: opts.keepRuns ?? 20, log: opts.log ?? (() => {}), ...(opts.driver ? { driver: opts.driver } : {}), ...(opts.start ? { start: opts.start } : {}) })
  let closing = false
  const table = routes({ page: new LivePage(pageFile), catalogue, runs, broker, outDir, closing: () => closing, viewOnly: opts.token !== undefined })

  let port = 0
  let allowed = new Set<string>()
  const server = http.createServer({ noDelay: true }, (req, res) => {
    res.setHeader('X-Content-Type-Options', 'nosniff')
    res.setHeader('Referrer-Policy', 'no-referrer')
    const refused = refusal(req, allowed, port)
    if (refused) return fail(res, 403, refused)
    if (!mayControl(req, opts.token)) return fail(res, 401, VIEW_ONLY)
    dispatch(table, req, res).catch((err: unknown) => {
      if (!res.headersSent) fail(res, 500, err instanceof Error ? err.message : String(err))
      else res.end()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen({ host, port: opts.port ?? 0 }, () => {
      server.off('error', reject)
      resolve()
    })
  })
  port = (server.address() as AddressInfo).port
  allowed = allowedHosts(opts.host, port)
  const shown = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host
  let closed: Promise<void> | undefined

  return {
    url: `http://${shown === '[::]' ? '127.0.0.1' : shown}:${port}/`,
    host,
    port,
    current: () => runs.current()?.id,
    close() {
      closed ??= (async () => {
        closing = true
        await runs.stopAll()
        broker.close()
        await new Promise<void>((resolve) => {
          server.close(() => resolve())
          server.closeAllConnections()
        })
      })()
      return closed
    },
  }
}
