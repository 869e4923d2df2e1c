import { defineScenario } from '../../lab/core/scenario.js'

export default defineScenario({
  name: 'worker-timeout',
  title: 'Hung requests and the worker timeout',
  summary: 'A request that hangs holds its sync worker until the master kills it after timeout_s.',
  topologies: {
    prefork: { server: { model: 'prefork', workers: 4, timeout_s: 1 } },
  },
  workloads: {
    'no-hangs': { io_ms: 50, cpu_ms: 0, bytes: 1024 },
    'hang-5pct': { io_ms: 50, cpu_ms: 0, bytes: 1024, hang_pct: 5 },
  },
  load: { connections: [16], warmup_s: 1, duration_s: 6 },
  quick: { warmup_s: 0.5, duration_s: 4 },
  lesson: {
    metric: 'answered',
    compare: { workloads: ['no-hangs', 'hang-5pct'] },
    sentence: '5 % of requests hang, but each holds its worker for the whole 1 s timeout, so more than half of the worker time is lost and answered req/s falls by far more than 5 %.',
  },
})
