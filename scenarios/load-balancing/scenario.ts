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
    // mod_proxy_balancer's lbmethod=byrequests and bybusyness
    'apache-round-robin': { server, upstreams: 3, proxy: { model: 'reverse-proxy', engine: 'apache', balance: 'round-robin' } },
    'apache-least-conn': { server, upstreams: 3, proxy: { model: 'reverse-proxy', engine: 'apache', balance: 'least-conn' } },
    // Caddy's lb_policy round_robin and least_conn
    'caddy-round-robin': { server, upstreams: 3, proxy: { model: 'reverse-proxy', engine: 'caddy', balance: 'round-robin' } },
    'caddy-least-conn': { server, upstreams: 3, proxy: { model: 'reverse-proxy', engine: 'caddy', balance: 'least-conn' } },
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
  // 6 connections = the 6 workers; 12 and 24 queue. 8 topologies × 3 levels × (1 + 4) s ≈ 120 s
  load: { connections: [6, 12, 24], warmup_s: 1, duration_s: 4 },
  // the built-in proxy and nginx: 4 × 1 × (1 + 2) s ≈ 12 s plus starting 3 upstreams and a proxy per topology; the full run adds Apache and Caddy
  quick: { connections: [12], warmup_s: 1, duration_s: 2, topologies: ['round-robin', 'least-conn', 'nginx-round-robin', 'nginx-least-conn'] },
  lesson: {
    metric: 'kind-p99', kind: 'fast',
    compare: { topologies: ['least-conn', 'round-robin'], workloads: ['one-in-ten-slow'] },
    sentence: 'Round-robin sends fast requests to an upstream busy with slow ones; least connections keeps them away, so the fast requests\' p99 falls.',
  },
})
