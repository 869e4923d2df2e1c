/**
 * Real links for clients (lab/topology/netns.ts): a namespace and a veth pair
 * made and removed, a download through a rate-limited link measured, and
 * nothing left after an interrupted run. Needs root and iproute2: outside CI
 * without them the tests skip saying so; under CI (root, Debian with
 * iproute2) they run.
 */
import { execFile, execFileSync, spawn } from 'node:child_process'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { createLink, detectNetns, liveLinks, removeAllLinksNow, reshapeLink, tbfArgs, type NetLink } from '../../lab/topology/netns.js'
import { PROXY_DEFAULTS } from '../../lab/contract/workload.js'
import { needs } from '../support/tools.js'
import { waitFor } from './helpers.js'

const run = promisify(execFile)
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const cap = await detectNetns()
const needing = needs({ name: 'network namespaces (root and iproute2)', found: cap.ok, packages: ['iproute2'], ...(cap.reason ? { problem: cap.reason } : {}) })

const namespaces = () => execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
const links = () => execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' })
/** Whether neither the namespace nor the host's veth end exists any more. */
const gone = (ns: string, hostIf: string) => !namespaces().split('\n').some((l) => l.split(' ')[0] === ns) && !links().includes(` ${hostIf}@`) && !links().includes(` ${hostIf}:`)

afterAll(() => removeAllLinksNow())

describe('tbf settings', () => {
  it('give the bucket at least two full frames, and 10 ms of traffic at higher rates', () => {
    expect(tbfArgs(100)).toEqual(['tbf', 'rate', '100kbit', 'burst', '3028', 'latency', '100ms'])
    expect(tbfArgs(100_000)).toContain('125000')
  })
})

needing.describe('a network namespace joined by a veth pair', () => {
  it('is detected with the queueing disciplines this kernel has (tbf nearly always)', () => {
    expect(cap.ok).toBe(true)
    expect(cap.tbf).toBe(true)
    expect(typeof cap.netem).toBe('boolean')
  })

  it('is made with private addresses on both ends, and close() leaves no namespace and no veth', async () => {
    const link = await createLink({ rateKbit: 10_000 })
    expect(namespaces()).toContain(link.ns)
    expect(links()).toContain(link.hostIf)
    expect(link.hostAddress).toMatch(/^10\.213\.\d+\.\d+$/)
    const { stdout } = await run('ip', ['-n', link.ns, '-4', '-o', 'addr', 'show', 'dev', link.nsIf])
    expect(stdout).toContain(`${link.nsAddress}/30`)
    await link.close()
    expect(gone(link.ns, link.hostIf)).toBe(true)
    expect(liveLinks()).not.toContain(link.ns)
    await link.close() // idempotent
  })

  it("is reshaped in place to a level's own rate: tc shows the new rate on both ends", async () => {
    const link = await createLink({})
    try {
      expect(link.qdisc).toBe('none')
      await reshapeLink(link, { rateKbit: 2000 })
      expect(link.rateKbit).toBe(2000)
      const host = execFileSync('tc', ['qdisc', 'show', 'dev', link.hostIf], { encoding: 'utf8' })
      const inside = execFileSync('ip', ['netns', 'exec', link.ns, 'tc', 'qdisc', 'show', 'dev', link.nsIf], { encoding: 'utf8' })
      // a rate without a delay is tbf's, with or without netem in the kernel
      for (const out of [host, inside]) expect(out).toMatch(/tbf .*rate 2Mbit/)
    } finally {
      await link.close()
    }
  })

  it('adds the delay only with netem, and says when it cannot', async () => {
    const link = await createLink({ rateKbit: 10_000, delayMs: 20 })
    try {
      expect(link.delayMs).toBe(cap.netem ? 20 : undefined)
      expect(link.notes.some((n) => n.includes('no netem') && n.includes('only the rate is real'))).toBe(!cap.netem)
      expect(link.rateKbit).toBe(10_000)
    } finally {
      await link.close()
    }
  })

  it('carries a download from the host to the namespace at close to the configured rate', async () => {
    const rateKbit = 8000 // 1 MB/s
    const bytes = 2_000_000
    const link: NetLink = await createLink({ rateKbit })
    const body = Buffer.alloc(bytes, 120)
    const server = http.createServer((_req, res) => res.end(body))
    try {
      await new Promise<void>((resolve) => server.listen(0, link.hostAddress, resolve))
      const url = `http://${link.hostAddress}:${(server.address() as AddressInfo).port}/`
      // timed from the first byte, so the connection's set-up is not counted
      const client = `const http = require('node:http'); http.get(${JSON.stringify(url)}, (res) => { let n = 0, t0; res.on('data', (c) => { t0 ??= performance.now(); n += c.length }); res.on('end', () => console.log(JSON.stringify({ n, s: (performance.now() - t0) / 1000 }))) })`
      const { stdout } = await run(link.execPrefix[0] as string, [...link.execPrefix.slice(1), process.execPath, '-e', client], { timeout: 30_000 })
      const { n, s } = JSON.parse(stdout) as { n: number; s: number }
      expect(n).toBe(bytes)
      const measuredKbit = (n * 8) / 1000 / s
      // TCP's slow start and headers take some; the bucket's burst gives a little: 55–110 % of the rate
      expect(measuredKbit).toBeGreaterThan(0.55 * rateKbit)
      expect(measuredKbit).toBeLessThan(1.1 * rateKbit)
      console.log(`rate-limited download: ${bytes} bytes in ${s.toFixed(2)} s = ${measuredKbit.toFixed(0)} kbit/s through a ${rateKbit} kbit/s tbf link`)
    } finally {
      server.close()
      await link.close()
    }
  })

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`is removed when a run using it is stopped with ${signal} (the lab's handlers exit, and the exit removes it)`, async () => {
      // the lab's signal handlers end in process.exit(128 + n) (lab/cli.ts); this child does the same
      const program = [
        `import { createLink } from ${JSON.stringify(path.join(root, 'dist/lab/topology/netns.js'))}`,
        `for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => process.exit(130))`,
        `const link = await createLink({ rateKbit: 1000 })`,
        `console.log(JSON.stringify({ ns: link.ns, hostIf: link.hostIf }))`,
        `setInterval(() => {}, 1000)`,
      ].join('\n')
      const child = spawn(process.execPath, ['--input-type=module', '-e', program], { stdio: ['ignore', 'pipe', 'inherit'] })
      const made = await new Promise<{ ns: string; hostIf: string }>((resolve, reject) => {
        child.stdout.once('data', (d: Buffer) => resolve(JSON.parse(d.toString()) as { ns: string; hostIf: string }))
        child.once('exit', () => reject(new Error('the child ended before making its link')))
      })
      expect(namespaces()).toContain(made.ns)
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill(signal)
      await exited
      expect(await waitFor(() => gone(made.ns, made.hostIf), 5000)).toBe(true)
    })
  }

  it('is removed when the run fails with an uncaught error', async () => {
    const program = [
      `import { createLink } from ${JSON.stringify(path.join(root, 'dist/lab/topology/netns.js'))}`,
      `const link = await createLink({ rateKbit: 1000 })`,
      `console.log(JSON.stringify({ ns: link.ns, hostIf: link.hostIf }))`,
      `throw new Error('a failing run')`,
    ].join('\n')
    const r = await run(process.execPath, ['--input-type=module', '-e', program]).catch((e: { stdout: string; code: number }) => e)
    expect(r).toHaveProperty('code', 1)
    const made = JSON.parse(r.stdout) as { ns: string; hostIf: string }
    expect(await waitFor(() => gone(made.ns, made.hostIf), 5000)).toBe(true)
  })
})

