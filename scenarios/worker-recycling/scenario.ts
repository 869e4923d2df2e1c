import { defineScenario } from '../../lab/core/scenario.js'

export default defineScenario({
  name: 'worker-recycling',
  title: 'A leaking app: max_requests recycles workers, with and without jitter (and uWSGI\'s max-requests)',
  summary: 'Every request leaks 512 KiB; workers are replaced after max_requests: RSS climbs and drops (saw-tooth), and without jitter they all restart together.',
  topologies: {
    'max-requests': { server: { model: 'prefork', workers: 4, max_requests: 40 } },
    'max-requests-jitter': { server: { model: 'prefork', workers: 4, max_requests: 40, max_requests_jitter: 40 } },
    // uWSGI's --max-requests (2.0.21 has no --max-requests-delta, so no jitter variant)
    'uwsgi-max-requests': { server: { model: 'prefork', engine: 'uwsgi', workers: 4, max_requests: 40 } },
  },
  workloads: {
    'leak-512k': { io_ms: 20, cpu_ms: 0, bytes: 1024, leak_kb: 512 },
  },
  load: { connections: [16], warmup_s: 1, duration_s: 6 },
  quick: { warmup_s: 0.3, duration_s: 3, topologies: ['max-requests', 'max-requests-jitter'] },
  lesson: {
    metric: 'worst-second',
    compare: { topologies: ['max-requests-jitter', 'max-requests'], workloads: ['leak-512k'] },
    sentence: 'Without jitter every worker reaches max_requests together and they restart at once, emptying a second of answers; jitter staggers the restarts.',
  },
})
