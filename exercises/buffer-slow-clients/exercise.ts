import { z } from 'zod'
import { defineExercise } from '../../lab/core/exercise.js'

export default defineExercise({
  name: 'buffer-slow-clients',
  title: 'Protect sync workers from slow clients',
  summary: 'Slow uploads hold every sync worker; put a proxy in front and decide whether it buffers requests.',
  lesson: 'proxy-buffering',
  stack: 'node',
  params: { workers: { min: 2, max: 4, default: 3 } },
  answer: z.strictObject({ proxy: z.boolean(), request_buffering: z.boolean(), buffering: z.boolean() }),
  template: () => ({ file: 'answer.json', answer: { proxy: false, request_buffering: false, buffering: false } }),
  scenario: (p, a) => ({
    name: 'exercise-buffer-slow-clients',
    title: `${p.workers} sync workers, ${p.workers} slow uploads, ${a.proxy ? `proxy (request buffering ${a.request_buffering ? 'on' : 'off'})` : 'no proxy'}`,
    summary: 'Are normal requests still served while slow clients upload a byte a second?',
    topologies: {
      server: {
        server: { model: 'prefork', workers: p.workers! },
        ...(a.proxy ? { proxy: { model: 'reverse-proxy', request_buffering: a.request_buffering, buffering: a.buffering } } : {}),
      },
    },
    workloads: { 'slow-uploads': { io_ms: 10, slow_clients: { count: p.workers!, mode: 'slow-body', bytes_per_s: 1 } } },
    load: { connections: [8], warmup_s: 0.5, duration_s: 2 },
  }),
  checks: (p) => [
    {
      figure: 'answered_rps',
      op: '>=',
      threshold: 10 * p.workers!,
      explain: `Normal requests got {measured} req/s: ${p.workers} slow uploads each hold a sync worker while their body trickles in, so all ${p.workers} are busy reading. A proxy that reads the whole request first (request buffering) hands the worker only complete requests.`,
    },
  ],
  reference: () => ({ proxy: true, request_buffering: true, buffering: true }),
  wrong: () => ({ proxy: true, request_buffering: false, buffering: true }),
})