needing.describe('a slow reader that is slow because its link is', () => {
  // larger than every socket buffer between the upstream and the reader, so only the proxy's own buffering can free the upstream
  const bytes = 48_000_000
  const program = path.join(root, 'dist/lab/servers/reverse-proxy.js')

  for (const buffering of [true, false]) {
    it(`${buffering ? 'frees' : 'holds'} the upstream behind the built-in proxy with buffering ${buffering ? 'on' : 'off'} while a reader drains a 4,000 kbit/s link`, async () => {
      const link = await createLink({ rateKbit: 4000 })
      let done = false
      const upstream = http.createServer((_req, res) => {
        res.on('finish', () => (done = true))
        res.end(Buffer.alloc(bytes, 97))
      })
      await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
      const config = { ...PROXY_DEFAULTS, upstreams: [(upstream.address() as AddressInfo).port], requestBuffering: true, buffering, keepalive: 0, balance: 'round-robin', readTimeoutS: 60, connectTimeoutS: 5, maxFails: 1, failTimeoutS: 10, tries: 1, cacheTtlS: 0, cacheLock: false, alsoListen: link.hostAddress }
      const proxy = spawn(process.execPath, [program], { env: { ...process.env, LAB_PROXY_CONFIG: JSON.stringify(config) }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
      const reader = { kill: () => {} }
      try {
        const port = await new Promise<number>((resolve) => proxy.on('message', (m: { type: string; port: number }) => m.type === 'ready' && resolve(m.port)))
        const r = spawn(link.execPrefix[0] as string, [...link.execPrefix.slice(1), process.execPath, '-e', `require('node:http').get('http://${link.hostAddress}:${port}/', (res) => res.resume())`], { stdio: 'ignore' })
        reader.kill = () => void r.kill('SIGKILL')
        // at 500 kB/s the reader needs ~96 s for the answer: the upstream is done within seconds only if the proxy took it whole
        expect(await waitFor(() => done, buffering ? 15_000 : 8000)).toBe(buffering)
      } finally {
        reader.kill()
        proxy.kill('SIGTERM')
        upstream.closeAllConnections()
        upstream.close()
        await link.close()
      }
    })
  }
})
