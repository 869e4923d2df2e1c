/**
 * The lab's architecture as rules, checked by dependency-cruiser in `npm test`
 * (`npm run depcheck`). docs/architecture.md, "Arrows", explains each rule.
 * Type-only imports count: an arrow is an arrow whether or not it survives compilation.
 * @type {import('dependency-cruiser').IConfiguration}
 */

const { existsSync } = require('node:fs')

/**
 * The workload contract: a leaf module the built-in servers and core may import.
 * It lives in lab/contract/ once that folder exists (paths are relative to the package root,
 * where npm runs depcheck); before, in lab/servers/workload.ts.
 */
const CONTRACT = existsSync('lab/contract') ? '^lab/contract/' : '^lab/servers/workload[.]ts$'

const { builtinModules } = require('node:module')

/**
 * Every Node built-in module (fs, net, http, child_process, os, ...). lab/core reaches none of
 * them: core runs in the page too, where none exists.
 */
const NODE_BUILT_INS = `^(node:)?(${builtinModules.join('|')})$`

/** Parts of the lab that start processes, open sockets or drive load: the page never imports them. */
const PROCESS_SIDE = '^lab/(topology|load|engines|run|live|commands|store)/'

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import circle anywhere: every part can be read (and tested) after the parts it uses.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-is-pure',
      severity: 'error',
      comment:
        'lab/core is pure: no Node built-in module (fs, net, http, child_process, os, ...) may be ' +
        'reached from it, directly or through another module (core also runs in the page).',
      from: { path: '^lab/core/' },
      to: { path: NODE_BUILT_INS, reachable: true },
    },
    {
      name: 'core-imports-core',
      severity: 'error',
      comment:
        'lab/core imports only lab/core, zod, fastest-levenshtein (pure string distance), the workload contract, ' +
        'and the UI strings: i18next and its resources in lab/i18n/ (data, no I/O).',
      from: { path: '^lab/core/' },
      to: { dependencyTypesNot: ['core'], pathNot: ['^lab/core/', CONTRACT, '^node_modules/zod/', '^node_modules/fastest-levenshtein/', '^node_modules/i18next/', '^lab/i18n/'] },
    },
    {
      name: 'i18n-is-data',
      severity: 'error',
      comment: 'The UI strings (lab/i18n/) are data: each language file imports only the English one (for its shape).',
      from: { path: '^lab/i18n/' },
      to: { pathNot: ['^lab/i18n/'] },
    },
    {
      name: 'servers-import-only-the-contract',
      severity: 'error',
      comment:
        'A built-in server (lab/servers) is a program of its own: it imports Node built-ins, ' +
        'its sibling files in lab/servers and the workload contract, nothing else of the lab and no package ' +
        'but one: `ws`, the WebSocket protocol (RFC 6455) the event loop speaks on /ws (scenarios/websockets), ' +
        'which Node 20 has no built-in server for.',
      from: { path: '^lab/servers/' },
      to: { dependencyTypesNot: ['core'], pathNot: ['^lab/servers/', CONTRACT, '^node_modules/ws/'] },
    },
    {
      name: 'contract-is-a-leaf',
      severity: 'error',
      comment:
        'The workload contract is a leaf: it imports nothing of the lab, so a built-in server ' +
        '(or core) that imports it brings in nothing else.',
      from: { path: CONTRACT },
      to: { dependencyTypesNot: ['core'], pathNot: [CONTRACT, '^node_modules/zod/'] },
    },
    {
      name: 'web-never-reaches-processes',
      severity: 'error',
      comment:
        'Page code (web/src) renders results and events: it never imports the parts that start ' +
        'processes, drive load or write files, nor a Node built-in.',
      from: { path: '^web/src/' },
      to: { path: PROCESS_SIDE },
    },
    {
      name: 'web-imports-no-node-built-in',
      severity: 'error',
      comment: 'Page code runs in the browser: no Node built-in module.',
      from: { path: '^web/src/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'live-imports-no-command',
      severity: 'error',
      comment: 'The live server drives runs through the run engine (lab/run), never through a CLI command.',
      from: { path: '^lab/live/' },
      to: { path: '^lab/commands/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment:
        'Every import resolves to a file or an installed package, but for the pages\' build-time ' +
        'modules (`virtual:lab-glossary`, made by web/vite.config.ts from docs/glossary.md).',
      from: {},
      to: { couldNotResolve: true, pathNot: '^virtual:lab-' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|web/dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
}
