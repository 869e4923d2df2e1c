import { defineScenario } from '../../lab/core/scenario.js'

// The same WSGI app (lab/apps/wsgi_app.py) on the two development servers and on Gunicorn.
export default defineScenario({
  name: 'dev-server',
  title: 'Why not deploy the development server: wsgiref and Werkzeug against Gunicorn',
  summary: 'wsgiref serves one request at a time and one slow client stops it; Werkzeug starts a thread per connection with no limit and one core; Gunicorn has W workers, a master and timeouts.',
  topologies: {
    // wsgiref.simple_server: one process, one request at a time, listen backlog 5
    wsgiref: { server: { model: 'prefork', engine: 'wsgiref', workers: 1 } },
    // what `flask run` starts: a thread per connection, as many as there are connections
    // (threads: 16 tells the model so; Werkzeug itself has no limit)
    werkzeug: { server: { model: 'threaded', engine: 'werkzeug', workers: 1, threads: 16 } },
    // `flask run --without-threads`: one request at a time
    'werkzeug-single': { server: { model: 'prefork', engine: 'werkzeug', workers: 1 } },
    gunicorn: { server: { model: 'prefork', engine: 'gunicorn', workers: 4 } },
  },
  workloads: {
    // 50 ms waits (a database call)
    waits: { io_ms: 50, cpu_ms: 0, bytes: 1024 },
    // the same, beside ONE client that sends its request headers at 1 byte/s and never finishes
    'one-slow-client': { io_ms: 50, cpu_ms: 0, bytes: 1024, slow_clients: { count: 1, mode: 'slow-headers', bytes_per_s: 1 } },
    // 10 ms of Python CPU work per request
    cpu: { io_ms: 0, cpu_ms: 10, bytes: 1024 },
  },
  // 4 topologies × 3 workloads × (1 + 4) s = 60 s plus starts
  load: { connections: [16], warmup_s: 1, duration_s: 4 },
  // the slow client's level shows all three lessons at once (wsgiref stops, Gunicorn loses one worker
  // of 4, Werkzeug a thread of many): 3 topologies × (0.25 + 2) s ≈ 7 s plus three starts and stops
  quick: { warmup_s: 0.25, duration_s: 2, topologies: ['wsgiref', 'werkzeug', 'gunicorn'], workloads: ['one-slow-client'] },
  lesson: {
    metric: 'answered',
    compare: { topologies: ['gunicorn', 'wsgiref'], workloads: ['one-slow-client'] },
    sentence: 'One client that sends its headers slowly stops wsgiref, which serves one request at a time; Gunicorn loses one worker of four and keeps answering.',
  },
})
