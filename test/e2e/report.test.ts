import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium as playwright, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { reportCommand } from '../../lab/commands/report.js'
import { ROOT } from '../../lab/topology/paths.js'
import { chromium, needs } from '../support/tools.js'

const browserTool = chromium()
const needsChromium = needs(browserTool)
const root = ROOT
const dir = mkdtempSync(join(tmpdir(), 'lab-report-e2e-'))

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

needsChromium.describe('the HTML report in Chromium', () => {
  beforeAll(async () => {
    const json = join(dir, 'results.json')
    copyFileSync(join(root, 'test', 'fixtures', 'results-prefork-vs-async.json'), json)
    const quiet = { write: () => true }
    expect(await reportCommand([json], {}, { stdout: quiet, stderr: process.stderr })).toBe(0)

    browser = await playwright.launch({
      executablePath: browserTool.path as string,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    })
    page = await browser.newPage({ viewport: { width: 1500, height: 1000 } })
    page.on('console', (m) => void (m.type() === 'error' && consoleErrors.push(m.text())))
    page.on('pageerror', (e) => consoleErrors.push(e.message))
    page.on('request', (r) => void (!r.url().startsWith('file://') && !r.url().startsWith('data:') && offline.push(r.url())))
    // ?reveal: the verdicts, model lines and notes open at once (test/e2e/handout.test.ts tests them closed)
    await page.goto(`${pathToFileURL(join(dir, 'results.html')).href}?reveal`)
    await page.waitForSelector('figure.chart canvas')
  })

  afterAll(async () => {
    await browser?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('shows the verdict with the fixture’s numbers', async () => {
    await expect(page.locator('.verdict').allTextContents()).resolves.toEqual([
      'io-bound @128: async served 30.4× (95 % CI 29.5–31.3×) the answered req/s of prefork',
      'cpu-bound @128: prefork served 2.0× (95 % CI 1.9–2.1×) the answered req/s of async',
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

/** Counts pixels of a canvas within `tolerance` of an RGB colour. */
function pixelsOf(p: Page, selector: string, rgb: [number, number, number], tolerance = 24): Promise<number> {
  return p.$eval(
    selector,
    (canvas, [r0, g0, b0, tol]) => {
      const c = canvas as HTMLCanvasElement
      const { data } = (c.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, c.width, c.height)
      let n = 0
      for (let i = 0; i < data.length; i += 4) {
        const d = Math.abs((data[i] ?? 0) - r0) + Math.abs((data[i + 1] ?? 0) - g0) + Math.abs((data[i + 2] ?? 0) - b0)
        if ((data[i + 3] ?? 0) > 128 && d <= tol) n++
      }
      return n
    },
    [...rgb, tolerance] as const,
  )
}

needsChromium.describe('the catalogue report in Chromium: theory, annotations, probe, predict-then-run', () => {
  const catDir = mkdtempSync(join(tmpdir(), 'lab-report-e2e-catalogue-'))
  let catBrowser: Browser
  let cat: Page
  let url = ''
  const errors: string[] = []
  const outside: string[] = []

  beforeAll(async () => {
    const json = join(catDir, 'catalogue.json')
    copyFileSync(join(root, 'test', 'fixtures', 'results-catalogue.json'), json)
    expect(await reportCommand([json], {}, { stdout: { write: () => true }, stderr: process.stderr })).toBe(0)
    url = pathToFileURL(join(catDir, 'catalogue.html')).href
    catBrowser = await playwright.launch({
      executablePath: browserTool.path as string,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    })
    cat = await catBrowser.newPage({ viewport: { width: 1500, height: 1000 } })
    cat.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())))
    cat.on('pageerror', (e) => errors.push(e.message))
    cat.on('request', (r) => void (!r.url().startsWith('file://') && !r.url().startsWith('data:') && outside.push(r.url())))
    await cat.goto(`${url}?reveal`)
    await cat.waitForSelector('figure.chart canvas')
  })

  afterAll(async () => {
    await catBrowser?.close()
    rmSync(catDir, { recursive: true, force: true })
  })

  it('keeps the verdict lines visible, including a topology that answered nothing', async () => {
    await expect(cat.locator('.verdict').allTextContents()).resolves.toEqual([
      'hang-5pct @16: prefork answered 31.5 req/s where async answered none',
      'cpu-20ms @16: prefork served 2.0× (95 % CI 1.9–2.0×) the answered req/s of async',
    ])
  })

  it('draws every chart, the probe charts included', async () => {
    const counts = await colouredPixels(cat)
    // 2 throughput, 2 latency, 2 probe, 2 spectrum, 8 timelines, 4 CPU/memory, 1 Little's law
    expect(counts.length).toBe(21)
    for (const c of counts) expect(c.coloured, c.id).toBeGreaterThan(100)
    await expect(cat.locator('#lab-side h2').textContent()).resolves.toBe('Beside the load')
    await expect(cat.locator('#lab-probe-cpu-20ms figcaption').textContent()).resolves.toMatch(/^One connection asking GET \/health/)
    await expect(cat.locator('#lab-sockets table tbody tr').first().locator('th, td').allTextContents()).resolves.toEqual([
      'prefork hang-5pct @3',
      '109',
      '78',
      '241',
    ])
  })

  it('tabulates the theory and measured ÷ theory beside the measurement', async () => {
    const figure = cat.locator('#lab-throughput-cpu-20ms')
    await figure.getByRole('button', { name: 'Show table' }).click()
    await expect(figure.locator('thead th').allTextContents()).resolves.toEqual([
      'connections',
      'prefork answered',
      'prefork theory',
      'prefork measured ÷ theory (good ≈ 1.00)',
      'async answered',
      'async theory',
      'async measured ÷ theory (good ≈ 1.00)',
    ])
    await expect(figure.locator('tbody tr').last().locator('th, td').allTextContents()).resolves.toEqual(['16', '95.5', '97.8', '0.98', '48.8', '50.0', '0.97'])
    await expect(figure.locator('figcaption').textContent()).resolves.toContain('theory (queueing model)')
  })

  it('marks worker kills and boots on the timelines that have them, and nothing on the others', async () => {
    const marked = '#lab-timeline-hang-5pct-prefork-3'
    await expect(cat.locator(`${marked} figcaption`).textContent()).resolves.toContain('6 × worker killed (timeout), 6 × worker died, 6 × worker booted')
    // the "worker booted" markers are bluish green (#009E73), a colour no series of these charts uses
    expect(await pixelsOf(cat, `${marked} canvas`, [0x00, 0x9e, 0x73])).toBeGreaterThan(100)
    expect(await pixelsOf(cat, '#lab-timeline-cpu-20ms-prefork-3 canvas', [0x00, 0x9e, 0x73])).toBe(0)
    const figure = cat.locator(marked)
    await figure.getByRole('button', { name: 'Show table' }).click()
    await expect(figure.locator('thead th').last().textContent()).resolves.toBe('events')
  })

  it('predict, then run: type a number, reveal, see measured, predicted and the error; remembered after a reload', async () => {
    // a page of its own, without ?reveal
    const cat = await catBrowser.newPage({ viewport: { width: 1500, height: 1000 } })
    cat.on('pageerror', (e) => errors.push(e.message))
    await cat.goto(url)
    await cat.waitForSelector('figure.chart canvas')
    const item = cat.locator('#lab-predict-catalogue-hang-5pct-prefork')
    await expect(item.locator('.predict-answer').isVisible()).resolves.toBe(false)
    await item.getByLabel('Your prediction').fill('40')
    await item.getByRole('button', { name: 'Reveal' }).click()
    await expect(item.locator('.predict-answer tbody tr').evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => c.textContent)))).resolves.toEqual([
      ['measured', '31.5', ''],
      ['queueing model', '31.9', '1.3 % too high'],
      ['your prediction', '40.0', '27.0 % too high'],
    ])
    await expect(cat.evaluate(() => localStorage.getItem('app-server-lab:predict:catalogue:prefork:hang-5pct'))).resolves.toBe('{"guess":40,"revealed":true}')
    const other = cat.locator('#lab-predict-catalogue-cpu-20ms-async .predict-answer')
    await expect(other.isVisible()).resolves.toBe(false)
    await cat.reload()
    await cat.waitForSelector('figure.chart canvas')
    await expect(item.locator('.predict-answer').isVisible()).resolves.toBe(true)
    await expect(item.locator('input').inputValue()).resolves.toBe('40')
    await expect(other.isVisible()).resolves.toBe(false)
    await cat.getByRole('button', { name: 'Show all' }).click()
    await expect(other.locator('tbody tr').first().locator('td').first().textContent()).resolves.toBe('48.8')
    await cat.close()
  })

  it('starts with every answer shown with ?reveal in the address', async () => {
    const page = await catBrowser.newPage({ viewport: { width: 1500, height: 1000 } })
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(`${url}?reveal`)
    await page.waitForSelector('figure.chart canvas')
    const answers = page.locator('.predict-answer')
    await expect(answers.count()).resolves.toBe(4)
    for (const visible of await answers.evaluateAll((els) => els.map((e) => !(e as HTMLElement).hidden))) expect(visible).toBe(true)
    await page.close()
  })

  it('logged no console error and made no request outside file://', async () => {
    await cat.evaluate(() => localStorage.setItem('app-server-lab:predict:catalogue:prefork:hang-5pct', '{"guess":40,"revealed":true}'))
    await cat.getByRole('button', { name: 'Clear my predictions' }).click()
    await expect(cat.evaluate(() => localStorage.getItem('app-server-lab:predict:catalogue:prefork:hang-5pct'))).resolves.toBeNull()
    mkdirSync(join(root, 'test-artifacts'), { recursive: true })
    await cat.screenshot({ path: join(root, 'test-artifacts', 'report-catalogue.png'), fullPage: true })
    expect(errors).toEqual([])
    expect(outside).toEqual([])
  })
})
