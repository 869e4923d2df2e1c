/**
 * The lines of `lab run`'s summary around its tables (lab/core/format.ts):
 * a workload's parameters, what ran beside the load, why a theory figure is
 * approximate, the windows the rules extended, and the calibration and CPU
 * placement the "this machine" predictions rest on. Pure: returns strings.
 */
import { answeredPerSecond, loadLabel } from './labels.js'
import type { ResultsDocument, RunResult } from './results.js'
import { decimalSeparator, num } from './format-number.js'
import { currentLang, t } from './i18n.js'
import { placementText } from './placement.js'
import { rewordApproximate, rewordWindow } from './reword.js'

const fix = (n: number, d = 1) => num(n, d)

/** What the summary prints where there is no figure: nothing was answered, so no latency (never `0.0 ms`). */
export const NO_DATA = '—'

/** `12.3 ms`, or {@link NO_DATA} when nothing was measured. */
export const ms = (n: number, none: boolean): string => (none ? NO_DATA : t('summary.ms', { value: fix(n) }))

const finite = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)

/**
 * A workload in a few words, for the summary's header and the report's
 * questions: `50 ms wait + 0 ms CPU per request, 1024 B responses, 5 % hang`;
 * a mix, streams, WebSocket clients and slow clients by their count, never as JSON.
 * @param opts.bytes - name the response size (default true)
 */
export function describeWorkload(params: Record<string, unknown>, opts: { bytes?: boolean } = {}): string {
  const w = params
  if (Array.isArray(w.mix)) return t('describe.mix', { count: w.mix.length })
  const parts: string[] = []
  const io = finite(w.io_ms)
  const cpu = finite(w.cpu_ms)
  // the workload's own figures, as written in the scenario (`0.05`), with the language's decimal separator
  const asWritten = (n: number): string => String(n).replace('.', decimalSeparator(currentLang()))
  if (io !== undefined || cpu !== undefined) parts.push(t('describe.work', { io: asWritten(io ?? 0), cpu: asWritten(cpu ?? 0) }))
  const bytes = finite(w.bytes)
  if (opts.bytes !== false && bytes !== undefined) parts.push(t('describe.bytes', { bytes }))
  const hang = finite(w.hang_pct)
  if (hang) parts.push(t('describe.hang', { pct: asWritten(hang) }))
  const crash = finite(w.crash_pct)
  if (crash) parts.push(t('describe.crash', { pct: asWritten(crash) }))
  const count = (key: string): number | undefined => finite((w[key] as { count?: unknown; clients?: unknown } | undefined)?.count) ?? finite((w[key] as { clients?: unknown } | undefined)?.clients)
  const streams = count('streams')
  if (streams) parts.push(t('describe.streams', { count: streams }))
  const sockets = count('websockets')
  if (sockets) parts.push(t('describe.websockets', { count: sockets }))
  const slow = count('slow_clients')
  const mode = (w.slow_clients as { mode?: unknown } | undefined)?.mode
  if (slow) parts.push(`${t('describe.slowClients', { count: slow })}${typeof mode === 'string' ? ` (${mode})` : ''}`)
  return parts.join(', ')
}

/** Server CPU of a level: the sum over its processes, in percent of one core. */
export function serverCpuPercent(run: RunResult): number {
  return run.processes.reduce((s, p) => s + p.cpuPercent.mean, 0)
}

