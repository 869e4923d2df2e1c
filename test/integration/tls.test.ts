/**
 * TLS termination at nginx, Apache and Caddy: each started through the
 * registry with `tls: true` answers HTTPS on 127.0.0.1 with the run's
 * self-signed certificate for IP 127.0.0.1, passes plain HTTP to the
 * upstream, and removes the certificate with its temp folder.
 */
import { existsSync, readdirSync } from 'node:fs'
import https from 'node:https'
import os from 'node:os'
import path from 'node:path'
import type { TLSSocket } from 'node:tls'
import { afterEach, expect, it } from 'vitest'
import { topologySchema } from '../../lab/core/scenario.js'
import type { ProxyEngineName } from '../../lab/core/vocabulary.js'
import { liveGroupCount } from '../../lab/topology/group.js'
import { startTopology, type RunningTopology } from '../../lab/topology/topology.js'
import { command, engine, needs } from '../support/tools.js'

const [nginx, apache, caddy, openssl] = await Promise.all([engine('nginx'), engine('apache'), engine('caddy'), command('openssl')])

let running: RunningTopology | undefined
afterEach(async () => {
  await running?.stop()
  running = undefined
  expect(liveGroupCount()).toBe(0)
})

/** One HTTPS GET without verification: status, the certificate's subjectAltName, the protocol. */
function get(url: string): Promise<{ status: number; san: string; protocol: string | null; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { rejectUnauthorized: false, agent: false, timeout: 10_000 }, (res) => {
      const socket = res.socket as TLSSocket
      const san = socket.getPeerCertificate().subjectaltname ?? ''
      const protocol = socket.getProtocol()
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, san, protocol, body }))
    })
    req.on('timeout', () => req.destroy(new Error('no answer in 10 s')))
    req.on('error', reject)
  })
}

for (const [name, tool] of [['nginx', nginx], ['apache', apache], ['caddy', caddy]] as const) {
  needs(tool, openssl).describe(name, () => {
    it('answers HTTPS with the run certificate for 127.0.0.1 and removes it after the stop', async () => {
      const def = topologySchema.parse({ server: { model: 'event-loop' }, proxy: { engine: name as ProxyEngineName, tls: true } })
      running = await startTopology(`tls-${name}`, def, { stack: 'node' })
      expect(running.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
      const r = await get(`${running.url}/work?io_ms=0&bytes=100`)
      expect(r.status).toBe(200)
      expect(r.body).toHaveLength(100)
      expect(r.san).toContain('IP Address:127.0.0.1')
      expect(r.protocol).toMatch(/^TLSv1\.[23]$/)
      const procs = running.processes().filter((p) => p.role === 'proxy')
      expect(procs.length).toBeGreaterThan(0)
      // the certificate lives in the proxy's temp folder, whose path is in its config; gone after the stop
      const dirs = readdirSync(os.tmpdir()).filter((d) => d.startsWith(`lab-${name}-`)).map((d) => path.join(os.tmpdir(), d, 'cert.pem')).filter((f) => existsSync(f))
      expect(dirs.length).toBeGreaterThan(0)
      await running.stop()
      running = undefined
      for (const f of dirs) expect(existsSync(f)).toBe(false)
    }, 60_000)
  })
}
