import { defineScenario } from '../../lab/core/scenario.js'

// Eight sync workers behind nginx (pinned: the built-in proxy has no limiter, so --stack node runs nginx too).
const server = { model: 'prefork', workers: 8 } as const
const nginx = { model: 'reverse-proxy', engine: 'nginx' } as const
const mixed = ['abuser-and-normal']

export default defineScenario({
  name: 'rate-limiting',
  title: 'One abusive client: nginx limit_req and limit_conn reject it (429) while the normal clients keep their latency',
  summary: 'Open loop: normal clients send 30 req/s of a 50 ms request; one abusive client sends another 30 req/s of a 300 ms request, more than the 8 workers can serve. Without a limit the abuser holds the workers; with limit_req or limit_conn it gets 429s and the normal clients keep their unloaded latency.',
  topologies: {
    // the normal clients alone, at their own 30 req/s: their unloaded latency
    unloaded: { server, proxy: nginx, workloads: ['normal-alone'], load: { rates: [30] } },
    'no-limit': { server, proxy: nginx, workloads: mixed },
    // 2 requests/s for the abuser, a burst of 2 served at once, the rest rejected with 429
    'limit-req': { server, proxy: { ...nginx, limit_req: { rate_per_s: 2, burst: 2, nodelay: true, status: 429 } }, workloads: mixed },
    // the same without nodelay: the burst waits its turn at 2/s in nginx instead of being rejected
    'limit-req-delay': { server, proxy: { ...nginx, limit_req: { rate_per_s: 2, burst: 2, status: 429 } }, workloads: mixed },
    // one request of the abuser in progress at a time, the others rejected with 429
    'limit-conn': { server, proxy: { ...nginx, limit_conn: { connections: 1, status: 429 } }, workloads: mixed },
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
