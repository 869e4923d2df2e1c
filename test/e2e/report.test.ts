import { execFileSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { reportCommand } from '../../lab/commands/report.js'
import { ROOT } from '../../lab/topology/paths.js'

const CHROMIUM = '/usr/bin/chromium'
const root = ROOT
const dir = mkdtempSync(join(tmpdir(), 'lab-report-e2e-'))
const skip = !existsSync(CHROMIUM) && !process.env.CI

let browser: Browser
let page: Page
const consoleErrors: string[] = []
const offline: string[] = []

/** Counts pixels of each canvas that are drawn in colour (series), not grey (axes, grid, text). */
function colouredPixels(p: Page): Promise<{ id: string; coloured: number }[]> {
  return p.$$eval('figure.chart', (figures) =>
    figures.map((f) => {
      const canvas = f.querySelector('canvas')
      const ctx = canvas?.getContext('2d')
      if (!canvas || !ctx || canvas.width === 0) return { id: f.id, coloured: 0 }
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height)
      let coloured = 0
      for (let i = 0; i < data.length; i += 4) {
        const [r = 0, g = 0, b = 0, a = 0] = [data[i], data[i + 1], data[i + 2], data[i + 3]]
        if (a > 128 && Math.max(r, g, b) - Math.min(r, g, b) > 60) coloured++
      }
      return { id: f.id, coloured }
    }),
  )
}

describe.skipIf(skip)('the HTML report in Chromium', () => {
  beforeAll(async () => {
    if (!existsSync(join(root, 'web', 'dist', 'index.html'))) {
      execFileSync(join(root, 'node_modules', '.bin', 'vite'), ['build', '--config', 'web/vite.config.ts'], { cwd: root })
    }
    const json = join(dir, 'results.json')
    copyFileSync(join(root, 'test', 'fixtures', 'results-prefork-vs-async.json'), json)
    const quiet = { write: () => true }
    expect(await reportCommand([json], {}, { stdout: quiet, stderr: process.stderr })).toBe(0)

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    })
    page = await browser.newPage({ viewport: { width: 1500, height: 1000 } })
    page.on('console', (m) => void (m.type() === 'error' && consoleErrors.push(m.text())))
    page.on('pageerror', (e) => consoleErrors.push(e.message))
    page.on('request', (r) => void (!r.url().startsWith('file://') && !r.url().startsWith('data:') && offline.push(r.url())))
    await page.goto(pathToFileURL(join(dir, 'results.html')).href)
    await page.waitForSelector('figure.chart canvas')
  })

  afterAll(async () => {
    await browser?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('shows the verdict with the fixture’s numbers', async () => {
    await expect(page.locator('.verdict').allTextContents()).resolves.toEqual([
      'io-bound @128: async served 30.4× the req/s of prefork',
      'cpu-bound @128: prefork served 2.0× the req/s of async',
    ])
  })

  it('draws every chart (coloured pixels on every canvas)', async () => {
    const counts = await colouredPixels(page)
    expect(counts.length).toBe(23) // 2 throughput, 2 latency, 2 spectrum, 12 timelines, 4 CPU/memory, 1 Little's law
    for (const c of counts) expect(c.coloured, c.id).toBeGreaterThan(100)
  })

  it('shows the scenario notes with linkable headings', async () => {
    await expect(page.locator('.notes h2#the-arithmetic').textContent()).resolves.toBe('The arithmetic#')
    await expect(page.locator('.notes a[href="#predict-before-you-run"]').count()).resolves.toBe(1)
  })

  it('shows a chart’s numbers in a table when its toggle is pressed', async () => {
    const figure = page.locator('#lab-throughput-io-bound')
    const table = figure.locator('table')
    await expect(table.isVisible()).resolves.toBe(false)
    await figure.getByRole('button', { name: 'Show table' }).click()
    await expect(table.isVisible()).resolves.toBe(true)
    await expect(table.locator('tbody tr').last().locator('th, td').allTextContents()).resolves.toEqual(['128', '79.0', '2400.7'])
    await expect(figure.locator('.table-toggle').getAttribute('aria-expanded')).resolves.toBe('true')
  })

  it('explains the warning and lists the environment', async () => {
    await expect(page.locator('.warnings li strong').textContent()).resolves.toBe('Some requests failed')
    await expect(page.locator('#lab-environment').textContent()).resolves.toContain('Intel(R) Xeon(R) CPU @ 2.20GHz')
    await expect(page.locator('#lab-environment pre').textContent()).resolves.toBe('lab run prefork-vs-async')
  })

  it('redraws with large type in presenter mode', async () => {
    await page.getByRole('button', { name: 'Presenter mode' }).click()
    await expect(page.evaluate(() => document.documentElement.classList.contains('present'))).resolves.toBe(true)
    const size = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('.verdict') as Element).fontSize))
    expect(size).toBeGreaterThanOrEqual(30)
    for (const c of await colouredPixels(page)) expect(c.coloured, c.id).toBeGreaterThan(100)
    await page.getByRole('button', { name: 'Presenter mode' }).click()
  })

  it('logged no console error and made no request outside file://', async () => {
    mkdirSync(join(root, 'test-artifacts'), { recursive: true })
    await page.screenshot({ path: join(root, 'test-artifacts', 'report.png'), fullPage: true })
    expect(consoleErrors).toEqual([])
    expect(offline).toEqual([])
  })
})
