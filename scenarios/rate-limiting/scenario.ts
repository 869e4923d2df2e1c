import { defineScenario } from '../../lab/core/scenario.js'

// Six sync workers behind nginx (pinned: the built-in proxy has no limiter yet, so --stack node runs nginx too).
const server = { model: 'prefork', workers: 6 } as const
const nginx = { model: 'reverse-proxy', engine: 'nginx' } as const

export default defineScenario({
  name: 'rate-limiting',
  title: 'One abusive client: nginx limit_req rejects it at once (429) while the normal clients keep their latency',
  summary: 'Four abusive connections ask for a 300 ms request as fast as they are answered, beside four normal ones (50 ms): without a limit the abuser holds the workers; with limit_req it gets 429s and the normal clients keep their latency.',
  topologies: {
    // the normal clients alone (the one connection of the mix's first kind): their unloaded latency
    unloaded: { server, proxy: nginx, load: { connections: [1] } },
    'no-limit': { server, proxy: nginx },
    // 2 requests/s for the abuser, a burst of 2 served at once, the rest rejected with 429
    'limit-req': { server, proxy: { ...nginx, limit_req: { rate_per_s: 2, burst: 2, nodelay: true, status: 429 } } },
    // the same without nodelay: the burst waits its turn at 2/s in nginx instead of being rejected
    'limit-req-delay': { server, proxy: { ...nginx, limit_req: { rate_per_s: 2, burst: 2, status: 429 } } },
  },
  workloads: {
    'abuser-and-normal': {
      mix: [
        { weight: 1, io_ms: 50, label: 'normal' },
        { weight: 1, io_ms: 300, label: 'abuser', client: 'abuser' },
      ],
      mix_split: 'connections',
    },
  },
  load: { connections: [8], warmup_s: 1, duration_s: 4 },
  // each topology takes about 10 s to start, measure and stop on the shared 2-core machine: two fit 30 s
  quick: { warmup_s: 0.3, duration_s: 2, topologies: ['no-limit', 'limit-req'] },
  lesson: {
    metric: 'kind-p99', kind: 'normal',
    compare: { topologies: ['limit-req', 'no-limit'], workloads: ['abuser-and-normal'] },
    sentence: 'With limit_req the abusive client gets 429s at once and the normal clients get back close to their unloaded latency; without a limit the abuser holds the workers and normal requests queue.',
  },
})
