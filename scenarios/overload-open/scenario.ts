import { defineScenario } from '../../lab/core/scenario.js'

// Both servers serve at most 4 requests at a time for 50 ms each: a capacity of 80 req/s.
const open = { mode: 'open', arrival: 'poisson', max_connections: 64 } as const

export default defineScenario({
  name: 'overload-open',
  title: 'Overload in an open loop: a queue that grows vs a limit that sheds',
  summary: 'Visitors arriving at random past 80 req/s: the pre-fork queue grows until the client gives up; a limit of 4 answers 503s, even below capacity.',
  topologies: {
    // no limit of its own: what no worker serves waits in the accept queue
    queue: { server: { model: 'prefork', workers: 4 }, load: open },
    // at most 4 requests in progress, no queue: the rest get 503 at once (Uvicorn's --limit-concurrency)
    shed: { server: { model: 'event-loop', limit_concurrency: 4 }, load: open },
  },
  workloads: {
    'io-50ms': { io_ms: 50, cpu_ms: 0, bytes: 1024 },
  },
  // 2 topologies × 4 rates × (1 + 4) s ≈ 40 s, plus the drains; `connections` is the format's required closed-loop ladder, unused (both loops are open)
  load: { rates: [40, 72, 100, 120], warmup_s: 1, duration_s: 4, connections: [1] },
  // 2 × 2 × (0.5 + 3) s ≈ 14 s, plus the drains
  quick: { rates: [72, 120], warmup_s: 0.5, duration_s: 3 },
  lesson: {
    metric: 'answered',
    compare: { topologies: ['queue', 'shed'], workloads: ['io-50ms'] },
    sentence: 'Past 80 req/s the pre-fork queue still answers about its capacity while its latency grows without bound; a limit of 4 answers fewer, shedding 503s at once, even below capacity.',
  },
})
