import { defineScenario } from '../../lab/core/scenario.js'

// Three instances of a 2-worker pre-fork server behind one proxy; visitors arrive at random.
const server = { model: 'prefork', workers: 2 } as const
const open = { mode: 'open', arrival: 'poisson', max_connections: 128 } as const

export default defineScenario({
  name: 'load-balancing-open',
  title: 'Round-robin vs least connections under Poisson arrivals',
  summary: 'Random arrivals to 3 upstreams × 2 workers (59 ms each, 102 req/s in all): least-conn comes close to one shared queue; round-robin queues at a busy upstream while another idles.',
  topologies: {
    'round-robin': { server, upstreams: 3, proxy: { model: 'reverse-proxy', balance: 'round-robin' }, load: open },
    'least-conn': { server, upstreams: 3, proxy: { model: 'reverse-proxy', balance: 'least-conn' }, load: open },
  },
  workloads: {
    // every request waits the mean of load-balancing's 9:1 mix, so the model applies
    'even-59ms': { io_ms: 59, cpu_ms: 0, bytes: 1024 },
    // load-balancing's mix: 9 requests in 10 wait 10 ms, 1 in 10 waits 500 ms (no model for a mix)
    'one-in-ten-slow': {
      mix: [
        { weight: 9, io_ms: 10, label: 'fast' },
        { weight: 1, io_ms: 500, label: 'slow' },
      ],
    },
  },
  // 2 topologies × 2 workloads × 3 rates × (1 + 4) s ≈ 60 s, plus the drains; `connections` is the format's required closed-loop ladder, unused (both loops are open)
  load: { rates: [60, 85, 95], warmup_s: 1, duration_s: 4, connections: [1] },
  // 2 × 1 × 2 × (0.5 + 2) s ≈ 10 s of load, plus three proxies and six servers to start
  quick: { rates: [60, 95], warmup_s: 0.5, duration_s: 2, workloads: ['even-59ms'] },
  lesson: {
    metric: 'p99',
    compare: { topologies: ['least-conn', 'round-robin'], workloads: ['even-59ms'] },
    sentence: 'Near capacity, least connections behaves like one shared queue and keeps latency low; round-robin queues requests at a busy upstream while another has an idle worker.',
  },
})
