import { defineScenario } from '../../lab/core/scenario.js'

// One Gunicorn gevent worker: its waits yield (time.sleep, monkey-patched) or do not (a C-level sleep, notes.md).
export default defineScenario({
  name: 'gevent-and-blocking',
  title: 'gevent: one worker serves many waits, until a call does not yield',
  summary: 'One gevent worker overlaps 50 ms waits (N/S req/s); a C sleep the monkey patch cannot see, or CPU work, holds every greenlet: 1/S.',
  topologies: {
    gevent: { server: { model: 'event-loop', engine: 'gunicorn-gevent', workers: 1, app: 'wsgi' } },
    'gevent-c-sleep': { server: { model: 'event-loop', engine: 'gunicorn-gevent', workers: 1, app: 'wsgi-c-sleep' } },
  },
  workloads: {
    'io-bound': { io_ms: 50, cpu_ms: 0, bytes: 1024 },
    'cpu-bound': { io_ms: 0, cpu_ms: 10, bytes: 1024 },
  },
  // 2 topologies × 2 workloads × 3 levels × (1 + 4) s ≈ 60 s
  load: { connections: [1, 4, 16], warmup_s: 1, duration_s: 4, repeat: 1 },
  // 4 connections: 80 req/s when waits yield, 20 when they do not; 2 × 2 × (0.5 + 2) s plus starts
  quick: { connections: [4], warmup_s: 0.5, duration_s: 2 },
  lesson: {
    metric: 'answered',
    compare: { topologies: ['gevent', 'gevent-c-sleep'], workloads: ['io-bound'] },
    sentence: 'One gevent worker overlaps its waits only while they yield: a C call the monkey patch cannot see blocks every greenlet, and req/s falls to 1 / the wait.',
  },
})
