/**
 * The demo server's HTTP API as the live page calls it (served by
 * `lab demo`, lab/live/server.ts): the scenario catalogue, starting and
 * stopping a run, and the run's events over server-sent events.
 */
import type { Envelope } from '../../../lab/core/events.js'
import type { Knob } from '../../../lab/core/knobs.js'

/** A scenario as `GET /api/scenarios` lists it. */
export interface ScenarioInfo {
  name: string
  title: string
  summary: string
  topologies: Array<{ id: string; model: string; workers?: number }>
  workloads: Array<{ id: string; io_ms: number; cpu_ms: number; bytes: number }>
  knobs: Knob[]
  notesHtml: string
}

/** `GET /api/scenarios`. */
export interface Catalogue {
  scenarios: ScenarioInfo[]
  stacks: string[]
  /** The demo's language (`lab demo --lang`), a string until checked with `isLang`. */
  lang?: string
  /** Run, Stop, Next and Pause need the teacher token (the demo is bound beyond loopback). */
  viewOnly?: boolean
}

/** The teacher token, once the teacher has typed it in (kept in this page's memory only, never stored). */
let teacherToken = ''

/** The headers of a control request: JSON, and the teacher token when there is one. */
function controlHeaders(): Record<string, string> {
  return { 'Content-Type': 'application/json', ...(teacherToken ? { 'X-Lab-Token': teacherToken } : {}) }
}

/**
 * `POST /api/token`: checks `token` with the server and, when right, sends it with every control request from now on.
 * @returns whether the server took it
 */
export async function unlock(token: string): Promise<boolean> {
  const res = await fetch('/api/token', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Lab-Token': token } })
  if (res.status === 204) teacherToken = token
  return res.status === 204
}

/** What the teacher can press between levels (`POST /api/runs/<id>/gate`). */
export type GateAction = 'next' | 'pause' | 'resume' | 'step-on' | 'step-off'

/** The gate's settings as the server answered them. */
export interface GateAnswer {
  step: boolean
  paused: boolean
  holding: 'step' | 'pause' | null
}

/**
 * `POST /api/runs/<id>/gate`.
 * @returns the gate after the action
 * @throws Error with the server's message when it refused
 */
export async function gate(id: string, action: GateAction): Promise<GateAnswer> {
  const res = await fetch(`/api/runs/${encodeURIComponent(id)}/gate`, { method: 'POST', headers: controlHeaders(), body: JSON.stringify({ action }) })
  const body = (await res.json()) as { gate?: GateAnswer; error?: string }
  if (!res.ok || !body.gate) throw new Error(body.error ?? `the server answered ${res.status}`)
  return body.gate
}

/** The body of `POST /api/runs`: only knobs turned away from their defaults are sent. */
export interface StartRequest {
  scenario: string
  quick: boolean
  stack: string
  topologies: string[]
  workloads: string[]
  knobs: Record<string, number | number[]>
  /** Step mode: hold after each level until Next. */
  step?: boolean
}

/** A field the server refused, with its reason (`field` '' for the request as a whole). */
export interface Problem {
  field: string
  message: string
}

/** What `POST /api/runs` answered: its status and body. */
export interface StartAnswer {
  status: number
  ok: boolean
  body: { id?: string; error?: string; problems?: Problem[]; running?: string }
}

/**
 * `GET /api/scenarios`.
 * @throws Error saying what the server answered, when it is not a catalogue
 */
export async function loadCatalogue(): Promise<Catalogue> {
  const res = await fetch('/api/scenarios', { headers: { Accept: 'application/json' } })
  const body = (await res.json()) as Catalogue & { error?: string }
  if (!res.ok || !Array.isArray(body.scenarios)) throw new Error(body.error ?? `the server answered ${res.status}`)
  return body
}

/**
 * `POST /api/runs`: 202 with the run's id, 400 with the problems, 409 with
 * the run that is going.
 * @throws when the server cannot be reached
 */
export async function startRun(request: StartRequest): Promise<StartAnswer> {
  const res = await fetch('/api/runs', { method: 'POST', headers: controlHeaders(), body: JSON.stringify(request) })
  return { status: res.status, ok: res.ok, body: (await res.json()) as StartAnswer['body'] }
}

/**
 * `POST /api/runs/<id>/stop`.
 * @throws Error with the server's message when it refused (a view-only demo without the token)
 */
export async function stopRun(id: string): Promise<void> {
  const res = await fetch(`/api/runs/${encodeURIComponent(id)}/stop`, { method: 'POST', headers: controlHeaders() })
  if (!res.ok) throw new Error(((await res.json()) as { error?: string }).error ?? `the server answered ${res.status}`)
}

/**
 * Follows `GET /api/events`: the running (or last) run's history, then its
 * events as they come; EventSource reconnects by itself.
 * @param onEnvelope - each event as it arrives
 * @param onConnection - true when connected, false while reconnecting
 */
export function followEvents(onEnvelope: (env: Envelope) => void, onConnection: (open: boolean) => void): EventSource {
  const source = new EventSource('/api/events')
  source.onopen = () => onConnection(true)
  source.onerror = () => onConnection(false)
  source.onmessage = (m: MessageEvent<string>) => onEnvelope(JSON.parse(m.data) as Envelope)
  return source
}
