import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { handoutCommand } from '../../lab/commands/handout.js'
import { handoutForRuns } from '../../lab/core/handout.js'
import type { ResultsDocument } from '../../lab/core/results.js'
import { DATA_TOKEN, renderReport } from '../../lab/store/report.js'
import input from '../../scenarios/prefork-vs-async/scenario.js'

const dir = mkdtempSync(join(tmpdir(), 'lab-handout-report-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const templateFile = join(dir, 'index.html')
writeFileSync(templateFile, `<script type="application/json" id="lab-data">${DATA_TOKEN}</script>`)

const fixture = (): ResultsDocument => JSON.parse(readFileSync(new URL('../fixtures/results-prefork-vs-async.json', import.meta.url), 'utf8')) as ResultsDocument
const handoutMd = readFileSync(new URL('../../scenarios/prefork-vs-async/handout.md', import.meta.url), 'utf8')
const embedded = (html: string): { handoutHtml?: string } => JSON.parse(/id="lab-data">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '{}') as { handoutHtml?: string }

describe('the handout in the report', () => {
  it('fills the prediction table from the levels the document measured, with each topology’s engine', () => {
    const md = handoutForRuns(handoutMd, fixture().runs)
    expect(md).not.toContain('lab:predictions')
    expect(md).toContain('| prefork | node-prefork | io-bound | 128 |  |')
    expect(md).toContain('| async | node-event-loop | cpu-bound | 1 |  |')
    expect(md.match(/^\| (prefork|async) \|/gm)).toHaveLength(12)
  })

  it('names both stacks’ engines when documents of two stacks are compared', () => {
    const runs = [
      { topology: 'proxied', workload: 'w', connections: 8, engines: { server: 'node-prefork', proxy: 'node-reverse-proxy' } },
      { topology: 'proxied', workload: 'w', connections: 8, engines: { server: 'gunicorn', proxy: 'nginx' } },
    ]
    expect(handoutForRuns('<!-- lab:predictions -->', runs)).toContain('| proxied | node-reverse-proxy → node-prefork / nginx → gunicorn | w | 8 |  |')
  })

  it('embeds the rendered handout, glossary links pointing into the page', () => {
    const doc = { ...fixture(), handout: handoutMd }
    const html = embedded(renderReport([doc], { templateFile, scenariosDir: join(dir, 'none') })).handoutHtml ?? ''
    expect(html).toContain('<a class="glossary-link" href="#glossary-pre-fork">pre-fork</a>')
    expect(html).toContain('<td>node-prefork</td>')
    expect(html).not.toContain('lab:predictions')
  })

  it('embeds no handout when the scenario has none', () => {
    expect(embedded(renderReport([fixture()], { templateFile, scenariosDir: join(dir, 'none') })).handoutHtml).toBeUndefined()
  })
})

describe('lab handout', () => {
  const capture = () => {
    const out = { stdout: '', stderr: '' }
    return { out, io: { stdout: { write: (s: string) => (out.stdout += s) }, stderr: { write: (s: string) => (out.stderr += s) } } }
  }

  it('prints the handout with a table of exactly the quick levels', async () => {
    const { out, io } = capture()
    expect(await handoutCommand('prefork-vs-async', { quick: true }, io)).toBe(0)
    expect(out.stdout).toMatch(/^# Sync pre-fork workers vs one async event loop\n/)
    expect(out.stdout.match(/^\| (prefork|async) \| .* \| 24 \|  \|$/gm)).toHaveLength(4)
    expect(out.stdout).toContain('| prefork | node-prefork | io-bound | 24 |  |')
  })

  it('names the python stack’s engines with --stack python', async () => {
    const { out, io } = capture()
    expect(await handoutCommand('prefork-vs-async', { quick: true, stack: 'python' }, io)).toBe(0)
    expect(out.stdout).toContain('| prefork | gunicorn | io-bound | 24 |  |')
    expect(out.stdout).toContain('| async | uvicorn | io-bound | 24 |  |')
  })

  it('says so when the scenario has no handout, exit 1', async () => {
    const { out, io } = capture()
    // a scenario made in memory has no folder, so no handout.md
    expect(await handoutCommand('prefork-vs-async', { scenario: input }, io), out.stderr).toBe(1)
    expect(out.stderr).toBe('lab handout: prefork-vs-async has no handout.md beside its scenario.ts (its notes.md is the instructor key)\n')
  })

  it('refuses an unknown scenario with exit 2', async () => {
    const { out, io } = capture()
    expect(await handoutCommand('no-such-scenario', {}, io)).toBe(2)
    expect(out.stderr).toMatch(/^lab handout: no-such-scenario: no such scenario/)
  })
})
