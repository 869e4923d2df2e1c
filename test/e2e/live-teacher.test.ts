import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest'
import { startLiveServer, type LiveServer, type LiveServerOptions } from '../../lab/live/server.js'
import { newTeacherToken } from '../../lab/live/token.js'
import { FakeDriver } from '../../lab/load/fake.js'
import { ROOT } from '../../lab/topology/paths.js'
import { launchChromium, watchConsole } from '../support/browser.js'
import { fakeTopology } from '../support/live-fakes.js'
import { chromium, needs } from '../support/tools.js'

// The teacher's controls drive the server, not the engines: fake topologies and a fake driver
// (each second of load takes 150 ms) keep these tests short and off the shared cores.
const browserTool = chromium()
const out = mkdtempSync(join(tmpdir(), 'lab-teacher-e2e-'))
const artifacts = join(ROOT, 'test-artifacts')
const consoleErrors: string[] = []
let browser: Browser
const servers: LiveServer[] = []
const pages: Page[] = []

async function demo(over: Partial<LiveServerOptions> = {}): Promise<{ server: LiveServer; page: Page }> {
  const server = await startLiveServer({ out, driver: () => new FakeDriver(() => 80, { secondMs: 150 }), start: fakeTopology, ...over })
  servers.push(server)
  const page = watchConsole(await browser.newPage({ viewport: { width: 1400, height: 1000 } }), over.token ? 'view-only' : 'teacher', consoleErrors)
  pages.push(page)
  await page.goto(server.url)
  await page.waitForSelector('.knob')
  await page.locator('#live-scenario').selectOption('prefork-vs-async')
  await page.locator('input[name="quick"]').check()
  return { server, page }
}

const headline = (p: Page) => p.locator('.status .headline')
const waitHeadline = (p: Page, re: RegExp) =>
  p.waitForFunction((src) => new RegExp(src).test(document.querySelector('.status .headline')?.textContent ?? ''), re.source, { timeout: 30_000 })

needs(browserTool).describe('the live demo’s teacher controls in Chromium', () => {
  beforeAll(async () => {
    browser = await launchChromium(browserTool)
  })
  afterEach(async () => {
    await Promise.all(pages.splice(0).map((p) => p.close())) // before their server goes, so they do not retry it
    await Promise.all(servers.splice(0).map((s) => s.close()))
  })
  afterAll(async () => {
    await browser?.close()
    rmSync(out, { recursive: true, force: true })
  })

  it('in step mode holds after each level, Next advances exactly one level, and the next Run keeps the previous one dimmed and labelled', async () => {
    const { page } = await demo()
    await page.locator('input[name="workloads:cpu-bound"]').uncheck()
    await page.locator('input[name="load.connections"]').fill('8, 64')
    await page.locator('input[name="step"]').check()
    await page.getByRole('button', { name: 'Run' }).click()
    await waitHeadline(page, /^Step: level 1 of \d+ done$/)
    const total = Number(/of (\d+)/.exec((await headline(page).textContent()) ?? '')?.[1])
    expect(total).toBe(4)
    await expect(page.locator('.status .detail').textContent()).resolves.toMatch(new RegExp(`^1 of ${total} levels measured; the next level starts when the teacher presses Next`))
    await expect(page.getByRole('button', { name: 'Next' }).isEnabled()).resolves.toBe(true)
    await page.getByRole('button', { name: 'Next' }).click()
    await waitHeadline(page, /^Step: level 2 of \d+ done$/)
    await expect(page.locator('.status .detail').textContent()).resolves.toMatch(new RegExp(`^2 of ${total} levels measured`))
    mkdirSync(artifacts, { recursive: true })
    await page.screenshot({ path: join(artifacts, 'live-step.png') })

    // Pause while held: Next is off until Resume; Resume goes on
    await page.getByRole('button', { name: 'Pause' }).click()
    await page.getByRole('button', { name: 'Resume' }).waitFor()
    await page.locator('input[name="step"]').uncheck() // the rest of the run without holds
    await page.getByRole('button', { name: 'Resume' }).click()
    await waitHeadline(page, /^Done$/)

    // a second run, both workloads: the first run's lines stay, faint and labelled; one chart per workload
    await page.locator('input[name="workloads:cpu-bound"]').check()
    await page.getByRole('button', { name: 'Run' }).click()
    await page.locator('#live-throughput-cpu-bound').waitFor({ timeout: 20_000 })
    await expect(page.locator('#live-throughput-io-bound').count()).resolves.toBe(1)
    const toggle = page.locator('#live-throughput-io-bound .table-toggle')
    await toggle.click()
    await expect(page.locator('#live-throughput-io-bound thead').textContent()).resolves.toMatch(/prefork · before \(--quick --set quick.connections=\[8,64\] --workload io-bound\)/)
    await toggle.click()
    await waitHeadline(page, /^Done$/)
    await page.screenshot({ path: join(artifacts, 'live-overlay.png'), fullPage: true })
  })

  it('view-only: refuses Run without the teacher token and accepts it with', async () => {
    const token = newTeacherToken()
    const { page } = await demo({ token })
    await expect(page.locator('.teacher-lock').isVisible()).resolves.toBe(true)
    await expect(page.getByRole('button', { name: 'Run' }).isDisabled()).resolves.toBe(true)
    // the page holds no token until one is typed: a start from the page is refused by the server
    const refused = await page.evaluate(async () => (await fetch('/api/runs', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ scenario: 'prefork-vs-async' }) })).status)
    expect(refused).toBe(401)
    expect(await page.content()).not.toContain(token)
    await page.locator('input[name="teacher-token"]').fill('not-the-token')
    await page.getByRole('button', { name: 'Unlock' }).click()
    await expect(page.locator('.lock-message').textContent()).resolves.toMatch(/not the token/)
    await expect(page.getByRole('button', { name: 'Run' }).isDisabled()).resolves.toBe(true)
    await page.locator('input[name="teacher-token"]').fill(token)
    await page.getByRole('button', { name: 'Unlock' }).click()
    await page.locator('.teacher-lock').waitFor({ state: 'hidden' })
    await page.locator('input[name="workloads:cpu-bound"]').uncheck()
    await page.getByRole('button', { name: 'Run' }).click()
    await waitHeadline(page, /^Done$/)
  })

  it('logged no console error but the refusals it asked for', () => {
    const asked = /Failed to load resource: the server responded with a status of 401/
    expect(consoleErrors.filter((e) => !asked.test(e))).toEqual([])
  })
})
