import { defineScenario } from '../../lab/core/scenario.js'

// Gunicorn is pinned on both stacks: the built-in pre-fork starts each worker as a fresh Node
// process (node:cluster runs the program again, it does not fork a loaded one), so it has nothing to share.
const server = { model: 'prefork', engine: 'gunicorn', app: 'big', workers: 4 } as const

export default defineScenario({
  name: 'preload',
  title: 'Preloading the app: one copy of a large module shared by every worker, copy-on-write',
  summary: 'Each worker imports a 32 MiB module, or Gunicorn --preload imports it once in the master and forks: RSS per worker barely changes, PSS (shared pages divided among their sharers) falls.',
  topologies: {
    'per-worker-import': { server },
    preload: { server: { ...server, preload: true } },
  },
  workloads: {
    'io-20ms': { io_ms: 20, cpu_ms: 0, bytes: 1024 },
  },
  load: { connections: [8], warmup_s: 1, duration_s: 3 },
  quick: { warmup_s: 0.3, duration_s: 2 },
  lesson: {
    metric: 'pss',
    compare: { topologies: ['per-worker-import', 'preload'], workloads: ['io-20ms'] },
    sentence: 'Preloading imports the 32 MiB module once in the master and shares it copy-on-write: summed PSS falls by about (W - 1) x 32 MiB, while RSS per worker barely changes.',
  },
})
