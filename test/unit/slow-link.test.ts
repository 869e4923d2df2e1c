/**
 * Slow clients behind a real link (docs/network-links.md), the pure parts:
 * the scenario fields `link_kbit` and `link_delay_ms`, the choice between a
 * link and the lab's own pacing, the targets slow clients may reach, the
 * second listen address each front engine's config gets, and the warning a
 * paced fallback raises.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { validateScenario } from '../../lab/core/scenario.js'
import { chooseSlowPath, wantsLink, type LinkAvailability } from '../../lab/core/slow-clients-schema.js'
import { warningsFor } from '../../lab/core/warnings.js'
import { extras } from '../../lab/core/format-notes.js'
import { apacheConf } from '../../lab/engines/apache.js'
import { caddyfile } from '../../lab/engines/caddy.js'
import { gunicornArgs } from '../../lab/engines/gunicorn.js'
import { nginxConf } from '../../lab/engines/nginx.js'
import { allowedTarget, startSlowClients } from '../../lab/load/slow-clients.js'
import { openRunLink } from '../../lab/run/link.js'
import { makeRun } from './fixtures.js'
import { waitFor } from '../integration/helpers.js'
import proxyBuffering from '../../scenarios/proxy-buffering/scenario.js'

const problems = (slow: Record<string, unknown>) => {
  const v = validateScenario({ name: 't', title: 't', summary: 't', topologies: { p: { server: { model: 'prefork', workers: 2 } } }, workloads: { w: { slow_clients: slow } }, load: { connections: [1] } })
  return v.ok ? [] : v.problems
}

const everything: LinkAvailability = { link: { ok: true }, listening: { ok: true } }

describe('the link fields of slow_clients', () => {
  it('take a rate in kbit/s and a delay in ms for slow readers and slow uploads', () => {
    expect(problems({ count: 3, mode: 'slow-reader', link_kbit: 393, link_delay_ms: 20 })).toEqual([])
    expect(problems({ count: 3, mode: 'slow-body', link_kbit: 64 })).toEqual([])
  })

  it('are refused for slow headers, whose few bytes a second no link makes slow', () => {
    expect(problems({ count: 3, mode: 'slow-headers', link_kbit: 64 })).toEqual(['workloads.w.slow_clients.link_kbit: 64 is not allowed; expected a link only for slow-reader or slow-body (a few header bytes a second is slower than any link: keep slow-headers paced)'])
  })

  it('refuse a delay without a rate, and a rate under 8 kbit/s', () => {
    expect(problems({ count: 1, mode: 'slow-reader', link_delay_ms: 20 })).toEqual([expect.stringContaining('link_delay_ms: 20 is not allowed; expected a delay only together with link_kbit')])
    expect(problems({ count: 1, mode: 'slow-reader', link_kbit: 1 })).toEqual([expect.stringContaining('link_kbit: 1 is not allowed; expected a number 8..10000000 kbit/s')])
  })

  it("are set on proxy-buffering's slow readers at 3 × 16 KiB/s, the paced readers' total", () => {
    const s = proxyBuffering.workloads['slow-readers']?.slow_clients
    expect(s?.link_kbit).toBe(393)
    expect(Math.abs((393 * 1000) / 8 / 3 - 16_384) / 16_384).toBeLessThan(0.001)
    expect(wantsLink(Object.values(proxyBuffering.workloads))).toBe(true)
    expect(wantsLink([{ slow_clients: { link_kbit: undefined } }, {}])).toBe(false)
  })
})

describe('the choice between a link and pacing', () => {
  it('takes the link when the workload asks, the run made one and the front part listens on it', () => {
    expect(chooseSlowPath({ link_kbit: 393, link_delay_ms: 20, bytes_per_s: 16_384 }, everything)).toEqual({ via: 'link', rateKbit: 393, delayMs: 20 })
  })

  it('paces without a note when no link is asked', () => {
    expect(chooseSlowPath({ bytes_per_s: 1 }, { link: { ok: false, reason: 'not root' }, listening: { ok: true } })).toEqual({ via: 'paced', bytesPerS: 1 })
  })

  it("paces with a note naming what is missing: the machine's reason, or the engine that does not listen on the link", () => {
    expect(chooseSlowPath({ link_kbit: 393, bytes_per_s: 16_384 }, { link: { ok: false, reason: 'not root: network namespaces and tc need root' }, listening: { ok: true } })).toEqual({
      via: 'paced',
      bytesPerS: 16_384,
      note: 'no network link: not root: network namespaces and tc need root; paced at 16384 bytes/s instead of a 393 kbit/s link',
    })
    expect(chooseSlowPath({ link_kbit: 393 }, { link: { ok: true }, listening: { ok: false, engine: 'uvicorn' } })).toEqual({
      via: 'paced',
      note: "uvicorn does not listen on the link's address in the lab; paced at the default bytes/s instead of a 393 kbit/s link",
    })
  })

  it('makes no link for workloads that ask none, nor for test runs with fake topologies', async () => {
    const none = await openRunLink([{ io_ms: 1 } as never], false)
    expect(none.link).toBeUndefined()
    expect(none.unavailable).toBeUndefined()
    const fake = await openRunLink(Object.values(proxyBuffering.workloads) as never, true)
    expect(fake.link).toBeUndefined()
    expect(fake.unavailable).toBe('a test run with fake topologies makes no link')
  })
})

describe('where slow clients may connect', () => {
  it("is 127.0.0.1, or the run's own link address in 10.213.0.0/16 and nothing else", () => {
    expect(allowedTarget('127.0.0.1', undefined)).toBe(true)
    expect(allowedTarget('10.213.4.1', '10.213.4.1')).toBe(true)
    expect(allowedTarget('10.213.4.1', undefined)).toBe(false)
    expect(allowedTarget('10.213.4.5', '10.213.4.1')).toBe(false)
    expect(allowedTarget('192.168.1.1', '192.168.1.1')).toBe(false)
  })
})

describe("each front engine's second listen address", () => {
  const also = '10.213.7.1'
  it('is a second nginx `listen` on the same port', () => {
    const conf = nginxConf({ port: 8080, upstreams: [9001], user: null, alsoListen: also })
    expect(conf).toContain('        listen 127.0.0.1:8080;\n        listen 10.213.7.1:8080;')
    expect(nginxConf({ port: 8080, upstreams: [9001], user: null })).not.toContain('10.213')
  })

  it('is a second Apache `Listen`', () => {
    expect(apacheConf({ port: 8080, upstreams: [9001], dir: '/d', user: null, alsoListen: also })).toContain('Listen 127.0.0.1:8080\nListen 10.213.7.1:8080\n')
  })

  it('is a second address on Caddy\'s `bind`', () => {
    expect(caddyfile({ port: 8080, upstreams: [9001], alsoListen: also })).toContain('\tbind 127.0.0.1 10.213.7.1\n')
  })

  it("is a second Gunicorn `--bind`", () => {
    const args = gunicornArgs({ port: 8080, app: 'wsgi_app:application', workers: 3, timeoutS: 30, backlog: 2048, alsoListen: also })
    expect(args.slice(0, 4)).toEqual(['--bind', '127.0.0.1:8080', '--bind', '10.213.7.1:8080'])
  })
})

describe('a level whose slow clients were paced instead of linked', () => {
  it('raises slow-link-unavailable with the reason; a linked or plainly paced level raises none', () => {
    const base = { count: 3, mode: 'slow-reader', bytesPerS: 16_384, connects: 3, serverClosed: 0, responses: 0, bytesSent: 300, bytesReceived: 1000 }
    const paced = warningsFor(makeRun({ slowClients: { ...base, via: 'paced', note: 'no network link: not root' } }), 0)
    expect(paced.filter((w) => w.code === 'slow-link-unavailable').map((w) => w.message)).toEqual([expect.stringContaining('no network link: not root.')])
    const linked = warningsFor(makeRun({ slowClients: { ...base, via: 'link', link: { rateKbit: 393, qdisc: 'tbf' }, note: 'no netem in this kernel' } }), 0)
    expect(linked.map((w) => w.code)).not.toContain('slow-link-unavailable')
    expect(warningsFor(makeRun({ slowClients: { ...base, via: 'paced' } }), 0).map((w) => w.code)).not.toContain('slow-link-unavailable')
  })
})

describe("the summary's slow-client lines", () => {
  it('name the link and its qdisc for a linked level, the pace and the reason for a paced fallback, and nothing for plain pacing', () => {
    const base = { count: 3, mode: 'slow-reader', bytesPerS: 16_384, connects: 3, serverClosed: 0, responses: 0, bytesSent: 300, bytesReceived: 1_234_000 }
    const lines = extras([
      makeRun({ topology: 'nginx', slowClients: { ...base, elapsedS: 20, via: 'link', link: { rateKbit: 393, qdisc: 'tbf' }, note: 'no netem in this kernel' } }),
      makeRun({ topology: 'bare', slowClients: { ...base, via: 'paced', note: 'node-prefork does not listen on the link' } }),
      makeRun({ topology: 'plain', slowClients: { ...base, via: 'paced' } }),
    ])
    const text = lines.join('\n')
    expect(text).toContain('through a 393 kbit/s tbf link (docs/network-links.md), 1234 kB received (494 kbit/s, 20.0 s) (no netem in this kernel)')
    expect(text).toContain('paced by the lab at 16384 bytes/s each, 1234 kB received (node-prefork does not listen on the link)')
    expect(text).not.toContain('plain')
  })
})

describe('slow clients that a link, not the lab, slows', () => {
  it('read a 2 MB answer as fast as it comes when unpaced, where paced at 16 KiB/s they would need two minutes', async () => {
    const server = http.createServer((_req, res) => res.end(Buffer.alloc(2_000_000, 97)))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const unpaced = await startSlowClients({ baseUrl, count: 1, mode: 'slow-reader', responseBytes: 2_000_000, maxS: 20, paced: false })
    const paced = await startSlowClients({ baseUrl, count: 1, mode: 'slow-reader', bytesPerS: 16_384, responseBytes: 2_000_000, maxS: 20 })
    try {
      // unpaced, the 2 MB come in as fast as loopback carries them; paced, they would take 2 minutes
      expect(await waitFor(() => unpaced.snapshot().responses >= 1, 10_000)).toBe(true)
    } finally {
      const u = unpaced.stop()
      const p = paced.stop()
      server.closeAllConnections()
      server.close()
      expect(u.bytesReceived).toBeGreaterThanOrEqual(2_000_000)
      expect(p.responses).toBe(0)
      expect(p.bytesReceived).toBeLessThan(1_000_000)
    }
  })
})
