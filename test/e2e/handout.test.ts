import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
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
const dir = mkdtempSync(join(tmpdir(), 'lab-handout-e2e-'))

let browser: Browser
let page: Page
let url = ''
const errors: string[] = []

/** The throughput table's column heads of one workload (shown first when hidden). */
async function throughputColumns(p: Page): Promise<string[]> {
  const figure = p.locator('#lab-throughput-cpu-20ms')
  if (!(await figure.locator('.table-wrap').isVisible())) await figure.getByRole('button', { name: 'Show table' }).click()
  return figure.locator('thead th').allTextContents()
}

needsChromium.describe('the report as a student opens it: handout first, answers closed until revealed, glossary linked', () => {
  beforeAll(async () => {
    // the catalogue fixture (it carries model predictions) with a handout embedded as a run embeds it
    const doc = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'results-catalogue.json'), 'utf8')) as Record<string, unknown>
    doc.handout = readFileSync(join(ROOT, 'scenarios', 'prefork-vs-async', 'handout.md'), 'utf8')
    const json = join(dir, 'catalogue.json')
    writeFileSync(json, JSON.stringify(doc))
    expect(await reportCommand([json], {}, { stdout: { write: () => true }, stderr: process.stderr })).toBe(0)
    url = pathToFileURL(join(dir, 'catalogue.html')).href
    browser = await playwright.launch({
      executablePath: browserTool.path as string,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    })
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } })
    page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())))
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(url)
    await page.waitForSelector('figure.chart canvas')
  })

  afterAll(async () => {
    await browser?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('shows the handout above everything else, its table listing the levels the run measured', async () => {
    const first = await page.evaluate(() => document.querySelector('#lab-handout')?.compareDocumentPosition(document.querySelector('.verdicts') as Node))
    expect(first).toBe(4) // DOCUMENT_POSITION_FOLLOWING: the verdicts come after the handout
    const rows = await page.locator('#lab-handout table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)))
    expect(rows).toContainEqual(['prefork', 'node-prefork', 'cpu-20ms', '16', ''])
    expect(rows.every((r) => r.length === 5 && r[4] === '')).toBe(true)
    await expect(page.locator('#lab-handout').textContent()).resolves.not.toContain('lab:predictions')
  })

  it('keeps the verdict, the model’s lines and columns and the instructor key closed before any reveal', async () => {
    await expect(page.locator('.verdict').count()).resolves.toBe(0)
    await expect(page.locator('.verdicts .gated-note').isVisible()).resolves.toBe(true)
    await expect(page.locator('.notes h2').textContent()).resolves.toBe('Instructor key')
    expect(await throughputColumns(page)).toEqual(['connections', 'prefork answered', 'async answered'])
    await expect(page.locator('#lab-throughput-cpu-20ms figcaption').textContent()).resolves.not.toContain('theory')
  })

  it('links glossary terms in the handout, as written and on their first use, to entries of the rendered glossary', async () => {
    const written = page.locator('#lab-handout a.glossary-link[href="#glossary-pre-fork"]')
    await expect(written.count()).resolves.toBe(1)
    // "workers" is not a link in the markdown: its first use is linked, a later one is not
    await expect(page.locator('#lab-handout a.glossary-link[href="#glossary-worker"]').count()).resolves.toBe(1)
    await expect(page.locator('#lab-handout a.glossary-link[href="#glossary-littles-law"]').textContent()).resolves.toBe("Little's law")
    await written.click()
    await expect(page.locator('#lab-glossary #glossary-pre-fork').isVisible()).resolves.toBe(true)
    await expect(page.evaluate(() => location.hash)).resolves.toBe('#glossary-pre-fork')
    const top = await page.locator('#glossary-pre-fork').evaluate((e) => e.getBoundingClientRect().top)
    expect(top).toBeGreaterThanOrEqual(-1)
    expect(top).toBeLessThan(200)
  })

  it('opens everything once the last prediction is revealed, and closes it again when the predictions are cleared', async () => {
    const items = page.locator('.predict-item')
    const n = await items.count()
    expect(n).toBe(4)
    for (let i = 0; i < n; i++) {
      await expect(page.locator('.verdict').count()).resolves.toBe(0)
      const item = page.locator('.predict-item').nth(i)
      await item.getByLabel('Your prediction').fill('50')
      await item.getByRole('button', { name: 'Reveal' }).click()
    }
    await expect(page.locator('.verdict').count()).resolves.toBe(2)
    await expect(page.locator('.notes h2#the-arithmetic, .notes h2').first().textContent()).resolves.not.toBe('Instructor key')
    expect(await throughputColumns(page)).toContain('prefork theory')
    // still open after a reload: the reveals are remembered
    await page.reload()
    await page.waitForSelector('figure.chart canvas')
    await expect(page.locator('.verdict').count()).resolves.toBe(2)
    await page.getByRole('button', { name: 'Clear my predictions' }).click()
    await expect(page.locator('.verdict').count()).resolves.toBe(0)
    expect(await throughputColumns(page)).not.toContain('prefork theory')
  })

  it('opens everything at once with Show all, and links terms in the instructor key', async () => {
    await page.getByRole('button', { name: 'Show all' }).click()
    await expect(page.locator('.verdict').count()).resolves.toBe(2)
    for (const visible of await page.locator('.predict-answer').evaluateAll((els) => els.map((e) => !(e as HTMLElement).hidden))) expect(visible).toBe(true)
    expect(await throughputColumns(page)).toContain('async measured ÷ theory (good ≈ 1.00)')
    await expect(page.locator('.notes a.glossary-link').count()).resolves.toBeGreaterThan(0)
    mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true })
    await page.screenshot({ path: join(ROOT, 'test-artifacts', 'report-handout.png'), fullPage: true })
    expect(errors).toEqual([])
  })
})
