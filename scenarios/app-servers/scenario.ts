import { defineScenario } from '../../lab/core/scenario.js'

// The same WSGI app (lab/apps/wsgi_app.py) on four servers with the same W × T = 4 request slots.
export default defineScenario({
  name: 'app-servers',
  title: 'Gunicorn, uWSGI and mod_wsgi with the same processes × threads',
  summary: 'Four WSGI servers, 4 request slots each: 80 req/s on 50 ms waits, cores/cpu_ms on CPU work.',
  topologies: {
    'gunicorn-sync': { server: { model: 'prefork', engine: 'gunicorn', workers: 4 } },
    // keepAlive: false (--keep-alive 0): a kept-alive connection stays with the worker that accepted it;
    // worker_connections = threads: a worker whose threads are busy accepts no more, so waiting requests share the backlog (notes.md)
    'gunicorn-gthread': { server: { model: 'threaded', engine: 'gunicorn', workers: 2, threads: 2, keepAlive: false, worker_connections: 2 } },
    uwsgi: { server: { model: 'threaded', engine: 'uwsgi', workers: 2, threads: 2 } },
    'mod-wsgi': { server: { model: 'threaded', engine: 'mod-wsgi', workers: 2, threads: 2 } },
  },
  workloads: {
    'io-bound': { io_ms: 50, cpu_ms: 0, bytes: 1024 },
    'cpu-bound': { io_ms: 0, cpu_ms: 10, bytes: 1024 },
  },
  // 4 topologies × 2 workloads × 2 levels × (1 + 4) s ≈ 80 s
  load: { connections: [4, 16], warmup_s: 1, duration_s: 4, repeat: 1 },
  // connections ≥ W·T, so every slot is busy: 4 × 2 × 1 × (0.5 + 1) s = 12 s plus starts and stops
  quick: { connections: [16], warmup_s: 0.5, duration_s: 1 },
  lesson: {
    metric: 'answered',
    compare: { topologies: ['gunicorn-sync', 'gunicorn-gthread', 'uwsgi', 'mod-wsgi'], workloads: ['io-bound'] },
    sentence: 'With the same 4 request slots, Gunicorn, uWSGI and mod_wsgi answer the same 4 / 50 ms = 80 req/s on waits: the slots set the pace, not the server.',
  },
})
