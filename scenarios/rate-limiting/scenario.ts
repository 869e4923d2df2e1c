import { defineScenario } from '../../lab/core/scenario.js'

// Eight sync workers behind the stack's proxy: the built-in one on --stack node, nginx on --stack python.
// No engine pinned: the built-in proxy has nginx's limit_req and limit_conn (the same leaky bucket and
// arithmetic, lab/servers/rate-limit.ts), so each stack runs its own proxy, as proxy-buffering's
// `unbuffered` and load-balancing do.
const server = { model: 'prefork', workers: 8 } as const
const proxy = { model: 'reverse-proxy' } as const
const mixed = ['abuser-and-normal']

export default defineScenario({
  name: 'rate-limiting',
  title: 'One abusive client: limit_req and limit_conn reject it (429) while the normal clients keep their latency',
  summary: 'Open loop: normal clients send 30 req/s of a 50 ms request; one abusive client sends another 30 req/s of a 300 ms request, more than the 8 workers can serve. Without a limit the abuser holds the workers; with limit_req or limit_conn it gets 429s and the normal clients keep their unloaded latency.',
  topologies: {
    // the normal clients alone, at their own 30 req/s: their unloaded latency
    unloaded: { server, proxy, workloads: ['normal-alone'], load: { rates: [30] } },
    'no-limit': { server, proxy, workloads: mixed },
    // 2 requests/s for the abuser, a burst of 2 served at once, the rest rejected with 429
    'limit-req': { server, proxy: { ...proxy, limit_req: { rate_per_s: 2, burst: 2, nodelay: true, status: 429 } }, workloads: mixed },
    // the same without nodelay: the burst waits its turn at 2/s in the proxy instead of being served at once
    'limit-req-delay': { server, proxy: { ...proxy, limit_req: { rate_per_s: 2, burst: 2, status: 429 } }, workloads: mixed },
    // one request of the abuser in progress at a time, the others rejected with 429
    'limit-conn': { server, proxy: { ...proxy, limit_conn: { connections: 1, status: 429 } }, workloads: mixed },
  },
  workloads: {
    'normal-alone': { mix: [{ weight: 1, io_ms: 50, label: 'normal' }] },
    'abuser-and-normal': {
      mix: [
        { weight: 1, io_ms: 50, label: 'normal' },
        { weight: 1, io_ms: 300, label: 'abuser', client: 'abuser' },
      ],
    },
  },
  // open loop: the abuser's rejected requests do not come back faster than it sends (a closed loop would resend each 429 at once)
  load: { connections: [1], mode: 'open', rates: [60], arrival: 'poisson', warmup_s: 1, duration_s: 8 },
  // the comparison the lesson rests on (normal clients unloaded and beside a limited abuser) fits 30 s; the full run adds no-limit, limit-req-delay and limit-conn
  quick: { warmup_s: 0.3, duration_s: 3, topologies: ['unloaded', 'limit-req'] },
  lesson: {
    metric: 'kind-p99', kind: 'normal',
    // each on its own workload: the unloaded baseline measures the normal clients alone
    compare: { topologies: ['limit-req', 'unloaded'] },
    sentence: 'With limit_req the abusive client gets 429s at once and the normal clients keep their unloaded latency; without a limit (the full run) the abuser holds the workers and normal requests queue.',
  },
})
