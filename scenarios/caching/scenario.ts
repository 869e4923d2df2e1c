import { defineScenario } from '../../lab/core/scenario.js'

// Four sync workers behind a proxy with a 1 s micro-cache of a slow (200 ms) page.
const server = { model: 'prefork', workers: 4 } as const
const cached = { model: 'reverse-proxy', cache_ttl_s: 1 } as const

export default defineScenario({
  name: 'caching',
  title: 'A 1 s micro-cache in front of a 200 ms page, with and without the cache lock',
  summary: 'With the lock one request per second refills the page; without it every request arriving during the 200 ms refill goes upstream too: the stampede.',
  topologies: {
    // the built-in proxy: one refill, the others get the stale copy (X-Cache: STALE)
    lock: { server, proxy: { ...cached, engine: 'node-reverse-proxy', cache_lock: true } },
    'no-lock': { server, proxy: { ...cached, engine: 'node-reverse-proxy', cache_lock: false } },
    // nginx: proxy_cache_lock on + proxy_cache_use_stale updating, and neither
    'nginx-lock': { server, proxy: { ...cached, engine: 'nginx', cache_lock: true } },
    'nginx-no-lock': { server, proxy: { ...cached, engine: 'nginx', cache_lock: false } },
  },
  workloads: {
    // every request asks for the same 200 ms page
    'slow-page': { io_ms: 200 },
  },
  // 4 topologies × 1 level × (1 + 5) s ≈ 24 s
  load: { connections: [32], warmup_s: 1, duration_s: 5 },
  // 4 × (0.25 + 2) s = 9 s, plus starting and stopping (each topology starts 5 Node processes)
  quick: { warmup_s: 0.25, duration_s: 2 },
  lesson: {
    metric: 'upstream-rate',
    compare: { topologies: ['lock', 'no-lock'], workloads: ['slow-page'] },
    sentence: 'With the cache lock one request per expiry refills the page (about 0.83 upstream req/s); without it every request arriving during the 200 ms refill goes upstream too: the stampede.',
  },
})
