import { z } from 'zod'
import { defineExercise } from '../../lab/core/exercise.js'

export default defineExercise({
  name: 'unblock-event-loop',
  title: 'Keep a health check fast while CPU work runs',
  summary: 'CPU work on one event loop delays every other request; move it off the loop so /health answers in time.',
  lesson: 'blocked-event-loop',
  stack: 'node',
  params: { cpu_ms: { min: 15, max: 30, step: 5, default: 20 } },
  answer: z.strictObject({
    model: z.enum(['event-loop', 'prefork']),
    workers: z.number().int().min(1).max(8),
    predicted_probe_p99_ms: z.number().min(0),
  }),
  template: () => ({ file: 'answer.json', answer: { model: 'event-loop', workers: 1, predicted_probe_p99_ms: 0 } }),
  scenario: (p, a) => ({
    name: 'exercise-unblock-event-loop',
    title: `${a.model === 'prefork' ? `${a.workers} pre-forked workers` : 'one event loop'}, ${p.cpu_ms} ms of CPU per request, /health probed`,
    summary: 'Does the health check wait behind the CPU work?',
    topologies: { server: { server: a.model === 'prefork' ? { model: 'prefork', workers: a.workers } : { model: 'event-loop' } } },
    workloads: { cpu: { io_ms: 0, cpu_ms: p.cpu_ms!, bytes: 1024 } },
    load: { connections: [3], warmup_s: 0.5, duration_s: 2, probe: { path: '/health' } },
  }),
  checks: (p) => [
    {
      figure: 'probe_p99_ratio',
      op: '<',
      threshold: 0.5,
      explain: `/health's p99 was {measured} × the CPU requests' p99: it queued behind the ${p.cpu_ms} ms CPU jobs on the loop. An event loop runs one callback at a time; the CPU work must run elsewhere (another process) so the loop stays free.`,
    },
    {
      figure: 'prediction_error',
      op: '<=',
      threshold: 1,
      predicts: { field: 'predicted_probe_p99_ms', figure: 'probe_p99_ms' },
      explain: 'Your probe p99 prediction is off by {measured} (fraction of the measured). Behind a busy loop the probe waits for the jobs ahead of it: up to 3 × cpu_ms with 3 connections.',
    },
  ],
  reference: (p) => ({ model: 'prefork' as const, workers: 4, predicted_probe_p99_ms: Math.round(p.cpu_ms! / 4) }),
  wrong: (p) => ({ model: 'event-loop' as const, workers: 1, predicted_probe_p99_ms: 3 * p.cpu_ms! }),
})
