import { defineScenario } from '../../lab/core/scenario.js'

// 8 request slots three ways: 1 process × 8 threads, 8 × 1, 2 × 4 (notes.md).
// keepAlive: false (--keep-alive 0): a kept-alive connection stays with the process that accepted it (scenarios/app-servers/notes.md)
// worker_connections = threads (Gunicorn): a busy worker accepts nothing, so waiting requests share the backlog (scenarios/app-servers/notes.md)
const pool = (workers: number, threads: number) => ({ server: { model: 'threaded' as const, workers, threads, keepAlive: false, worker_connections: threads } })

export default defineScenario({
  name: 'threads-and-the-gil',
  title: 'Threads help waits, not Python CPU work: the GIL',
  summary: 'W=1 T=8, W=8 T=1, W=2 T=4: 160 req/s each on 50 ms waits; on 10 ms of CPU one process caps at 100 req/s, two or more at cores/cpu_ms = 200.',
  topologies: {
    'w1-t8': pool(1, 8),
    'w8-t1': pool(8, 1),
    'w2-t4': pool(2, 4),
  },
  workloads: {
    'io-bound': { io_ms: 50, cpu_ms: 0, bytes: 1024 },
    'cpu-bound': { io_ms: 0, cpu_ms: 10, bytes: 1024 },
  },
  // 3 topologies × 2 workloads × 2 levels × (1 + 4) s ≈ 60 s
  load: { connections: [8, 32], warmup_s: 1, duration_s: 4, repeat: 1 },
  // 16 connections ≥ 8 slots: 3 × 2 × (0.5 + 2) s (a spread needs 2 whole seconds) plus starts
  quick: { connections: [16], warmup_s: 0.5, duration_s: 2 },
  lesson: {
    metric: 'answered',
    compare: { topologies: ['w8-t1', 'w1-t8'], workloads: ['cpu-bound'] },
    sentence: 'Threads overlap waits but not Python CPU work: on 10 ms of CPU one process with 8 threads serves one core\'s 100 req/s, eight processes both cores\' 200.',
  },
})
