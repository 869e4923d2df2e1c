/**
 * Chromium for the e2e tests: Debian's chromium as test/support/tools.ts finds it
 * driven by playwright-core, headless, with its background traffic off, and
 * a console watcher that collects every error a page logs.
 */
import { chromium as playwright, type Browser, type Page } from 'playwright-core'
import type { Tool } from './tools.js'

/** Launches headless Chromium at `tool.path` with no background networking. */
export function launchChromium(tool: Tool): Promise<Browser> {
  return playwright.launch({
    executablePath: tool.path as string,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}

/** Adds every console error and uncaught exception of `p` to `sink`, as `who: text`. */
export function watchConsole(p: Page, who: string, sink: string[]): Page {
  p.on('console', (m) => void (m.type() === 'error' && sink.push(`${who}: ${m.text()}`)))
  p.on('pageerror', (e) => sink.push(`${who}: ${e.message}`))
  return p
}
