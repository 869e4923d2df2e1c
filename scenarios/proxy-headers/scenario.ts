import { defineScenario } from '../../lab/core/scenario.js'

// The app says what it was told about its client (lab/apps/whoami_app.py, headers X-Seen-Client and
// X-Seen-Scheme); the facts are checked by test/integration/proxy-headers.test.ts, the run shows the cost.
const nginx = { model: 'reverse-proxy', engine: 'nginx' } as const
const gunicorn = { model: 'prefork', engine: 'gunicorn', app: 'whoami', workers: 2 } as const
const uvicorn = { model: 'event-loop', engine: 'uvicorn', app: 'whoami' } as const

export default defineScenario({
  name: 'proxy-headers',
  title: 'Who is the client? X-Forwarded-For and X-Forwarded-Proto behind nginx',
  summary: 'nginx passes the client address and scheme in X-Forwarded-* headers; Gunicorn believes only the scheme, and only from forwarded_allow_ips; Uvicorn believes both; Werkzeug\'s ProxyFix takes the address the one proxy appended: what each app sees, and the spoofing a trusting server allows.',
  topologies: {
    // Gunicorn's default: X-Forwarded-Proto believed from 127.0.0.1 (the proxy, but on loopback every client too)
    'gunicorn-default': { server: gunicorn, proxy: nginx },
    // believed from nobody: the app sees http even behind a TLS proxy
    'gunicorn-trust-none': { server: { ...gunicorn, forwarded_allow_ips: '192.0.2.1' }, proxy: nginx },
    // Uvicorn's default (--proxy-headers, 127.0.0.1): the client address comes from X-Forwarded-For
    'uvicorn-default': { server: uvicorn, proxy: nginx },
    // trusting anyone: the first X-Forwarded-For address wins, whoever wrote it
    'uvicorn-trust-all': { server: { ...uvicorn, forwarded_allow_ips: '*' }, proxy: nginx },
    // Flask behind Werkzeug's ProxyFix(x_for=1, x_proto=1): the last X-Forwarded-For address (the one nginx appended) and the scheme nginx set
    'flask-proxyfix': { server: { ...gunicorn, app: 'whoami-proxyfix' }, proxy: nginx },
  },
  workloads: {
    'io-10ms': { io_ms: 10, cpu_ms: 0, bytes: 256 },
  },
  load: { connections: [4], warmup_s: 0.5, duration_s: 2 },
  quick: { warmup_s: 0.25, duration_s: 2, topologies: ['gunicorn-default', 'uvicorn-trust-all'] },
  lesson: {
    metric: 'answered',
    compare: { topologies: ['gunicorn-default', 'uvicorn-trust-all'], workloads: ['io-10ms'] },
    sentence: 'Behind nginx the servers differ in what they believe, not in speed: Gunicorn takes only the scheme from X-Forwarded-Proto, Uvicorn trusting * takes a forged X-Forwarded-For as the client (the tests check it; the run measures the load).',
  },
})