/** Lines for what ran beside the load: the probe, streams, TIME_WAIT sockets (only where they say something). */
export function extras(runs: readonly RunResult[]): string[] {
  const out: string[] = []
  const at = (r: RunResult) => `${r.topology} ${loadLabel(r)}${r.repeat > 0 ? ` #${r.repeat + 1}` : ''}`
  const probes = runs.filter((r) => r.probe)
  if (probes.length) {
    out.push('', `  ${t('summary.probe', { path: probes[0]?.probe?.path ?? '' })}`)
    for (const r of probes) {
      const p = r.probe as NonNullable<RunResult['probe']>
      const none = p.requests - p.errors <= 0
      const errors = p.errors ? t('summary.probeErrors', { count: p.errors }) : ''
      out.push(`    ${at(r).padEnd(20)} ${t('summary.probeLine', { p50: ms(p.latencyMs.p50, none), p99: ms(p.latencyMs.p99, none), max: ms(p.latencyMs.max, none), requests: p.requests, errors })}`)
    }
  }
  const streams = runs.filter((r) => r.streams)
  if (streams.length) {
    out.push('', `  ${t('summary.streams')}`)
    for (const r of streams) {
      const st = r.streams as NonNullable<RunResult['streams']>
      out.push(`    ${at(r).padEnd(20)} ${t('summary.streamsLine', { opened: st.opened, events: st.events, failed: st.failed ? t('summary.streamsFailed', { count: st.failed }) : '' })}`)
    }
  }
  const ws = runs.filter((r) => r.websockets)
  if (ws.length) {
    out.push('', `  ${t('summary.websockets')}`)
    for (const r of ws) {
      const w = r.websockets as NonNullable<RunResult['websockets']>
      const refused = Object.entries(w.refused).map(([status, n]) => t('describe.refused', { count: n, status }))
      const more = [...refused, ...(w.failed ? [t('describe.failed', { count: w.failed })] : [])].map((x) => `, ${x}`).join('')
      const none = w.delivered === 0
      out.push(
        `    ${at(r).padEnd(20)} ` +
          t('describe.websocketsLine', { held: w.held, clients: w.clients, sent: fix(w.sentPerSecond), delivered: fix(w.deliveredPerSecond), p50: ms(w.deliveryMs.p50, none), p99: ms(w.deliveryMs.p99, none), more }),
      )
    }
  }
  // a link's own line only where some level used or asked for one (plain paced levels say nothing new)
  const slow = runs.filter((r) => r.slowClients?.via === 'link' || r.slowClients?.note)
  if (slow.length) {
    out.push('', `  ${t('summary.slowClients')}`)
    for (const r of slow) {
      const s = r.slowClients as NonNullable<RunResult['slowClients']>
      // with the time they ran, the rate they got (kbit/s), to hold against the link's
      const kb = fix(s.bytesReceived / 1000, 0)
      const got = s.elapsedS ? ` (${fix((s.bytesReceived * 8) / 1000 / s.elapsedS, 0)} kbit/s, ${fix(s.elapsedS)} s)` : ''
      const note = s.note ? ` (${s.note})` : ''
      out.push(`    ${at(r).padEnd(20)} ${s.via === 'link' && s.link ? t('summary.slowLink', { rate: fix(s.link.rateKbit, 0), qdisc: s.link.qdisc, kb, got, note }) : t('summary.slowPaced', { rate: fix(s.bytesPerS, 0), kb, got, note })}`)
    }
  }
  if (runs.some((r) => (r.sockets?.timeWait ?? 0) > 0)) {
    out.push('', `  ${t('summary.timeWait')}`)
    for (const r of runs) out.push(`    ${at(r).padEnd(20)} ${r.sockets?.timeWait ?? 0}`)
  }
  const shed = runs.filter((r) => r.requests.ok !== undefined && r.requests.ok < r.requests.total)
  if (shed.length) {
    out.push('', `  ${t('summary.answeredAmong')}`)
    for (const r of shed) out.push(`    ${at(r).padEnd(20)} ${t('summary.answeredOf', { answered: fix(answeredPerSecond(r)), all: fix(r.requests.perSecond.mean) })}`)
  }
  const costed = runs.filter((r) => r.app !== undefined && r.cpuPerResponseUs != null)
  if (costed.length) {
    out.push('', `  ${t('summary.cpuPerResponse')}`)
    for (const r of costed) out.push(`    ${at(r).padEnd(20)} ${fix(r.cpuPerResponseUs as number, 0)} µs  (${t('describe.appOn', { app: r.app ?? '', server: r.engines.server })})`)
  }
  const respawns = runs.filter((r) => r.events?.length)
  if (respawns.length) {
    out.push('', `  ${t('summary.masterEvents')}`)
    for (const r of respawns) {
      const count = (kind: string) => r.events?.filter((e) => e.kind === kind).length ?? 0
      out.push(`    ${at(r).padEnd(20)} ${t('summary.masterLine', { exits: count('worker-exit'), timeouts: count('worker-timeout'), spawns: count('worker-spawn') })}`)
    }
  }
  // Memory: RSS counts a shared page in every process, PSS divides it among its sharers (scenarios/preload)
  const withPss = runs.filter((r) => r.processes.some((p) => p.pssBytes))
  if (withPss.length) {
    out.push('', `  ${t('summary.memory')}`)
    const mib = (b: number) => fix(b / 1048576, 1)
    for (const r of withPss) {
      const rss = r.processes.reduce((s, p) => s + p.rssBytes.mean, 0)
      const pss = r.processes.reduce((s, p) => s + (p.pssBytes?.mean ?? 0), 0)
      out.push(`    ${at(r).padEnd(20)} ${t('summary.memoryLine', { count: r.processes.length, rss: mib(rss), pss: mib(pss) })}`)
    }
  }
  return out
}

