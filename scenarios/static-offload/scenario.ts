import { defineScenario } from '../../lab/core/scenario.js'

// Four sync workers that can serve /static/ themselves (like Django's or Flask's static view).
const server = { model: 'prefork', workers: 4, static_dir: 'static' } as const

export default defineScenario({
  name: 'static-offload',
  title: 'Static files from the app workers or from the proxy',
  summary: 'Served by sync workers, a 200 KB file takes a worker slot and waits in line behind the dynamic requests; served by the proxy it does neither.',
  topologies: {
    // the workers serve /static/ too
    app: { server },
    // the proxy serves /static/ from the same folder; only dynamic requests reach the workers
    proxied: { server, proxy: { model: 'reverse-proxy', static_dir: 'static' } },
    nginx: { server, proxy: { model: 'reverse-proxy', engine: 'nginx', static_dir: 'static' } },
    apache: { server, proxy: { model: 'reverse-proxy', engine: 'apache', static_dir: 'static' } },
    caddy: { server, proxy: { model: 'reverse-proxy', engine: 'caddy', static_dir: 'static' } },
  },
  workloads: {
    // half the connections load pages (50 ms of waiting on the database each), the other half a 200 KB bundle
    page: {
      mix_split: 'connections',
      mix: [
        { weight: 1, io_ms: 50, label: 'dynamic' },
        { weight: 1, static: 'bundle-200k.css', label: 'static' },
      ],
    },
  },
  // 5 topologies × 2 levels × (1 + 3) s ≈ 40 s
  load: { connections: [16, 32], warmup_s: 1, duration_s: 3 },
  // 5 × 1 × (1 + 2) s ≈ 15 s
  quick: { connections: [16], warmup_s: 1, duration_s: 2 },
  lesson: {
    metric: 'kind-rate', kind: 'dynamic',
    compare: { topologies: ['proxied', 'app'], workloads: ['page'] },
    sentence: 'Serving the files from the proxy frees the workers from them, but the pages stay capped at 4 workers / 50 ms = 80 pages/s: judge it by pages/s, not files/s.',
  },
})
