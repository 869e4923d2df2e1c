import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { DATA_TOKEN, renderNotes, renderReport, writeReport } from '../../lab/store/report.js'
import type { ResultsDocument } from '../../lab/core/results.js'

const dir = mkdtempSync(join(tmpdir(), 'lab-report-render-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A stand-in for web/dist/index.html: the same placeholder element, no app. */
const templateFile = join(dir, 'index.html')
writeFileSync(
  templateFile,
  `<!doctype html><html><head><script type="module">/* app */</script></head><body><div id="app"></div>` +
    `<script type="application/json" id="lab-data">${DATA_TOKEN}</script></body></html>`,
)
const scenariosDir = join(dir, 'scenarios')

function fixture(): ResultsDocument {
  return JSON.parse(readFileSync(new URL('../fixtures/results-prefork-vs-async.json', import.meta.url), 'utf8')) as ResultsDocument
}

/** The JSON between the data element's tags, parsed. */
function embedded(html: string): { documents: ResultsDocument[]; notesHtml: string } {
  const m = /<script type="application\/json" id="lab-data">([\s\S]*?)<\/script>/.exec(html)
  if (!m?.[1]) throw new Error('no data element')
  return JSON.parse(m[1]) as { documents: ResultsDocument[]; notesHtml: string }
}

describe('renderReport', () => {
  it('embeds the documents as JSON in the data element', () => {
    const html = renderReport([fixture()], { templateFile, scenariosDir })
    expect(html).not.toContain(DATA_TOKEN)
    expect(embedded(html).documents[0]?.runs).toHaveLength(12)
  })

  it('escapes "<" so a "</script>" inside the data cannot end the script element', () => {
    const doc = fixture()
    doc.scenario.title = 'evil </script><script>alert(1)</script> <!-- title'
    const html = renderReport([doc], { templateFile, scenariosDir })
    expect(html.match(/<\/script>/g)).toHaveLength(2) // the template's own two
    expect(html).toContain('evil \\u003c/script>')
    expect(embedded(html).documents[0]?.scenario.title).toBe(doc.scenario.title)
  })

  it('keeps "$&" and other replacement patterns in the data as they are', () => {
    const doc = fixture()
    doc.scenario.title = "costs $& and $' and $$"
    expect(embedded(renderReport([doc], { templateFile, scenariosDir })).documents[0]?.scenario.title).toBe(doc.scenario.title)
  })

  it('renders the document’s notes with an id and an anchor link on every heading', () => {
    const { notesHtml } = embedded(renderReport([fixture()], { templateFile, scenariosDir }))
    expect(notesHtml).toContain(
      '<h2 id="the-arithmetic">The arithmetic<a class="anchor" href="#the-arithmetic" aria-label="Link to this section">#</a></h2>',
    )
    expect(notesHtml).toContain('<h2 id="predict-before-you-run">')
  })

  it('reads scenarios/<name>/notes.md when the document carries no notes', () => {
    mkdirSync(join(scenariosDir, 'prefork-vs-async'), { recursive: true })
    writeFileSync(join(scenariosDir, 'prefork-vs-async', 'notes.md'), '# From the file\n\ntext\n')
    const doc = fixture()
    delete doc.notes
    expect(embedded(renderReport([doc], { templateFile, scenariosDir })).notesHtml).toContain('<h1 id="from-the-file">')
  })

  it('uses notesMarkdown instead of the document’s notes when given', () => {
    const { notesHtml } = embedded(renderReport([fixture()], { templateFile, scenariosDir, notesMarkdown: '## Given here' }))
    expect(notesHtml).toContain('<h2 id="given-here">')
    expect(notesHtml).not.toContain('the-arithmetic')
  })

  it('fails with a message naming npm run build when the web report is not built', () => {
    expect(() => renderReport([fixture()], { templateFile: join(dir, 'missing', 'index.html'), scenariosDir })).toThrow(
      /^the web report is not built; run npm run build/,
    )
  })
})

describe('renderNotes', () => {
  it('makes repeated headings unique', () => {
    const html = renderNotes('## Try next\n\n## Try next\n')
    expect(html).toContain('id="try-next"')
    expect(html).toContain('id="try-next-2"')
  })

  it('shows raw HTML as text and drops javascript: links', () => {
    const html = renderNotes('<img src=x onerror=alert(1)>\n\n[click](javascript:alert(1)) [ok](https://peps.python.org/pep-3333/)')
    expect(html).not.toContain('<img')
    expect(html).not.toContain('javascript:')
    expect(html).toContain('<a href="https://peps.python.org/pep-3333/">ok</a>')
  })
})

describe('writeReport', () => {
  it('writes the page, creating folders, and reports its path, size and time', async () => {
    const out = join(dir, 'nested', 'report.html')
    const written = await writeReport([fixture()], out, { templateFile, scenariosDir })
    expect(written.path).toBe(out)
    expect(written.bytes).toBe(readFileSync(out).length)
    expect(written.ms).toBeLessThan(2000)
  })
})
