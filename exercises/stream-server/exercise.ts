import { z } from 'zod'
import { defineExercise } from '../../lab/core/exercise.js'

export default defineExercise({
  name: 'stream-server',
  title: 'Choose a server for a streaming endpoint',
  summary: 'Server-sent event streams stay open for minutes; pick the server model that holds them and still answers normal requests.',
  lesson: 'long-lived',
  stack: 'node',
  params: { streams: { min: 12, max: 40, step: 4, default: 20 } },
  answer: z.strictObject({ model: z.enum(['prefork', 'event-loop']), workers: z.number().int().min(1).max(8) }),
  template: () => ({ file: 'answer.json', answer: { model: 'prefork', workers: 4 } }),
  scenario: (p, a) => ({
    name: 'exercise-stream-server',
    title: `${p.streams} open streams beside normal requests on ${a.model === 'prefork' ? `${a.workers} sync workers` : 'one event loop'}`,
    summary: 'Do normal requests still get answered while the streams are open?',
    topologies: { server: { server: a.model === 'prefork' ? { model: 'prefork', workers: a.workers } : { model: 'event-loop' } } },
    workloads: { streams: { io_ms: 50, cpu_ms: 0, bytes: 1024, streams: { count: p.streams!, interval_ms: 1000 } } },
    load: { connections: [8], warmup_s: 0.5, duration_s: 2 },
  }),
  checks: (p) => [
    {
      figure: 'answered_rps',
      op: '>=',
      threshold: 40,
      explain: `Normal requests got {measured} req/s: each of the ${p.streams} open streams pins a sync worker for as long as it stays open, so at most 8 workers are all held and nothing else is served. A stream needs a server that holds a connection without a worker: an event loop.`,
    },
  ],
  reference: () => ({ model: 'event-loop' as const, workers: 1 }),
  wrong: () => ({ model: 'prefork' as const, workers: 8 }),
})
