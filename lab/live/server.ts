/**
 * The live demo server (`lab demo`): a node:http server on loopback that serves
 * the built live page (`web/dist/live.html`), an API to list scenarios and
 * their knobs, start and stop a run, and the run's events as server-sent
 * events, with history so a late browser catches up (style.md, "k6 web
 * dashboard").
 *
 * API (JSON unless said otherwise):
 *
 * | request | answer |
 * |---|---|
 * | `GET /` | the live page |
 * | `GET /api/scenarios` | `{scenarios: [{name, title, summary, topologies, workloads, knobs, notesHtml}], stacks, limits}` |
 * | `GET /api/runs` | `{current, runs: [summary]}` (newest first) |
 * | `POST /api/runs` `{scenario, quick?, stack?, topologies?, workloads?, knobs?}` | 202 `{id, ...summary}`; 400 `{error, problems: [{field, message}]}`; 409 `{error, running}` |
 * | `GET /api/runs/<id>` | summary |
 * | `POST /api/runs/<id>/stop` | 200 summary once the run has stopped and its processes are gone |
 * | `GET /api/runs/<id>/events` | `text/event-stream`: that run's events from the first; ends after `done` |
 * | `GET /api/events` | `text/event-stream`: the latest run's events from the first, then every run's as they happen |
 * | `GET /results/<scenario>/<stamp>.{json,html,events.ndjson}` | saved files, read-only |
 *
 * Every SSE message is `id: <run>:<seq>` and `data: <Envelope JSON>`.
 *
 * Safety: one run at a time; every knob validated with the demo's bounds
 * (lab/core/knobs.ts); only catalogue scenarios; no path from the browser
 * reaches the file system except the fixed results pattern, resolved inside
 * the results folder. Requests whose `Host` or `Origin` is not this server on
 * a loopback name (or the `host` it was told to bind) get 403, so a web page
 * elsewhere cannot drive it through DNS rebinding or cross-site requests.
 */
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs'
import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { Writable } from 'node:stream'
import type { Envelope, LabEvent } from '../core/events.js'
import { DEMO_LIMITS, knobsFor, validateStart, type Knob, type ValidStart } from '../core/knobs.js'
import { validateScenario, type Scenario } from '../core/scenario.js'
import { STACKS } from '../engines/types.js'
import type { LoadDriver } from '../load/driver.js'
import { EventLog, eventLogPath } from '../store/events.js'
import type { startTopology } from '../topology/topology.js'
import { ROOT } from '../topology/paths.js'
import { renderNotes } from '../store/report.js'
import { runCommand } from '../commands/run.js'
import { SCENARIOS_DIR, loadScenarioFile, readNotes, scenarioNames } from '../store/scenarios.js'

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
  /** Where runs print their progress and summary (default: nowhere). */
  runOutput?: Writable
  /** One line per run started and finished (default: nothing). */
  log?: (line: string) => void
  /** Finished runs kept in memory with their events (default 20). */
  keepRuns?: number
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

/** A scenario of the catalogue as loaded from `scenarios/<name>/scenario.ts`. */
interface Entry {
  raw: unknown
  scenario: Scenario
  knobs: Knob[]
  notesHtml: string
}

type RunState = 'running' | 'stopping' | 'done'

interface LiveRun {
  id: string
  state: RunState
  request: ValidStart
  command: string
  startedAt: string
  events: Envelope[]
  controller: AbortController
  finished: Promise<void>
  code?: number
  links?: { results?: string; report?: string; events?: string }
  log?: EventLog
  streams: Set<ServerResponse>
}

const RESULTS_PATH = /^\/results\/([a-z0-9]+(?:-[a-z0-9]+)*)\/(\d{8}T\d{6}Z(?:\.json|\.html|\.events\.ndjson))$/
const TYPES: Record<string, string> = {
  '.json': 'application/json; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.ndjson': 'application/x-ndjson; charset=utf-8',
}
const MAX_BODY = 16 * 1024

// Importing a scenario.ts takes ~0.1 s: the catalogue reloads only files that
// changed since (an instructor may edit one mid-class). Shared by every server.
const loaded = new Map<string, { stamp: string; entry: Entry | undefined }>()
const mtime = (file: string) => (existsSync(file) ? statSync(file).mtimeMs : 0)

