import { defineScenario } from '../../lab/core/scenario.js'

export default defineScenario({
  name: 'blocked-event-loop',
  title: 'A health check while CPU work runs: one event loop vs pre-forked workers',
  summary: 'CPU work on an event loop delays every other request, even a trivial /health probe.',
  topologies: {
    prefork: { server: { model: 'prefork', workers: 4 } },
    async: { server: { model: 'event-loop' } },
  },
  workloads: {
    'cpu-20ms': { io_ms: 0, cpu_ms: 20, bytes: 1024 },
  },
  load: { connections: [1, 3], warmup_s: 1, duration_s: 3, probe: { path: '/health' } },
  quick: { connections: [3], warmup_s: 0.5, duration_s: 2 },
  lesson: {
    metric: 'probe-p99',
    compare: { topologies: ['async', 'prefork'], workloads: ['cpu-20ms'] },
    sentence: 'CPU work on an event loop makes even a trivial /health probe wait its turn behind the running jobs; a free pre-forked worker answers it at once.',
  },
})
