/** docs/glossary.md rendered at build time (web/vite.config.ts `glossaryModule`), keyed by language (`en`, `pt-BR`, `ru`). */
declare module 'virtual:lab-glossary' {
  import type { GlossaryTerm } from '../../lab/core/glossary.js'
  export const glossaries: Record<string, { html: string; terms: GlossaryTerm[] }>
}