/** Whether `host` is a loopback name or address (127.0.0.0/8, ::1, localhost). */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase()
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h)
}

/** Shell-quotes like the CLI's `commandLine`: the command that reproduces a demo run. */
function commandFor(v: ValidStart, all: { topologies: number; workloads: number }): string {
  const args = ['npx', 'lab', 'run', v.scenario]
  if (v.quick) args.push('--quick')
  if (v.stack !== 'node') args.push('--stack', v.stack)
  for (const s of v.set) args.push('--set', s)
  if (v.topologies.length < all.topologies) for (const t of v.topologies) args.push('--topology', t)
  if (v.workloads.length < all.workloads) for (const w of v.workloads) args.push('--workload', w)
  return args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ')
}

/** The `script-src` hashes of a page's inline scripts, for its Content-Security-Policy. */
function scriptHashes(html: string): string[] {
  const hashes: string[] = []
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    const attrs = m[1] ?? ''
    if (/\bsrc=/.test(attrs) || /type=["']application\/json["']/.test(attrs)) continue
    hashes.push(`'sha256-${createHash('sha256').update(m[2] ?? '', 'utf8').digest('base64')}'`)
  }
  return hashes
}

const sink = () =>
  new Writable({
    write(_chunk, _enc, done) {
      done()
    },
  })

/**
 * Starts the demo server.
 * @throws Error when the live page is not built (`npm run build`) or the port cannot be bound
 */
export async function startLiveServer(opts: LiveServerOptions = {}): Promise<LiveServer> {
  const host = opts.host ?? '127.0.0.1'
  const outDir = path.resolve(opts.out ?? 'results')
  const webDir = opts.webDir ?? path.join(ROOT, 'web', 'dist')
  const pageFile = path.join(webDir, 'live.html')
  if (!existsSync(pageFile)) throw new Error(`the live page is not built; run npm run build (missing ${pageFile})`)
  const keepRuns = opts.keepRuns ?? 20
  const log = opts.log ?? (() => {})

  let catalogue = new Map<string, Entry>()
  const loadCatalogue = async (): Promise<Map<string, Entry>> => {
    const next = new Map<string, Entry>()
    for (const name of scenarioNames()) {
      const file = path.join(SCENARIOS_DIR, name, 'scenario.ts')
      const stamp = `${mtime(file)}:${mtime(path.join(SCENARIOS_DIR, name, 'notes.md'))}`
      let cached = loaded.get(name)
      if (cached?.stamp !== stamp) {
        let entry: Entry | undefined
        try {
          const raw = await loadScenarioFile(file)
          const v = validateScenario(raw, name)
          if (v.ok) entry = { raw, scenario: v.value, knobs: knobsFor(v.value), notesHtml: renderNotes(readNotes(file) ?? '') }
        } catch {
          // a scenario that does not load is left out of the demo (`lab list` shows why)
        }
        loaded.set(name, (cached = { stamp, entry }))
      }
      if (cached.entry) next.set(name, cached.entry)
    }
    catalogue = next
    return next
  }
  await loadCatalogue()

  let page: { mtimeMs: number; html: Buffer; csp: string } | undefined
  const livePage = () => {
    const mtimeMs = statSync(pageFile).mtimeMs
    if (!page || page.mtimeMs !== mtimeMs) {
      const html = readFileSync(pageFile, 'utf8')
      const csp = [
        "default-src 'none'",
        `script-src ${scriptHashes(html).join(' ') || "'none'"}`,
        "style-src 'unsafe-inline'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
      ].join('; ')
      page = { mtimeMs, html: Buffer.from(html), csp }
    }
    return page
  }

  const runs: LiveRun[] = [] // newest last
  const followers = new Set<ServerResponse>() // GET /api/events
  let current: LiveRun | undefined
  const running = () => current
  let closing = false

  const summary = (r: LiveRun) => ({
    id: r.id,
    state: r.state,
    scenario: r.request.scenario,
    quick: r.request.quick,
    stack: r.request.stack,
    topologies: r.request.topologies,
    workloads: r.request.workloads,
    set: r.request.set,
    command: r.command,
    startedAt: r.startedAt,
    events: r.events.length,
    ...(r.code === undefined ? {} : { code: r.code }),
    ...(r.links ? { links: r.links } : {}),
  })

  const sse = (res: ServerResponse, env: Envelope) => {
    res.write(`id: ${env.run}:${env.seq}\ndata: ${JSON.stringify(env)}\n\n`)
  }

  const linkTo = (file: string | undefined): string | undefined => {
    if (!file) return undefined
    const rel = path.relative(outDir, path.resolve(file)).split(path.sep).join('/')
    const url = `/results/${rel}`
    return RESULTS_PATH.test(url) ? url : undefined
  }

  const record = (run: LiveRun, e: LabEvent) => {
    let event = e
    if (e.type === 'plan') {
      try {
        run.log = new EventLog(eventLogPath(path.resolve(e.file)))
      } catch (err) {
        log(`run ${run.id}: no event log (${(err as Error).message})`)
      }
    }
    if (e.type === 'done') {
      const links = {
        ...(linkTo(e.file) ? { results: linkTo(e.file) } : {}),
        ...(linkTo(e.report) ? { report: linkTo(e.report) } : {}),
        ...(run.log && linkTo(run.log.file) ? { events: linkTo(run.log.file) } : {}),
      }
      run.links = links
      run.code = e.code
      event = { ...e, links }
    }
    const env: Envelope = { run: run.id, seq: run.events.length, event }
    run.events.push(env)
    try {
      run.log?.append(event)
    } catch {
      // a full disk must not stop the run; the results JSON says what was measured
    }
    for (const res of [...followers, ...run.streams]) sse(res, env)
    if (e.type === 'done') {
      run.state = 'done'
      if (current === run) current = undefined
      run.log?.close()
      for (const res of run.streams) res.end()
      run.streams.clear()
    }
  }

  const startRun = (v: ValidStart, entry: Entry): LiveRun => {
    const id = `${new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`
    const command = commandFor(v, { topologies: Object.keys(entry.scenario.topologies).length, workloads: Object.keys(entry.scenario.workloads).length })
    const run: LiveRun = {
      id,
      state: 'running',
      request: v,
      command,
      startedAt: new Date().toISOString(),
      events: [],
      controller: new AbortController(),
      finished: Promise.resolve(),
      streams: new Set(),
    }
    const output = opts.runOutput ?? sink()
    run.finished = runCommand({
      target: v.scenario,
      quick: v.quick,
      stack: v.stack,
      set: v.set,
      topology: v.topologies,
      workload: v.workloads,
      out: outDir,
      command,
      driver: opts.driver?.(),
      start: opts.start,
      stdout: output,
      stderr: output,
      signal: run.controller.signal,
      onEvent: (e) => record(run, e),
    }).then(
      (outcome) => {
        if (run.state !== 'done') record(run, { type: 'done', at: Date.now(), code: outcome.code, complete: outcome.doc?.complete ?? false })
        log(`run ${id}: ${outcome.code === 0 ? 'done' : `ended with code ${outcome.code}`}${run.links?.report ? `; report ${run.links.report}` : ''}`)
      },
      (err: unknown) => {
        if (run.state !== 'done') record(run, { type: 'done', at: Date.now(), code: 1, complete: false, error: err instanceof Error ? err.message : String(err) })
        log(`run ${id}: failed: ${err instanceof Error ? err.message : String(err)}`)
      },
    ).finally(() => {
      if (current === run) current = undefined
    })
    runs.push(run)
    while (runs.length > keepRuns) runs.shift()
    log(`run ${id}: ${command}`)
    return run
  }

  let port = 0
  const allowedHosts = (): Set<string> => {
    const names = ['127.0.0.1', 'localhost', '[::1]']
    if (opts.host && !isLoopback(opts.host)) {
      if (opts.host === '0.0.0.0' || opts.host === '::') {
        for (const list of Object.values(os.networkInterfaces())) {
          for (const a of list ?? []) names.push(a.family === 'IPv6' ? `[${a.address.toLowerCase()}]` : a.address)
        }
      } else names.push(opts.host.includes(':') && !opts.host.startsWith('[') ? `[${opts.host.toLowerCase()}]` : opts.host.toLowerCase())
    }
    const out = new Set<string>()
    for (const n of names) {
      out.add(`${n}:${port}`)
      if (port === 80) out.add(n)
    }
    return out
  }
  let allowed = new Set<string>()

  const json = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body)
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(text) })
    res.end(text)
  }
  const fail = (res: ServerResponse, status: number, error: string, extra: Record<string, unknown> = {}) => json(res, status, { error, ...extra })

  const readBody = (req: IncomingMessage): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = []
      let size = 0
      req.on('data', (c: Buffer) => {
        size += c.length
        // past the limit, keep reading (and dropping) so the client gets its answer; past 1 MiB, hang up
        if (size > 64 * MAX_BODY) req.destroy()
        else if (size <= MAX_BODY) chunks.push(c)
      })
      req.on('end', () => {
        if (size > MAX_BODY) return reject(Object.assign(new Error(`the body is over ${MAX_BODY} bytes`), { status: 413 }))
        try {
          resolve(size === 0 ? {} : JSON.parse(Buffer.concat(chunks).toString('utf8')))
        } catch (err) {
          reject(new Error(`the body is not JSON (${(err as Error).message})`))
        }
      })
      req.on('error', reject)
    })

  const openStream = (req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    })
    res.socket?.setNoDelay(true)
    res.write('retry: 2000\n\n')
    const ping = setInterval(() => res.write(': ping\n\n'), 15_000)
    req.on('close', () => clearInterval(ping))
    res.on('close', () => clearInterval(ping))
  }

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    res.setHeader('X-Content-Type-Options', 'nosniff')
    res.setHeader('Referrer-Policy', 'no-referrer')
    const hostHeader = (req.headers.host ?? '').toLowerCase()
    const origin = req.headers.origin
    if (!allowed.has(hostHeader)) return fail(res, 403, `Host ${JSON.stringify(req.headers.host ?? '')} is not this demo; open it at http://127.0.0.1:${port}/`)
    if (origin !== undefined) {
      let ok = false
      try {
        const o = new URL(origin)
        ok = o.protocol === 'http:' && allowed.has(o.host.toLowerCase()) && o.pathname === '/' && origin === o.origin
      } catch {
        ok = false
      }
      if (!ok) return fail(res, 403, `Origin ${JSON.stringify(origin)} may not use this demo`)
    }
    const url = new URL(req.url ?? '/', 'http://localhost')
    const p = url.pathname
    const method = req.method ?? 'GET'
    const get = method === 'GET' || method === 'HEAD'

    if (p === '/' || p === '/live.html') {
      if (!get) return fail(res, 405, `${method} not allowed`)
      const { html, csp } = livePage()
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': html.length, 'Cache-Control': 'no-store', 'Content-Security-Policy': csp })
      res.end(method === 'HEAD' ? undefined : html)
      return
    }
    if (p === '/api/scenarios') {
      if (!get) return fail(res, 405, `${method} not allowed`)
      const cat = await loadCatalogue()
      return json(res, 200, {
        scenarios: [...cat.values()].map((e) => ({
          name: e.scenario.name,
          title: e.scenario.title,
          summary: e.scenario.summary,
          topologies: Object.entries(e.scenario.topologies).map(([id, t]) => ({ id, model: t.server.model, ...(t.server.model === 'prefork' ? { workers: t.server.workers } : {}) })),
          workloads: Object.entries(e.scenario.workloads).map(([id, w]) => ({ id, ...w })),
          knobs: e.knobs,
          notesHtml: e.notesHtml,
        })),
        stacks: STACKS,
        limits: DEMO_LIMITS,
      })
    }
    if (p === '/api/runs') {
      if (get) return json(res, 200, { current: current?.id ?? null, runs: [...runs].reverse().map(summary) })
      if (method !== 'POST') return fail(res, 405, `${method} not allowed`)
      if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return fail(res, 415, 'send the request as application/json')
      if (closing) return fail(res, 503, 'the demo is shutting down')
      if (current) return fail(res, 409, `run ${current.id} is still going; stop it or wait for it to finish`, { running: current.id })
      let body: unknown
      try {
        body = await readBody(req)
      } catch (err) {
        const status = (err as { status?: number }).status ?? 400
        return fail(res, status, (err as Error).message, { problems: [{ field: '(body)', message: (err as Error).message }] })
      }
      if (catalogue.size === 0) await loadCatalogue()
      const v = validateStart(body, catalogue, STACKS)
      if (!v.ok) return fail(res, 400, v.problems.map((x) => x.message).join('; '), { problems: v.problems })
      const raced = running() // another start may have won while the body arrived
      if (raced) return fail(res, 409, `run ${raced.id} is still going; stop it or wait for it to finish`, { running: raced.id })
      current = startRun(v.value, catalogue.get(v.value.scenario) as Entry)
      return json(res, 202, { ...summary(current), stream: `/api/runs/${current.id}/events` })
    }
    if (p === '/api/events') {
      if (!get) return fail(res, 405, `${method} not allowed`)
      openStream(req, res)
      const latest = runs.at(-1)
      if (latest) {
        // EventSource reconnects with Last-Event-ID: resume the same run where it left off
        const [lastRun, lastSeq] = String(req.headers['last-event-id'] ?? '').split(':')
        const from = lastRun === latest.id && lastSeq !== undefined && /^\d+$/.test(lastSeq) ? Number(lastSeq) + 1 : 0
        for (const env of latest.events.slice(from)) sse(res, env)
      }
      followers.add(res)
      res.on('close', () => followers.delete(res))
      return
    }
    const m = /^\/api\/runs\/([\w-]{1,64})(\/stop|\/events)?$/.exec(p)
    if (m) {
      const run = runs.find((r) => r.id === m[1])
      if (!run) return fail(res, 404, `no run ${m[1]}`)
      if (m[2] === undefined) return get ? json(res, 200, summary(run)) : fail(res, 405, `${method} not allowed`)
      if (m[2] === '/stop') {
        if (method !== 'POST') return fail(res, 405, `${method} not allowed`)
        if (run.state !== 'done') {
          run.state = 'stopping'
          run.controller.abort('stop')
          log(`run ${run.id}: stopping`)
          await Promise.race([run.finished, new Promise((r) => setTimeout(r, 20_000).unref())])
        }
        return json(res, 200, summary(run))
      }
      if (!get) return fail(res, 405, `${method} not allowed`)
      openStream(req, res)
      for (const env of run.events) sse(res, env)
      if (run.state === 'done') res.end()
      else {
        run.streams.add(res)
        res.on('close', () => run.streams.delete(res))
      }
      return
    }
    if (p.startsWith('/results/')) {
      if (!get) return fail(res, 405, `${method} not allowed`)
      const r = RESULTS_PATH.exec(p)
      if (!r) return fail(res, 404, 'not a results file')
      const file = path.join(outDir, r[1] as string, r[2] as string)
      let real: string
      try {
        real = realpathSync(file)
        const root = realpathSync(outDir)
        if (!real.startsWith(root + path.sep) || !statSync(real).isFile()) throw new Error('outside')
      } catch {
        return fail(res, 404, 'no such results file')
      }
      const body = readFileSync(real)
      const ext = real.endsWith('.events.ndjson') ? '.ndjson' : path.extname(real)
      res.writeHead(200, {
        'Content-Type': TYPES[ext] ?? 'application/octet-stream',
        'Content-Length': body.length,
        'Cache-Control': 'no-store',
        // a saved report is a self-contained page: it may run its own inline script, fetch nothing
        'Content-Security-Policy': "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'",
      })
      res.end(method === 'HEAD' ? undefined : body)
      return
    }
    return fail(res, 404, `no route ${p}`)
  }

  const server = http.createServer({ noDelay: true }, (req, res) => {
    handle(req, res).catch((err: unknown) => {
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
  allowed = allowedHosts()
  const shown = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host
  let closed: Promise<void> | undefined

  return {
    url: `http://${shown === '[::]' ? '127.0.0.1' : shown}:${port}/`,
    host,
    port,
    current: () => current?.id,
    close() {
      closed ??= (async () => {
        closing = true
        const active = current
        if (active) {
          active.state = 'stopping'
          active.controller.abort('stop')
          await active.finished
        }
        for (const res of followers) res.end()
        followers.clear()
        await new Promise<void>((resolve) => {
          server.close(() => resolve())
          server.closeAllConnections()
        })
      })()
      return closed
    },
  }
}
