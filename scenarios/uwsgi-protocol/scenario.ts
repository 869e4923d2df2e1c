import { defineScenario } from '../../lab/core/scenario.js'

// The same uWSGI (2 processes × 2 threads, lab/apps/wsgi_app.py) behind the same nginx, spoken to in two protocols.
const server = { model: 'threaded', engine: 'uwsgi', workers: 2, threads: 2 } as const

export default defineScenario({
  name: 'uwsgi-protocol',
  title: 'nginx to uWSGI: the uwsgi binary protocol against HTTP',
  summary: 'uwsgi_pass to uWSGI’s --socket against proxy_pass to its --http-socket: the same app, the same slots; what the binary protocol saves is CPU per request, measured.',
  topologies: {
    // proxy_pass http://app; uWSGI --http-socket (it parses the HTTP request itself, and closes after each answer)
    http: { server, proxy: { model: 'reverse-proxy', engine: 'nginx' } },
    // uwsgi_pass app; uWSGI --socket (nginx sends the request's variables, sizes prefixed; no HTTP parsing in uWSGI)
    uwsgi: { server, proxy: { model: 'reverse-proxy', engine: 'nginx', protocol: 'uwsgi' } },
  },
  workloads: {
    // no wait, no work: what is left is the per-request cost of the path (nginx, the wire protocol, uWSGI, the app)
    empty: { io_ms: 0, cpu_ms: 0, bytes: 1024 },
    // 20 ms waits: the slots set the pace (2 × 2 / 20 ms = 200 req/s), so the protocol should not show
    waits: { io_ms: 20, cpu_ms: 0, bytes: 1024 },
  },
  // 2 topologies × 2 workloads × (1 + 4) s = 20 s plus starts
  load: { connections: [16], warmup_s: 1, duration_s: 4 },
  // 2 topologies × 2 workloads × (0.25 + 2) s = 9 s plus four starts and stops
  quick: { warmup_s: 0.25, duration_s: 2 },
  lesson: {
    metric: 'cpu-per-response',
    compare: { topologies: ['uwsgi', 'http'], workloads: ['empty'] },
    sentence: 'The uwsgi binary protocol saves uWSGI its HTTP parsing: less server CPU per response, a small share of the whole request\'s cost, so req/s barely moves.',
  },
})
