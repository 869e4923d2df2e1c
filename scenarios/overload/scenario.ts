import { defineScenario } from '../../lab/core/scenario.js'

export default defineScenario({
  name: 'overload',
  title: 'Overload: more clients than capacity',
  summary: 'In a closed loop throughput stays flat and latency grows as c / capacity; a concurrency limit sheds the excess with 503s.',
  topologies: {
    prefork: { server: { model: 'prefork', workers: 4 } },
    'async-limited': { server: { model: 'event-loop', limit_concurrency: 32 } },
  },
  workloads: {
    'io-50ms': { io_ms: 50, cpu_ms: 0, bytes: 1024 },
  },
  load: { connections: [16, 64, 256], warmup_s: 1, duration_s: 3 },
  // both above both capacities (4 workers; 32 in progress); prefork @64 waits 0.8 s per request,
  // so 5 responses per connection with headroom take about 5 s; 3 s windows give the 503-shedding loop
  // a 95 % interval (t(0.975; 2) = 4.3, not t(0.975; 1) = 12.7) narrow enough for a verdict: about 20 s in all
  quick: { connections: [48, 64], warmup_s: 0.25, duration_s: 3 },
  lesson: {
    metric: 'answered',
    compare: { topologies: ['async-limited', 'prefork'], workloads: ['io-50ms'] },
    sentence: 'Counted in answered (2xx) requests, a limit of 32 serves 32 / 50 ms = 640 req/s and sheds the rest as instant 503s, which are not served; the pre-fork pool answers its 80 req/s and makes the rest wait.',
  },
})
