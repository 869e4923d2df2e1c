// Builds web/dist/index.html: the report page as ONE self-contained file (all
// JS and CSS inlined, nothing fetched), which `lab report` fills with data.
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import { viteSingleFile } from 'vite-plugin-singlefile'

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  logLevel: 'warn',
  plugins: [viteSingleFile({ removeViteModuleLoader: true })],
  build: { outDir: 'dist', emptyOutDir: true, modulePreload: false, reportCompressedSize: false },
})
