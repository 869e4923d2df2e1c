import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium as playwright, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { reportCommand } from '../../lab/commands/report.js'
import type { ResultsDocument } from '../../lab/core/results.js'
import { singleLevel, workerSweep } from '../support/chart-fixtures.js'
import { chromium, needs } from '../support/tools.js'

const browserTool = chromium()
const needsChromium = needs(browserTool)
const dir = mkdtempSync(join(tmpdir(), 'lab-report-charts-e2e-'))
const errors: string[] = []

let browser: Browser

/** Writes `doc`, makes its report and opens it revealed; the page once its throughput section is drawn. */
async function open(name: string, doc: ResultsDocument): Promise<Page> {
  const json = join(dir, `${name}.json`)
  writeFileSync(json, JSON.stringify(doc))
  expect(await reportCommand([json], {}, { stdout: { write: () => true }, stderr: process.stderr })).toBe(0)
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } })
  page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())))
  page.on('pageerror', (e) => errors.push(e.message))
  await page.goto(`${pathToFileURL(join(dir, `${name}.html`)).href}?reveal`)
  await page.waitForSelector('#lab-throughput canvas')
  return page
}

/** How many pixels of a figure's canvas are painted (not transparent). */
const painted = (page: Page, id: string): Promise<number> =>
  page.locator(`#${id} canvas`).evaluate((c) => {
    const canvas = c as HTMLCanvasElement
    const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? new Uint8ClampedArray()
    let n = 0
    for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) n++
    return n
  })

needsChromium.describe('the report’s throughput charts of single-level and knob scenarios, in Chromium', () => {
  beforeAll(async () => {
    browser = await playwright.launch({ executablePath: browserTool.path as string, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] })
  })

  afterAll(async () => {
    await browser?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('draws a worker sweep against workers and a single-level scenario per topology, with no error', async () => {
    const sweep = await open('sweep', workerSweep())
    await expect(sweep.locator('#lab-throughput-cpu-20ms-by-workers figcaption').textContent()).resolves.toContain('server.workers')
    await expect(painted(sweep, 'lab-throughput-cpu-20ms-by-workers')).resolves.toBeGreaterThan(1000)
    const single = await open('single', singleLevel())
    await expect(single.locator('#lab-throughput-cpu-20ms-by-topology figcaption').textContent()).resolves.toContain('a dash (—)')
    await expect(painted(single, 'lab-throughput-cpu-20ms-by-topology')).resolves.toBeGreaterThan(1000)
    await expect(painted(single, 'lab-littles-law')).resolves.toBeGreaterThan(1000)
    if (process.env.LAB_SCREENSHOTS) {
      for (const [page, id] of [[sweep, 'lab-throughput-cpu-20ms-by-workers'], [single, 'lab-throughput-cpu-20ms-by-topology'], [single, 'lab-latency-cpu-20ms'], [single, 'lab-littles-law']] as const) {
        await page.locator(`#${id}`).screenshot({ path: join(process.env.LAB_SCREENSHOTS, `${id}.png`) })
      }
    }
    expect(errors).toEqual([])
  })
})
