import { defineScenario } from '../../lab/core/scenario.js'

export default defineScenario({
  name: 'long-lived',
  title: 'Long-lived connections: server-sent event streams beside normal requests',
  summary: 'Four open streams pin four sync workers and starve every other request; one event loop holds hundreds.',
  topologies: {
    prefork: { server: { model: 'prefork', workers: 4 } },
    async: { server: { model: 'event-loop' } },
  },
  workloads: {
    'with-4-streams': { io_ms: 50, cpu_ms: 0, bytes: 1024, streams: { count: 4, interval_ms: 1000 } },
    'with-200-streams': { io_ms: 50, cpu_ms: 0, bytes: 1024, streams: { count: 200, interval_ms: 1000 } },
  },
  load: { connections: [16], warmup_s: 1, duration_s: 3 },
  quick: { warmup_s: 0.5, duration_s: 2 },
  lesson: {
    metric: 'answered',
    compare: { topologies: ['async', 'prefork'], workloads: ['with-4-streams'] },
    sentence: 'Four open streams hold all four sync workers, so no other request is answered; one event loop holds the streams and keeps serving.',
  },
})
