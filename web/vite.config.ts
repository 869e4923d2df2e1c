// Builds the two pages, each as ONE self-contained file (all JS and CSS
// inlined, nothing fetched): web/dist/index.html, the report that `lab report`
// fills with data, and (with `--mode live`) web/dist/live.html, the live demo
// page that `lab demo` serves. vite-plugin-singlefile inlines one entry per
// build, hence two builds into the same folder (the second keeps the first).
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { defineConfig, type Plugin } from 'vite'
import { viteSingleFile } from 'vite-plugin-singlefile'
import { glossaryTerms } from '../lab/core/glossary.js'
import { renderGlossary } from '../lab/store/markdown.js'

const GLOSSARY = 'virtual:lab-glossary'

/**
 * `import { glossaries } from 'virtual:lab-glossary'`: docs/glossary.md (and
 * each translation beside it, `glossary.<lang>.md`) rendered to HTML at build
 * time with its terms (lab/core/glossary.ts), keyed by language (`en` for the
 * English file), so both pages carry the glossary without the data.
 */
function glossaryModule(docs: string): Plugin {
  return {
    name: 'lab-glossary',
    resolveId: (id) => (id === GLOSSARY ? `\0${GLOSSARY}` : undefined),
    load(id) {
      if (id !== `\0${GLOSSARY}`) return undefined
      const files = existsSync(docs) ? readdirSync(docs).filter((f) => /^glossary(\.[A-Za-z-]+)?\.md$/.test(f)) : []
      const glossaries = Object.fromEntries(
        files.map((f) => {
          const md = readFileSync(`${docs}/${f}`, 'utf8')
          this.addWatchFile(`${docs}/${f}`)
          return [f.replace(/^glossary\.?/, '').replace(/\.?md$/, '') || 'en', { html: renderGlossary(md), terms: glossaryTerms(md) }]
        }),
      )
      return `export const glossaries = ${JSON.stringify(glossaries)}`
    },
  }
}

export default defineConfig(({ mode }) => {
  const live = mode === 'live'
  const root = fileURLToPath(new URL('.', import.meta.url))
  return {
    root,
    base: './',
    logLevel: 'warn',
    plugins: [glossaryModule(fileURLToPath(new URL('../docs', import.meta.url))), viteSingleFile({ removeViteModuleLoader: true })],
    build: {
      outDir: 'dist',
      emptyOutDir: !live,
      modulePreload: false,
      reportCompressedSize: false,
      rollupOptions: { input: fileURLToPath(new URL(live ? 'live.html' : 'index.html', import.meta.url)) },
    },
  }
})
