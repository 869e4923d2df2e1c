/**
 * scenarios/proxy-headers as facts: what the app is told about its client
 * (lab/apps/whoami_app.py answers X-Seen-Client and X-Seen-Scheme) behind
 * nginx and directly, with a client that forges X-Forwarded-* headers.
 * Needs nginx, gunicorn and uvicorn (outside CI the test skips naming them).
 */
import http from 'node:http'
import { afterEach, expect, it } from 'vitest'
import { topologySchema } from '../../lab/core/scenario.js'
import { startTopology, type RunningTopology } from '../../lab/topology/topology.js'
import { app, engine, needs } from '../support/tools.js'

const [nginx, gunicorn, uvicorn, flask] = await Promise.all([engine('nginx'), engine('gunicorn'), engine('uvicorn'), app('flask', 'gunicorn')])

let running: RunningTopology | undefined
afterEach(async () => {
  await running?.stop()
  running = undefined
})

/** Starts a whoami topology (`proxied`: behind nginx) and asks it once with `headers`; returns what the app saw. */
async function seen(server: Record<string, unknown>, proxied: boolean, headers: Record<string, string> = {}): Promise<{ client: string; scheme: string }> {
  const def = topologySchema.parse({ server: { app: 'whoami', ...server }, ...(proxied ? { proxy: { engine: 'nginx' } } : {}) })
  running = await startTopology('whoami', def, { stack: 'python' })
  const answer = await new Promise<http.IncomingMessage>((resolve, reject) => {
    http.get(`${running!.url}/work?io_ms=0`, { agent: false, headers, timeout: 5000 }, resolve).on('error', reject).on('timeout', function (this: http.ClientRequest) {
      this.destroy(new Error('no answer within 5 s'))
    })
  })
  answer.resume()
  await running.stop()
  running = undefined
  expect(answer.statusCode).toBe(200)
  return { client: String(answer.headers['x-seen-client']), scheme: String(answer.headers['x-seen-scheme']) }
}

const forged = { 'X-Forwarded-For': '203.0.113.9', 'X-Forwarded-Proto': 'https' }
const gunicornApp = { model: 'prefork', engine: 'gunicorn', workers: 1 }
const uvicornApp = { model: 'event-loop', engine: 'uvicorn' }

needs(nginx, gunicorn).describe('Gunicorn behind nginx', () => {
  it("tells the app the proxy's address, never X-Forwarded-For, and the scheme nginx set over the client's forged one", async () => {
    expect(await seen(gunicornApp, true, forged)).toEqual({ client: '127.0.0.1', scheme: 'http' })
  }, 60_000)

  it('believes a forged X-Forwarded-Proto from a client that reaches it directly from a trusted address (127.0.0.1, the default)', async () => {
    expect(await seen(gunicornApp, false, forged)).toEqual({ client: '127.0.0.1', scheme: 'https' })
  }, 60_000)

  it('ignores X-Forwarded-Proto from a peer not in forwarded_allow_ips', async () => {
    expect(await seen({ ...gunicornApp, forwarded_allow_ips: '192.0.2.1' }, false, forged)).toEqual({ client: '127.0.0.1', scheme: 'http' })
  }, 60_000)
})

needs(nginx, uvicorn).describe('Uvicorn behind nginx', () => {
  it("takes the client's address from X-Forwarded-For, so a forged first address passes nginx's appended list", async () => {
    // nginx sends "203.0.113.9, 127.0.0.1"; Uvicorn skips trusted addresses from the right and takes the first untrusted one
    expect(await seen(uvicornApp, true, forged)).toEqual({ client: '203.0.113.9', scheme: 'http' })
  }, 60_000)

  it('with no forged header knows no client address at all on loopback, where the proxy and the client are both trusted', async () => {
    expect(await seen(uvicornApp, true)).toEqual({ client: '-', scheme: 'http' })
  }, 60_000)

  it("with forwarded_allow_ips '*' believes anyone's X-Forwarded-Proto, even a direct client's", async () => {
    expect(await seen({ ...uvicornApp, forwarded_allow_ips: '*' }, false, forged)).toEqual({ client: '203.0.113.9', scheme: 'https' })
  }, 60_000)
})

needs(nginx, gunicorn, flask).describe("Flask behind Werkzeug's ProxyFix(x_for=1, x_proto=1), under Gunicorn", () => {
  const proxyFix = { ...gunicornApp, app: 'whoami-proxyfix' }

  it('takes the client address nginx appended to X-Forwarded-For, not the forged first one, and the scheme nginx set', async () => {
    // nginx sends "203.0.113.9, 127.0.0.1": x_for=1 trusts one proxy, so the last address
    expect(await seen(proxyFix, true, forged)).toEqual({ client: '127.0.0.1', scheme: 'http' })
  }, 60_000)

  it('believes a forged X-Forwarded-For and X-Forwarded-Proto from a client that reaches it without the proxy', async () => {
    expect(await seen(proxyFix, false, forged)).toEqual({ client: '203.0.113.9', scheme: 'https' })
  }, 60_000)
})
