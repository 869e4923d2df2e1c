/**
 * proxy-buffering's slow readers behind a real link (docs/network-links.md):
 * a quick run whose readers sit in the run's network namespace and download
 * through the rate-limited veth link from the bare pre-fork server, the
 * built-in proxy and nginx, with nothing left afterwards (no namespace, no
 * veth, no client process), also after Ctrl-C; and, on a machine without
 * iproute2 (PATH emptied), the same level paced and saying why. The linked
 * tests need root, iproute2 and nginx: outside CI without them they skip
 * saying so; under CI they fail loudly.
 */
import { execFile, execFileSync, spawn } from 'node:child_process'
import { promisify } from 'node:util'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { detectNginx } from '../../lab/engines/nginx.js'
import { CHILD } from '../../lab/load/slow-link.js'
import { runScenario } from '../../lab/run/engine.js'
import { liveGroupCount } from '../../lab/topology/group.js'
import { detectNetns, liveLinks } from '../../lab/topology/netns.js'
import { ROOT } from '../../lab/topology/paths.js'
import { needs } from '../support/tools.js'
import { waitFor } from './helpers.js'

const cap = await detectNetns()
const nginx = await detectNginx()
const needing = needs({ name: 'network namespaces (root and iproute2)', found: cap.ok, packages: ['iproute2'], ...(cap.reason ? { problem: cap.reason } : {}) }, { ...nginx, packages: ['nginx'] })

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})
const tmp = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'lab-slow-link-'))
  dirs.push(d)
  return d
}
/** The run's namespaces still listed by `ip netns list`, for a lab process `pid`. */
const namespacesOf = (pid: number) => execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').filter((l) => l.startsWith(`lab-${pid}-`))
/** Processes running the slow clients' child program. */
const childProcesses = () =>
  readdirSync('/proc').filter((p) => {
    if (!/^\d+$/.test(p)) return false
    try {
      return readFileSync(`/proc/${p}/cmdline`, 'latin1').includes(CHILD)
    } catch {
      return false
    }
  })

needing.describe('slow readers that are slow because their link is', () => {
  needing.it('download through the 393 kbit/s link from the bare pre-fork server, the built-in proxy and nginx, and leave nothing behind', async () => {
    const started = performance.now()
    const outcome = await runScenario({ target: 'proxy-buffering', quick: true, stack: 'node', topology: ['bare', 'proxied', 'nginx'], workload: ['slow-readers'], calibrate: false, out: tmp() })
    const wallS = (performance.now() - started) / 1000
    expect(outcome.status).toBe('done')
    const runs = outcome.doc?.runs ?? []
    const by = (t: string) => runs.find((r) => r.topology === t)
    for (const t of ['bare', 'proxied', 'nginx']) {
      const slow = by(t)?.slowClients
      expect(slow?.via).toBe('link')
      expect(slow?.link?.rateKbit).toBe(393)
      expect(slow?.link?.qdisc).toBe(cap.netem ? 'netem' : 'tbf')
      expect(slow?.bytesReceived).toBeGreaterThan(0)
      // the link caps what the readers got: 393 kbit/s over the whole run at most (unpaced on loopback it would be 30 MB in a second)
      expect(((slow?.bytesReceived ?? 0) * 8) / 1000).toBeLessThan(393 * wallS * 1.1 + 100)
      console.log(`${t}: ${slow?.bytesReceived} bytes through the link in a ${wallS.toFixed(1)} s run; fast requests ${by(t)?.requests.perSecond.mean.toFixed(1)} req/s`)
    }
    // behind a buffering proxy the fast requests are answered
    for (const t of ['proxied', 'nginx']) expect(by(t)?.requests.total).toBeGreaterThan(20)
    expect(outcome.doc?.warnings.map((w) => w.code)).not.toContain('slow-link-unavailable')
    // nothing of the run is left: no namespace, no veth, no client process, no server
    expect(liveLinks()).toEqual([])
    expect(namespacesOf(process.pid)).toEqual([])
    expect(await waitFor(() => childProcesses().length === 0, 5000)).toBe(true)
    expect(liveGroupCount()).toBe(0)
  })

  needing.it('leaves no namespace and no client process when the run is stopped with Ctrl-C during a linked level', async () => {
    const lab = spawn(process.execPath, [path.join(ROOT, 'bin/lab.js'), 'run', 'proxy-buffering', '--quick', '--topology', 'proxied', '--workload', 'slow-readers', '--out', tmp()], { stdio: ['ignore', 'ignore', 'pipe'] })
    const pid = lab.pid as number
    const exited = new Promise<number | null>((resolve) => lab.once('exit', (code) => resolve(code)))
    // the link is made before the first topology starts; the clients run once it is ready
    expect(await waitFor(() => namespacesOf(pid).length === 1 && childProcesses().length > 0, 30_000)).toBe(true)
    lab.kill('SIGINT')
    expect(await exited).toBe(130)
    expect(await waitFor(() => namespacesOf(pid).length === 0, 5000)).toBe(true)
    expect(await waitFor(() => childProcesses().length === 0, 5000)).toBe(true)
  })
})

describe('slow readers on a machine that cannot make a link', () => {
  it('are paced as before, and the results and the summary name what is missing (here: no ip on the PATH)', async () => {
    const out = tmp()
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [path.join(ROOT, 'bin/lab.js'), 'run', 'proxy-buffering', '--quick', '--topology', 'proxied', '--workload', 'slow-readers', '--json', '--out', out], {
      env: { ...process.env, PATH: '/nonexistent' },
      timeout: 80_000,
      maxBuffer: 64 * 1024 * 1024,
    })
    const doc = JSON.parse(stdout) as { runs: Array<{ slowClients?: { via?: string; note?: string; bytesPerS: number } }>; warnings: Array<{ code: string; message: string }> }
    const slow = doc.runs[0]?.slowClients
    expect(slow?.via).toBe('paced')
    expect(slow?.bytesPerS).toBe(16_384)
    // as root the missing ip is named; a machine that is not root says that first
    expect(slow?.note).toMatch(process.getuid?.() === 0 ? /iproute2 is missing \(ip or tc not found\): apt install iproute2/ : /not root/)
    expect(doc.warnings.map((w) => w.code)).toContain('slow-link-unavailable')
    expect(stderr).toContain('[slow-link-unavailable]')
    expect(stderr).toContain('paced by the lab at 16384 bytes/s each')
  })
})
