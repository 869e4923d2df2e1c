/**
 * The demo's HTTP API (`lab demo`, lab/live/server.ts): the shapes of its
 * requests and answers, shared by the server and the live page so the two
 * cannot drift. Types only; the server validates a start request with
 * `validateStart` (lab/core/knobs.ts).
 *
 * | request | answer |
 * |---|---|
 * | `GET /` | the live page |
 * | `GET /api/scenarios` | {@link CatalogueResponse} |
 * | `GET /api/runs` | {@link RunsResponse} (newest first) |
 * | `POST /api/runs` {@link StartRequest} | 202 {@link StartResponse}; 400/413/415 {@link ErrorResponse} with `problems`; 409 with `running`; 503 while shutting down |
 * | `GET /api/runs/<id>` | {@link RunSummary} |
 * | `POST /api/runs/<id>/stop` | 200 {@link RunSummary} once the run has stopped and its processes are gone |
 * | `POST /api/runs/<id>/gate` {@link GateRequest} | 200 {@link RunSummary}: step mode on/off, Next, Pause, Resume between levels; 409 once the run is done |
 * | `POST /api/token` | 204 when the `X-Lab-Token` header holds the teacher token (or the demo needs none) |
 * | `GET /api/runs/<id>/events` | `text/event-stream`: that run's events from the first; ends after `done` |
 * | `GET /api/events` | `text/event-stream`: the latest run's events from the first, then every run's as they happen |
 * | `GET /results/<scenario>/<stamp>.{json,html,events.ndjson}` | saved files, read-only |
 *
 * Every SSE message is `id: <run>:<seq>` and `data: <Envelope JSON>`
 * (lab/core/events.ts); a reconnecting browser's `Last-Event-ID` resumes
 * after the last event it saw. Any other failure is {@link ErrorResponse}
 * with 403 (foreign Host or Origin), 401 (a view-only demo's `POST` without
 * the teacher token, lab/live/token.ts), 404 or 405.
 *
 * Pure: types only.
 */
import type { DoneEvent, GateState, TopologyInfo } from './events.js'
import type { DEMO_LIMITS, FieldProblem, Knob, StartRequest } from './knobs.js'
import type { Workload } from './scenario.js'
import type { Lang } from './i18n-lang.js'

export type { FieldProblem, StartRequest }

/** A scenario of the catalogue as the page lists it. */
export interface ScenarioInfo {
  name: string
  title: string
  summary: string
  topologies: TopologyInfo[]
  /** Each workload as the scenario defines it (after defaults), with its id. */
  workloads: Array<Workload & { id: string }>
  knobs: Knob[]
  /** The scenario's notes.md rendered to HTML (raw HTML shown as text, only safe links). */
  notesHtml: string
}

/** `GET /api/scenarios`. */
export interface CatalogueResponse {
  scenarios: ScenarioInfo[]
  /** The stacks a run may ask for, e.g. `['node', 'python']`. */
  stacks: readonly string[]
  /** The demo's bounds on every knob. */
  limits: typeof DEMO_LIMITS
  /** The demo's language (`lab demo --lang`, else the locale): the page opens in it; notes come in it when translated. */
  lang?: Lang
  /** True when Run, Stop, Next and Pause need the teacher token (`X-Lab-Token`): the demo is bound beyond loopback. Absent: false. */
  viewOnly?: boolean
}

/** A demo run's state: `stopping` after a stop was asked, until its processes are gone. */
export type RunState = 'running' | 'stopping' | 'done'

/** URLs of a finished run's saved files, under the read-only `/results/` prefix. */
export type RunLinks = NonNullable<DoneEvent['links']>

/** A demo run as `GET /api/runs/<id>` tells it. */
export interface RunSummary {
  /** `<UTC stamp>-<6 hex>`, e.g. `20261122T100000Z-a1b2c3`. */
  id: string
  state: RunState
  scenario: string
  quick: boolean
  stack: string
  topologies: string[]
  workloads: string[]
  /** The knobs as `--set path=JSON` arguments. */
  set: string[]
  /** The `lab run` command line that reproduces it. */
  command: string
  /** ISO 8601 UTC. */
  startedAt: string
  /** Events so far. */
  events: number
  /** Step mode, pause, and whether the run is held between levels now (lab/run/gate.ts). */
  gate: GateState
  /** `lab run`'s exit code, once done (0 done, 1 failed, 2 bad input, 3 engine missing, 130/143 stopped). */
  code?: number
  links?: RunLinks
}

/** `POST /api/runs/<id>/gate`: what the teacher pressed. */
export interface GateRequest {
  action: 'next' | 'pause' | 'resume' | 'step-on' | 'step-off'
}

/** `GET /api/runs`. */
export interface RunsResponse {
  /** The running run's id, or null. */
  current: string | null
  runs: RunSummary[]
}

/** `POST /api/runs`, accepted (202). */
export interface StartResponse extends RunSummary {
  /** The run's event stream, `/api/runs/<id>/events`. */
  stream: string
}

/** Every refusal: a one-line message, and the fields at fault (400, 413) or the running run (409). */
export interface ErrorResponse {
  error: string
  problems?: FieldProblem[]
  running?: string
}
