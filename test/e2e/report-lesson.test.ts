import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
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
const dir = mkdtempSync(join(tmpdir(), 'lab-report-lesson-e2e-'))

let browser: Browser
let page: Page

needsChromium.describe('the report’s headline is the verdict on the scenario’s lesson, in Chromium', () => {
  beforeAll(async () => {
    const doc = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'results-prefork-vs-async.json'), 'utf8'))
    doc.scenario.definition.lesson = { metric: 'answered', compare: { topologies: ['async', 'prefork'], workloads: ['io-bound'] }, sentence: 'One event loop overlaps every wait.' }
    const json = join(dir, 'results.json')
    writeFileSync(json, JSON.stringify(doc))
    expect(await reportCommand([json], {}, { stdout: { write: () => true }, stderr: process.stderr })).toBe(0)
    browser = await playwright.launch({ executablePath: browserTool.path as string, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] })
    page = await browser.newPage({ viewport: { width: 1500, height: 1000 } })
    await page.goto(`${pathToFileURL(join(dir, 'results.html')).href}?reveal`)
    await page.waitForSelector('.lesson')
  })

  afterAll(async () => {
    await browser?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('states the lesson’s metric, the measured verdict and the sentence in the banner', async () => {
    await expect(page.locator('.lesson .lesson-verdict').textContent()).resolves.toBe('Verdict on answered req/s (req/s, higher is better)')
    await expect(page.locator('.lesson li.verdict').allTextContents()).resolves.toEqual(['io-bound @128: async 2401 req/s, prefork 79.0 req/s: async is 30.4× prefork (95 % CI 29.5–31.3×)'])
    await expect(page.locator('.lesson .lesson-sentence').textContent()).resolves.toBe('Lesson: One event loop overlaps every wait.')
  })

  it('folds the other comparisons away in a closed details element', async () => {
    const details = page.locator('details.other-comparisons')
    await expect(details.evaluate((d) => (d as HTMLDetailsElement).open)).resolves.toBe(false)
    await expect(details.locator('summary').textContent()).resolves.toBe('Other comparisons (2), on answered req/s')
    await expect(details.locator('li.verdict').count()).resolves.toBe(2)
    await expect(details.locator('li.verdict').first().isVisible()).resolves.toBe(false)
  })

  it('asks the predict questions in the lesson’s metric and unit', async () => {
    await expect(page.locator('#lab-predict h3').allTextContents()).resolves.toEqual(['io-bound @128: answered req/s (req/s) · 50 ms wait + 0 ms CPU per request'])
    await expect(page.locator('#lab-predict .predict-item').evaluateAll((items) => items.map((i) => i.getAttribute('data-key')))).resolves.toEqual([
      'app-server-lab:predict:prefork-vs-async:async:io-bound:answered',
      'app-server-lab:predict:prefork-vs-async:prefork:io-bound:answered',
    ])
  })
})
