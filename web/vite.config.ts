// Builds the two pages, each as ONE self-contained file (all JS and CSS
// inlined, nothing fetched): web/dist/index.html, the report that `lab report`
// fills with data, and (with `--mode live`) web/dist/live.html, the live demo
// page that `lab demo` serves. vite-plugin-singlefile inlines one entry per
// build, hence two builds into the same folder (the second keeps the first).
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import { viteSingleFile } from 'vite-plugin-singlefile'

export default defineConfig(({ mode }) => {
  const live = mode === 'live'
  const root = fileURLToPath(new URL('.', import.meta.url))
  return {
    root,
    base: './',
    logLevel: 'warn',
    plugins: [viteSingleFile({ removeViteModuleLoader: true })],
    build: {
      outDir: 'dist',
      emptyOutDir: !live,
      modulePreload: false,
      reportCompressedSize: false,
      rollupOptions: { input: fileURLToPath(new URL(live ? 'live.html' : 'index.html', import.meta.url)) },
    },
  }
})
