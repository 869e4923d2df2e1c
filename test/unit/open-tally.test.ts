import { describe, expect, it } from 'vitest'
import type { OpenLoad } from '../../lab/load/driver.js'
import { OpenTally, type Completion } from '../../lab/load/open-tally.js'

const open: OpenLoad = { ratePerS: 10, arrival: 'constant', maxConnections: 2 }
const done = (intendedAt: number, inWindow: boolean, over: Partial<Completion> = {}): Completion => ({
  intendedAt,
  sentAt: intendedAt,
  inWindow,
  kind: 0,
  status: 200,
  worker: '7',
  upstream: undefined,
  outcome: 'ok',
  ...over,
})

/** Load from 0 ms, warm-up 1 s, window [1000, 3000). */
const tally = () => new OpenTally(0, 1000, 3000, 10, [{ path: '/', label: undefined }])

describe('OpenTally', () => {
  it('counts a request by its intended instant for latency and outcomes, by its completion for throughput', () => {
    const t = tally()
    // scheduled in the warm-up, answered in the window: throughput yes, latency no
    expect(t.offer(900)).toBe(false)
    t.send(900, false, 900)
    t.complete(done(900, false), 1200)
    // scheduled in the window, answered after it: latency yes (from intended and from send), throughput no
    expect(t.offer(2900)).toBe(true)
    t.send(2900, true, 2905)
    t.complete(done(2900, true, { sentAt: 2905 }), 3400)
    const m = t.measurement(3400, { open, connectionsOpened: 1, inFlightAtEnd: 1, aborted: false })
    expect(m.requests.total).toBe(1)
    expect(m.perWorker).toEqual({ '7': 1 })
    expect(m.latencyMs.mean).toBeCloseTo(500, 9)
    expect(m.open?.latencyFromSendMs.mean).toBeCloseTo(495, 9)
    expect(m.open?.sendLateMs.mean).toBeCloseTo(5, 9)
    expect(m.open?.outcomes.ok).toBe(1)
    expect(m.open?.offered).toBe(1)
    expect(m.open?.answeredPerSecond).toBeCloseTo(0.5, 9)
  })

  it('reports a mix of one labelled kind per kind, so an unloaded baseline of one client class has its latency by label', () => {
    const t = new OpenTally(0, 1000, 3000, 10, [{ path: '/work?io_ms=50', label: 'normal' }])
    t.offer(1500)
    t.send(1500, true, 1500)
    t.complete(done(1500, true), 1560)
    const m = t.measurement(3000, { open, connectionsOpened: 1, inFlightAtEnd: 0, aborted: false })
    expect(m.perKind?.normal?.responses).toBe(1)
    expect(m.perKind?.normal?.latencyMs.p99).toBeCloseTo(60, 0)
  })

  it('keeps offered = sent + dropped and counts failures apart from answers', () => {
    const t = tally()
    for (const at of [1000, 1100, 1200, 1300]) t.offer(at)
    t.drop(1000, true)
    for (const at of [1100, 1200, 1300]) t.send(at, true, at)
    t.complete(done(1100, true, { outcome: 'timeout', status: 0 }), 1500)
    t.complete(done(1200, true, { outcome: 'non2xx', status: 503 }), 1250)
    t.unfinished(true)
    const m = t.measurement(3000, { open, connectionsOpened: 2, inFlightAtEnd: 1, aborted: false })
    const o = m.open!
    expect(o.offered).toBe(4)
    expect(o.sent + o.dropped).toBe(o.offered)
    expect(o.outcomes).toEqual({ ok: 0, non2xx: 1, timeouts: 1, resets: 0, unfinished: 1 })
    expect(m.errors).toEqual({ total: 2, timeouts: 1, resets: 0, non2xx: 1, byStatus: { '503': 1 } })
    expect(m.requests).toMatchObject({ total: 1, ok: 0 })
    expect(o.answeredPerSecond).toBe(0)
  })

  it('lists whole seconds only, offered and dropped by intended second, drain after the window', () => {
    const t = tally()
    t.offer(2500)
    t.drop(2500, true)
    t.offer(2600)
    t.send(2600, true, 2600)
    t.complete(done(2600, true), 3100)
    const m = t.measurement(3999, { open, connectionsOpened: 1, inFlightAtEnd: 1, aborted: false })
    expect(m.timeline.map((p) => p.t)).toEqual([1, 2, 3])
    expect(m.timeline[2]).toMatchObject({ offeredPerSecond: 2, dropped: 1, perSecond: 0, warmup: false })
    expect(t.point(3)).toMatchObject({ t: 4, perSecond: 1, drain: true })
    expect(t.point(3).p99Ms).toBeCloseTo(500, 0) // an HDR bucket of 3 significant digits
  })

  it('shortens the window to an abort', () => {
    const t = tally()
    t.cut(500)
    const m = t.measurement(500, { open, connectionsOpened: 0, inFlightAtEnd: 0, aborted: true })
    expect(m.window.measuredS).toBe(0)
    expect(m.open?.offeredPerSecond).toBe(0)
    expect(m.aborted).toBe(true)
  })
})
