/**
 * The demo's routes (the API in lab/core/live-api.ts): the live page, the
 * catalogue, the runs and their event streams, the saved results.
 */
import { validateStart } from '../core/knobs.js'
import type { CatalogueResponse, GateRequest, RunsResponse, StartResponse } from '../core/live-api.js'
import { STACKS } from '../engines/types.js'
import type { Catalogue, Entry } from './catalogue.js'
import { LivePage, RESULTS_PATH, resultsFile, serveFile } from './files.js'
import { HttpError, fail, json, readJsonBody } from './http.js'
import type { Route, RouteContext } from './router.js'
import { summary, type RunRegistry } from './runs.js'
import type { SseBroker } from './sse.js'

/** What the routes work with. */
export interface ApiParts {
  page: LivePage
  catalogue: Catalogue
  runs: RunRegistry
  broker: SseBroker
  /** Results folder (absolute). */
  outDir: string
  /** True once the server is closing: no new run starts. */
  closing: () => boolean
  /** Control needs the teacher token (checked before routing, lab/live/token.ts). */
  viewOnly: boolean
}

const busy = (c: RouteContext, id: string) => fail(c.res, 409, `run ${id} is still going; stop it or wait for it to finish`, { running: id })

/** The route table. */
export function routes(api: ApiParts): Route[] {
  const { runs, broker } = api
  /** The run a `/api/runs/<id>...` path names, or a 404 answered. */
  const named = (c: RouteContext) => {
    const run = runs.find(c.params[0] as string)
    if (!run) fail(c.res, 404, `no run ${c.params[0]}`)
    return run
  }
  return [
    { path: '/', GET: (c) => api.page.serve(c.res, c.head) },
    { path: '/live.html', GET: (c) => api.page.serve(c.res, c.head) },
    { path: '/api/scenarios', GET: async (c) => json(c.res, 200, { ...(await api.catalogue.response()), viewOnly: api.viewOnly } satisfies CatalogueResponse) },
    // the token was checked before routing: reaching here means it is right (or none is needed)
    { path: '/api/token', POST: (c) => void c.res.writeHead(204).end() },
    {
      path: '/api/runs',
      GET: (c) => json(c.res, 200, { current: runs.current()?.id ?? null, runs: runs.list().map(summary) } satisfies RunsResponse),
      POST: (c) => start(api, c),
    },
    {
      path: '/api/events',
      GET: (c) => broker.follow(c.req, c.res, runs.latest()?.events ?? []),
    },
    {
      path: /^\/api\/runs\/([\w-]{1,64})$/,
      GET: (c) => {
        const run = named(c)
        if (run) json(c.res, 200, summary(run))
      },
    },
    {
      path: /^\/api\/runs\/([\w-]{1,64})\/stop$/,
      POST: async (c) => {
        const run = named(c)
        if (!run) return
        await runs.stop(run)
        json(c.res, 200, summary(run))
      },
    },
    {
      path: /^\/api\/runs\/([\w-]{1,64})\/gate$/,
      POST: async (c) => {
        if (!/^application\/json\b/i.test(c.req.headers['content-type'] ?? '')) return fail(c.res, 415, 'send the request as application/json')
        const run = named(c)
        if (!run) return
        const body = (await readJsonBody(c.req).catch(() => ({}))) as Partial<GateRequest>
        if (run.state === 'done') return fail(c.res, 409, `run ${run.id} has ended`)
        const gate = run.gate
        const act: Record<GateRequest['action'], () => void> = {
          next: () => void gate.next(),
          pause: () => gate.pause(),
          resume: () => gate.resume(),
          'step-on': () => gate.setStep(true),
          'step-off': () => gate.setStep(false),
        }
        const action = typeof body.action === 'string' && Object.hasOwn(act, body.action) ? act[body.action] : undefined
        if (!action) return fail(c.res, 400, `action: expected one of ${Object.keys(act).join(', ')}`)
        action()
        json(c.res, 200, summary(run))
      },
    },
    {
      path: /^\/api\/runs\/([\w-]{1,64})\/events$/,
      GET: (c) => {
        const run = named(c)
        if (run) broker.subscribe(c.req, c.res, run.id, run.events, run.state === 'done')
      },
    },
    {
      path: /^\/results\//,
      GET: (c) => {
        const p = new URL(c.req.url ?? '/', 'http://localhost').pathname
        if (!RESULTS_PATH.test(p)) return fail(c.res, 404, 'not a results file')
        const file = resultsFile(api.outDir, p)
        if (!file) return fail(c.res, 404, 'no such results file')
        serveFile(c.res, file, c.head)
      },
    },
  ]
}

/** `POST /api/runs`: checks the request, then starts the run unless one is running. */
async function start(api: ApiParts, c: RouteContext): Promise<void> {
  const { runs, catalogue } = api
  if (!/^application\/json\b/i.test(c.req.headers['content-type'] ?? '')) return fail(c.res, 415, 'send the request as application/json')
  if (api.closing()) return fail(c.res, 503, 'the demo is shutting down')
  const running = runs.current()
  if (running) return busy(c, running.id)
  let body: unknown
  try {
    body = await readJsonBody(c.req)
  } catch (err) {
    const status = err instanceof HttpError ? err.status : 400
    return fail(c.res, status, (err as Error).message, { problems: [{ field: '(body)', message: (err as Error).message }] })
  }
  if (catalogue.current.size === 0) await catalogue.load()
  const v = validateStart(body, catalogue.current, STACKS)
  if (!v.ok) return fail(c.res, 400, v.problems.map((x) => x.message).join('; '), { problems: v.problems })
  const raced = runs.current() // another start may have won while the body arrived
  if (raced) return busy(c, raced.id)
  const run = runs.start(v.value, catalogue.current.get(v.value.scenario) as Entry)
  json(c.res, 202, { ...summary(run), stream: `/api/runs/${run.id}/events` } satisfies StartResponse)
}