/** Under a table: what a `~` before a theory figure means, each distinct reason once. */
export function approximateNotes(runs: readonly RunResult[]): string[] {
  const why = (p: { approximate?: string } | undefined) => (p?.approximate ? [p.approximate] : [])
  const notes = [...new Set(runs.flatMap((r) => [...why(r.prediction?.textbook ?? r.prediction), ...why(r.prediction?.thisMachine)]))]
  return notes.length ? ['', `  ${t('summary.approximate')}`, ...notes.map((n) => `    ${rewordApproximate(n)}`)] : []
}

/** The levels whose window the rules (lab/core/window.ts) made longer than asked, or could not make long enough. */
export function windowLines(runs: readonly RunResult[]): string[] {
  const changed = runs.filter((r) => r.window?.verdict !== undefined && r.window.verdict !== 'as-asked')
  if (changed.length === 0) return []
  const name = (r: RunResult) => `${r.topology} ${r.workload} @${r.connections}${r.repeat > 0 ? ` #${r.repeat + 1}` : ''}`
  return ['', t('summary.windows'), ...changed.map((r) => `  ${name(r)}: ${rewordWindow(r.window?.message ?? '')}`)]
}

/** The calibration the "this machine" predictions use, and where the client and the servers ran. */
export function calibrationLines(doc: ResultsDocument): string[] {
  const out: string[] = []
  const cal = doc.calibration ?? []
  if (cal.length) out.push('', t('summary.calibration'), ...calibrationRecordLines(cal))
  const p = doc.env.placement
  if (p) out.push(t('summary.placement', { note: placementText(p) }))
  return out
}

/** One or two lines per calibration record: its CPU per response (and where it came from), then its one-connection delays. */
export function calibrationRecordLines(cal: NonNullable<ResultsDocument['calibration']>): string[] {
  const out: string[] = []
  for (const c of cal) {
    const proxy = c.proxyMsPerRequest !== undefined ? t('summary.calibrationProxy', { ms: fix(c.proxyMsPerRequest, 3) }) : ''
    const source = c.source === 'cache' ? t('summary.cached', { date: c.measuredAt.slice(0, 10) }) : t('summary.measuredNow')
    out.push(
      `  ${`${c.engine} ${c.version}`.padEnd(24)} ` +
        t('summary.calibrationLine', { proxy, server: fix(c.serverMsPerRequest, 3), client: fix(c.clientMsPerRequest, 3), rate: fix(c.level.perSecond, 0), connections: c.level.connections, settings: c.settings, source }),
    )
    if (c.latency) out.push(`  ${''.padEnd(24)} ${t('summary.calibrationLatency', { base: fix(c.latency.baseMs, 2), over: fix(c.latency.timerOvershootMs, 2) })}`)
  }
  return out
}
