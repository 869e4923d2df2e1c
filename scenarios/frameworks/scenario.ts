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
  // 8 × 2 × 1 × (0.3 + 1) s ≈ 21 s, plus 8 starts (more on a loaded machine: a level warms until steady)
  quick: { connections: [48], warmup_s: 0.3, duration_s: 1 },
})
