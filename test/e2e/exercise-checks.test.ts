/**
 * The report of `lab exercise check` in Chromium: the "Exercise checks" panel
 * sits at the top, above the verdict, with one row per check (threshold,
 * measured figure, pass or FAIL, and the explanation of a failure).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium as playwright, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { grade, type CheckDef } from '../../lab/core/exercise.js'
import { parseResults } from '../../lab/core/results.js'
import { writeReport } from '../../lab/store/report.js'
import { ROOT } from '../../lab/topology/paths.js'
import { chromium, needs } from '../support/tools.js'

const browserTool = chromium()
const dir = mkdtempSync(join(tmpdir(), 'lab-checks-e2e-'))
let browser: Browser
let page: Page
const pageErrors: string[] = []

needs(browserTool).describe('the checks panel of an exercise report in Chromium', () => {
  beforeAll(async () => {
    const parsed = parseResults(JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'results-prefork-vs-async.json'), 'utf8')))
    if (!parsed.ok) throw new Error(parsed.problems.join('\n'))
    const doc = parsed.value
    const checks: CheckDef[] = [
      { figure: 'errors', op: '==', threshold: 0, explain: '{measured} requests failed.' },
      { figure: 'answered_rps', op: '>=', threshold: 1e6, explain: 'Only {measured} req/s were answered: you need more waiting capacity.' },
    ]
    const verdicts = grade(checks, doc, {})
    const { path } = await writeReport([doc], join(dir, 'report.html'), { checks: verdicts })
    browser = await playwright.launch({ executablePath: browserTool.path as string, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] })
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } })
    page.on('pageerror', (e) => pageErrors.push(e.message))
    page.on('console', (m) => void (m.type() === 'error' && pageErrors.push(m.text())))
    await page.goto(pathToFileURL(path).href)
    await page.waitForSelector('#exercise-checks')
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('shows the panel above the verdict, with how many checks failed', async () => {
    await expect(page.locator('#exercise-checks h2').textContent()).resolves.toBe('Exercise checks')
    await expect(page.locator('#exercise-checks .section-caption').textContent()).resolves.toBe('1 of 2 checks failed.')
    const above = await page.evaluate(() => {
      const panel = document.getElementById('exercise-checks')
      const verdicts = document.querySelector('section.verdicts')
      return !!panel && !!verdicts && (panel.compareDocumentPosition(verdicts) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0
    })
    expect(above).toBe(true)
    await expect(page.locator('#exercise-checks').isVisible()).resolves.toBe(true)
  })

  it('lists each check with its measured figure, pass or FAIL, and the explanation of the failure', async () => {
    const rows = await page.$$eval('#exercise-checks tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td,th')].map((c) => c.textContent?.trim() ?? '')))
    expect(rows).toHaveLength(2)
    expect(rows[0]!.slice(0, 3)).toEqual(['errors == 0', '0', 'pass'])
    expect(rows[1]![0]).toBe('answered_rps >= 1000000')
    expect(Number(rows[1]![1])).toBeGreaterThan(0)
    expect(rows[1]![2]).toBe('FAIL')
    expect(rows[1]![3]).toMatch(/^Only [\d.]+ req\/s were answered: you need more waiting capacity\.$/)
  })

  it('renders without a page error', () => {
    expect(pageErrors).toEqual([])
  })
})
