import { defineScenario } from '../../lab/core/scenario.js'

// Three sync workers, as Gunicorn runs them; the same three behind a buffering proxy.
const server = { model: 'prefork', workers: 3 } as const

export default defineScenario({
  name: 'proxy-buffering',
  title: 'Slow clients against sync workers, bare and behind a buffering proxy',
  summary: 'Why Gunicorn requires a buffering proxy: three slow clients stop three sync workers cold; behind nginx nobody notices.',
  topologies: {
    bare: { server },
    // the built-in proxy on every stack (nginx is the next one)
    proxied: { server, proxy: { model: 'reverse-proxy', engine: 'node-reverse-proxy' } },
    nginx: { server, proxy: { model: 'reverse-proxy', engine: 'nginx' } },
    // Apache httpd and Caddy with their own defaults (both stream bodies; see notes.md)
    apache: { server, proxy: { model: 'reverse-proxy', engine: 'apache' } },
    caddy: { server, proxy: { model: 'reverse-proxy', engine: 'caddy' } },
    // and with their own buffering on: Apache `SetEnv proxy-sendcl 1` (request bodies), Caddy `buffer_requests` + `buffer_responses`
    'apache-buffered': { server, proxy: { model: 'reverse-proxy', engine: 'apache', engine_buffering: true } },
    'caddy-buffered': { server, proxy: { model: 'reverse-proxy', engine: 'caddy', engine_buffering: true } },
    // the same proxy with both buffers off: it passes slowness straight through
    unbuffered: { server, proxy: { model: 'reverse-proxy', buffering: false, request_buffering: false } },
  },
  workloads: {
    // fast requests (10 ms) beside 3 clients that send their headers at 1 byte/s (Slowloris)
    'slow-headers': { io_ms: 10, slow_clients: { count: 3, mode: 'slow-headers', bytes_per_s: 1 } },
    // beside 3 clients that upload a 1 MB body at 1 byte/s
    'slow-uploads': { io_ms: 10, slow_clients: { count: 3, mode: 'slow-body', bytes_per_s: 1 } },
    // beside 3 clients that download 10 MB at 16 KiB/s: through a real 393 kbit/s link (3 × 16 KiB/s, tbf; +20 ms
    // each way where the kernel has netem) when the lab runs as root with iproute2, else paced by the lab at
    // 16 KiB/s each, and the results say why (docs/network-links.md)
    'slow-readers': { io_ms: 10, slow_clients: { count: 3, mode: 'slow-reader', bytes_per_s: 16_384, response_bytes: 10_000_000, link_kbit: 393, link_delay_ms: 20 } },
  },
  // 8 topologies × 3 workloads × (1 + 3) s ≈ 96 s
  load: { connections: [16], warmup_s: 1, duration_s: 3 },
  // every level holds at least 2 whole seconds (lab/core/window.ts), so a first look measures the
  // bare server and the four proxies with their defaults on slow headers and slow uploads:
  // 5 × 2 × (0.25 + 2) s ≈ 23 s, plus starting and stopping, under 30 s (all three workloads took
  // 43–49 s). An engine that is not installed is left out with a note on --stack node; add slow
  // readers with --workload slow-readers, the buffered and unbuffered variants with --topology.
  quick: { warmup_s: 0.25, duration_s: 2, topologies: ['bare', 'proxied', 'nginx', 'apache', 'caddy'], workloads: ['slow-headers', 'slow-uploads'] },
  lesson: {
    metric: 'answered',
    compare: { topologies: ['proxied', 'bare'], workloads: ['slow-headers'] },
    sentence: 'Three slow clients hold all three bare sync workers, so the fast requests stop; a buffering proxy reads the slow requests itself, and the workers keep answering.',
  },
})
