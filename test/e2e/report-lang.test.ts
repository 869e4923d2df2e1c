/**
 * The report in the run's language, and its language switch (issue 18, item 8),
 * in Chromium: a report written with `--lang pt-BR` opens in Portuguese;
 * picking Русский draws it again in Russian, charts and all.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
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
const dir = mkdtempSync(join(tmpdir(), 'lab-report-lang-e2e-'))

let browser: Browser
let page: Page
const pageErrors: string[] = []

const headings = (p: Page) => p.$$eval('main h2', (hs) => hs.map((h) => h.textContent ?? ''))

needsChromium.describe('the report in another language', () => {
  beforeAll(async () => {
    const json = join(dir, 'results.json')
    copyFileSync(join(ROOT, 'test', 'fixtures', 'results-prefork-vs-async.json'), json)
    expect(await reportCommand([json], { lang: 'pt-BR' }, { stdout: { write: () => true }, stderr: process.stderr })).toBe(0)
    browser = await playwright.launch({ executablePath: browserTool.path as string, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] })
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } })
    page.on('pageerror', (e) => pageErrors.push(e.message))
    page.on('console', (m) => void (m.type() === 'error' && pageErrors.push(m.text())))
    await page.goto(pathToFileURL(join(dir, 'results.html')).href)
    await page.waitForSelector('figure.chart canvas')
  })

  afterAll(async () => {
    await browser?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('opens in the language the report was written in', async () => {
    expect(await page.getAttribute('html', 'lang')).toBe('pt-BR')
    expect(await headings(page)).toEqual(expect.arrayContaining(['Vazão', 'Latência', 'Preveja, depois confira']))
    expect(await page.$eval('select.lang-switch', (s) => (s as HTMLSelectElement).value)).toBe('pt-BR')
  })

  it('draws itself again in the language picked in the switch', async () => {
    await page.selectOption('select.lang-switch', 'ru')
    await page.waitForFunction(() => document.documentElement.lang === 'ru')
    await page.waitForSelector('figure.chart canvas')
    expect(await headings(page)).toEqual(expect.arrayContaining(['Пропускная способность', 'Латентность']))
    expect(await page.$eval('select.lang-switch', (s) => (s as HTMLSelectElement).value)).toBe('ru')
    expect(pageErrors).toEqual([])
  })
})
