/**
 * The files the demo serves: the built live page (with a Content-Security-
 * Policy that allows only its own inline scripts) and the saved results under
 * the read-only `/results/` prefix. No path from a browser reaches the file
 * system except the fixed results pattern, resolved inside the results folder.
 */
import { createHash } from 'node:crypto'
import { readFileSync, realpathSync, statSync } from 'node:fs'
import type { ServerResponse } from 'node:http'
import path from 'node:path'

/** `/results/<scenario>/<stamp>.{json,html,events.ndjson}`: the only file URLs the demo answers. */
export const RESULTS_PATH = /^\/results\/([a-z0-9]+(?:-[a-z0-9]+)*)\/(\d{8}T\d{6}Z(?:\.json|\.html|\.events\.ndjson))$/

const TYPES: Record<string, string> = {
  '.json': 'application/json; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.ndjson': 'application/x-ndjson; charset=utf-8',
}

/** A saved report is a self-contained page: it may run its own inline script, fetch nothing. */
const REPORT_CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

/** The `script-src` hashes of a page's inline scripts, for its Content-Security-Policy. */
function scriptHashes(html: string): string[] {
  const hashes: string[] = []
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    const attrs = m[1] ?? ''
    if (/\bsrc=/.test(attrs) || /type=["']application\/json["']/.test(attrs)) continue
    hashes.push(`'sha256-${createHash('sha256').update(m[2] ?? '', 'utf8').digest('base64')}'`)
  }
  return hashes
}

/** The live page, read again when the file changes (`npm run build` while the demo runs). */
export class LivePage {
  private cached: { mtimeMs: number; html: Buffer; csp: string } | undefined

  constructor(readonly file: string) {}

  /** Answers the page (no body for HEAD). */
  serve(res: ServerResponse, head: boolean): void {
    const { html, csp } = this.read()
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': html.length, 'Cache-Control': 'no-store', 'Content-Security-Policy': csp })
    res.end(head ? undefined : html)
  }

  private read(): { html: Buffer; csp: string } {
    const mtimeMs = statSync(this.file).mtimeMs
    if (!this.cached || this.cached.mtimeMs !== mtimeMs) {
      const html = readFileSync(this.file, 'utf8')
      const csp = [
        "default-src 'none'",
        `script-src ${scriptHashes(html).join(' ') || "'none'"}`,
        "style-src 'unsafe-inline'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
      ].join('; ')
      this.cached = { mtimeMs, html: Buffer.from(html), csp }
    }
    return this.cached
  }
}

/**
 * The saved file a `/results/` URL names, inside `outDir` (symbolic links
 * leading out of it are refused).
 * @returns the real path, or undefined when the URL is not a results file or there is none
 */
export function resultsFile(outDir: string, urlPath: string): string | undefined {
  const r = RESULTS_PATH.exec(urlPath)
  if (!r) return undefined
  try {
    const real = realpathSync(path.join(outDir, r[1] as string, r[2] as string))
    if (!real.startsWith(realpathSync(outDir) + path.sep) || !statSync(real).isFile()) return undefined
    return real
  } catch {
    return undefined
  }
}

/** Answers a saved results file (no body for HEAD). */
export function serveFile(res: ServerResponse, file: string, head: boolean): void {
  const body = readFileSync(file)
  const ext = file.endsWith('.events.ndjson') ? '.ndjson' : path.extname(file)
  res.writeHead(200, { 'Content-Type': TYPES[ext] ?? 'application/octet-stream', 'Content-Length': body.length, 'Cache-Control': 'no-store', 'Content-Security-Policy': REPORT_CSP })
  res.end(head ? undefined : body)
}

/** The `/results/...` URL of a saved file, or undefined when it is not under `outDir` in the results pattern. */
export function resultsUrl(outDir: string, file: string | undefined): string | undefined {
  if (!file) return undefined
  const url = `/results/${path.relative(outDir, path.resolve(file)).split(path.sep).join('/')}`
  return RESULTS_PATH.test(url) ? url : undefined
}
