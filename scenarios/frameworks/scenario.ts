import { defineScenario } from '../../lab/core/scenario.js'

/** One process per topology, so throughput at saturation is 1 / (CPU per response) and the io-bound caps are per process. */
const gunicorn = (app: 'wsgi' | 'flask' | 'django') => ({ server: { model: 'prefork' as const, engine: 'gunicorn' as const, workers: 1, app } })
const uvicorn = (app: 'asgi' | 'fastapi' | 'fastapi-def' | 'quart' | 'django') => ({ server: { model: 'event-loop' as const, engine: 'uvicorn' as const, app } })

export default defineScenario({
  name: 'frameworks',
  title: 'The same endpoint on the raw WSGI/ASGI app and on Flask, Django, FastAPI and Quart',
  summary: "What a framework costs per request in CPU, and how FastAPI's def endpoint and Django's sync view under Uvicorn cap io-bound work.",
  topologies: {
    'wsgi-gunicorn': gunicorn('wsgi'),
    'flask-gunicorn': gunicorn('flask'),
    'django-gunicorn': gunicorn('django'),
    'asgi-uvicorn': uvicorn('asgi'),
    'fastapi-uvicorn': uvicorn('fastapi'),
    'fastapi-def-uvicorn': uvicorn('fastapi-def'),
    'quart-uvicorn': uvicorn('quart'),
    'django-uvicorn': uvicorn('django'),
  },
  workloads: {
    // hello world: no wait, no burn, a small body; at saturation the server's CPU per response is the framework's own cost
    hello: { io_ms: 0, cpu_ms: 0, bytes: 64 },
    // a 20 ms wait (a database call): one sync worker caps at 1 / 0.02 s = 50 req/s, FastAPI's 40 threads at 2000, Django's one thread at 50
    'io-bound': { io_ms: 20, cpu_ms: 0, bytes: 64 },
  },
  // 8 topologies × 2 workloads × 2 levels × (1 + 3) s ≈ 128 s, plus 8 starts
  load: { connections: [16, 64], warmup_s: 1, duration_s: 3, repeat: 1 },
  // quick: the cost table only (hello on each of the 8 servers). Each level's window is 2 whole seconds at least
  // (a spread needs two: lab/core/window.ts), and one sync worker at io_ms=20 serves 50 req/s, so io-bound @48
  // needs 5 responses per connection ≈ 6 s per Gunicorn topology: with io-bound the quick run took 175 s at load
  // average 13 (8 one-off calibrations 48 s, 16 levels with their starts 95 s). The io-bound ceilings are the full run's.
  quick: { connections: [48], warmup_s: 0.3, duration_s: 1, workloads: ['hello'] },
  lesson: {
    metric: 'cpu-per-response',
    compare: { topologies: ['wsgi-gunicorn', 'flask-gunicorn', 'django-gunicorn'], workloads: ['hello'] },
    sentence: 'A framework costs CPU on every request: on an empty endpoint Flask and Django spend more server CPU per response than the bare WSGI app, and one process serves at most 1 / that CPU.',
  },
})
