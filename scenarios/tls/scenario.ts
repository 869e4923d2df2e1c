import { defineScenario } from '../../lab/core/scenario.js'

// One event-loop server answering at once; the proxy in front terminates TLS (or not, `nginx-plain`).
const server = { model: 'event-loop' } as const

export default defineScenario({
  name: 'tls',
  title: 'TLS termination at the proxy: the handshake per connection against keep-alive',
  summary: 'HTTPS ends at nginx, Apache or Caddy with a certificate made for the run; a new connection per request pays a full TLS handshake, keep-alive pays it once.',
  topologies: {
    // the same nginx without TLS: what TCP alone costs
    'nginx-plain': { server, proxy: { model: 'reverse-proxy', engine: 'nginx' } },
    nginx: { server, proxy: { model: 'reverse-proxy', engine: 'nginx', tls: true } },
    apache: { server, proxy: { model: 'reverse-proxy', engine: 'apache', tls: true } },
    caddy: { server, proxy: { model: 'reverse-proxy', engine: 'caddy', tls: true } },
  },
  workloads: {
    // 1 KiB answered at once, every request on the connection it came on
    'keep-alive': { io_ms: 0, cpu_ms: 0, bytes: 1024 },
    // the same with `Connection: close`: a TCP and a TLS handshake per request
    'new-connection': { io_ms: 0, cpu_ms: 0, bytes: 1024, close_connections: true },
  },
  // 4 topologies × 2 workloads × (1 + 3) s = 32 s
  load: { connections: [8], warmup_s: 1, duration_s: 3 },
  // the three TLS proxies: 3 × 2 × (0.25 + 2) s = 13.5 s, plus starting and stopping (add the
  // plain-HTTP baseline with --topology nginx-plain)
  quick: { warmup_s: 0.25, duration_s: 2, topologies: ['nginx', 'apache', 'caddy'] },
  lesson: {
    metric: 'answered',
    compare: { topologies: ['nginx'], workloads: ['keep-alive', 'new-connection'] },
    sentence: 'A new connection per request pays a TCP and a full TLS handshake every time; keep-alive pays them once per connection and answers far more req/s.',
  },
})
