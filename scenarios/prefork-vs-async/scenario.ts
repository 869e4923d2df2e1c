import { defineScenario } from '../../lab/core/scenario.js'

export default defineScenario({
  name: 'prefork-vs-async',
  title: 'Sync pre-fork workers vs one async event loop',
  summary: 'Why four blocking workers cap at 80 req/s while one event loop does not.',
  topologies: {
    prefork: { server: { model: 'prefork', workers: 4 } },
    async: { server: { model: 'event-loop' } },
  },
  workloads: {
    'io-bound': { io_ms: 50, cpu_ms: 0, bytes: 1024 },
    'cpu-bound': { io_ms: 0, cpu_ms: 10, bytes: 1024 },
  },
  // 2 topologies × 2 workloads × 3 levels × (1 + 3) s ≈ 48 s
  load: { connections: [1, 16, 128], warmup_s: 1, duration_s: 3, repeat: 1 },
  // 2 × 2 × 2 × (0.5 + 1.5) s ≈ 16 s
  quick: { connections: [8, 64], warmup_s: 0.5, duration_s: 1.5 },
})
