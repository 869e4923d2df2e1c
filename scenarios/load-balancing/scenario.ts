import { defineScenario } from '../../lab/core/scenario.js'

// Three instances of a 2-worker pre-fork server behind one proxy.
const server = { model: 'prefork', workers: 2 } as const

export default defineScenario({
  name: 'load-balancing',
  title: 'Round-robin vs least connections across three upstreams',
  summary: 'Three 2-worker upstreams serve ≈ 102 req/s when 1 request in 10 is slow; least-connections keeps fast requests away from the busy one.',
  topologies: {
    'round-robin': { server, upstreams: 3, proxy: { model: 'reverse-proxy', balance: 'round-robin' } },
    'least-conn': { server, upstreams: 3, proxy: { model: 'reverse-proxy', balance: 'least-conn' } },
    'nginx-round-robin': { server, upstreams: 3, proxy: { model: 'reverse-proxy', engine: 'nginx', balance: 'round-robin' } },
    'nginx-least-conn': { server, upstreams: 3, proxy: { model: 'reverse-proxy', engine: 'nginx', balance: 'least-conn' } },
  },
  workloads: {
    // 9 requests in 10 wait 10 ms, 1 in 10 waits 500 ms: a mean of 59 ms
    'one-in-ten-slow': {
      mix: [
        { weight: 9, io_ms: 10, label: 'fast' },
        { weight: 1, io_ms: 500, label: 'slow' },
      ],
    },
  },
  // 6 connections = the 6 workers; 12 and 24 queue. 4 topologies × 3 levels × (1 + 4) s ≈ 60 s
  load: { connections: [6, 12, 24], warmup_s: 1, duration_s: 4 },
  // 4 × 1 × (1 + 3) s ≈ 16 s
  quick: { connections: [12], warmup_s: 1, duration_s: 3 },
})
