import { z } from 'zod'
import { defineExercise } from '../../lab/core/exercise.js'

/** The gunicorn.conf.py handed out, with the pool's two settings filled in. */
const conf = (workers: number, threads: number) => `# Gunicorn's settings file, run by the lab as: gunicorn -c gunicorn.conf.py ...
# Plain Python: each setting is a variable (https://docs.gunicorn.org/en/20.1.0/settings.html).
# The lab sets bind (127.0.0.1, a free port) and the app; everything else is yours.
workers = ${workers}
threads = ${threads}  # more than 1 runs the gthread worker
`

/** Connections the load keeps busy: enough to reach 2× the target when every one finds a free thread. */
const connections = (p: Record<string, number>) => Math.ceil((2 * p.target_rps! * p.io_ms!) / 1000)

export default defineExercise({
  name: 'size-gunicorn-pool',
  title: 'Size a Gunicorn pool for a target rate under a p99 bound',
  summary: 'Write the gunicorn.conf.py (workers, threads) that serves the target req/s of a waiting (I/O-bound) endpoint; predict the rate.',
  lesson: 'worker-sweep',
  stack: 'python',
  params: {
    io_ms: { min: 60, max: 100, step: 10, default: 60 },
    target_rps: { min: 100, max: 150, step: 10, default: 120 },
  },
  answer: z.strictObject({ predicted_rps: z.number().min(0) }),
  template: () => ({ file: 'answer.json', answer: { predicted_rps: 0 } }),
  files: {
    'gunicorn.conf.py': { kind: 'gunicorn-conf', template: () => conf(1, 1), reference: (p) => conf(2, connections(p)), wrong: () => conf(4, 1) },
  },
  scenario: (p) => ({
    name: 'exercise-size-gunicorn-pool',
    title: `Gunicorn with your gunicorn.conf.py, ${p.io_ms} ms waits, ${connections(p)} connections`,
    summary: `Target ${p.target_rps} req/s at p99 < ${4 * p.io_ms!} ms.`,
    topologies: { pool: { server: { model: 'prefork', engine: 'gunicorn', config_file: 'gunicorn.conf.py' } } },
    workloads: { wait: { io_ms: p.io_ms!, cpu_ms: 0, bytes: 1024 } },
    load: { connections: [connections(p)], warmup_s: 1, duration_s: 3 },
  }),
  checks: (p) => [
    {
      figure: 'answered_rps',
      op: '>=',
      threshold: p.target_rps!,
      explain: `W workers × T threads, each busy ${p.io_ms} ms per request, cap at W·T/S = W·T × ${Math.round(1000 / p.io_ms!)} req/s (measured {measured}); you need more waiting capacity: threads, since the work is waiting, not CPU.`,
    },
    {
      figure: 'p99_ms',
      op: '<',
      threshold: 4 * p.io_ms!,
      explain: `p99 {measured} ms: requests queue for a free thread (Little's law: ${connections(p)} connections / throughput); add threads until none waits.`,
    },
    { figure: 'errors', op: '==', threshold: 0, explain: '{measured} requests failed; a served error is not served.' },
    {
      figure: 'prediction_error',
      op: '<=',
      // 0.3, not 0.15: on a shared 2-core machine Gunicorn's own per-request time adds tens of percent to S
      threshold: 0.3,
      predicts: { field: 'predicted_rps', figure: 'answered_rps' },
      explain: `Your prediction is off by {measured} (as a fraction of the measured rate). With ${connections(p)} connections and a free thread for each, X = N / S = ${connections(p)} / ${p.io_ms} ms. Gunicorn 20.1's gthread worker keeps accepting until it holds worker_connections (1000) connections, so one worker can hold every keep-alive connection: with fewer threads per worker than connections, X can fall to T / S, not W·T / S.`,
    },
  ],
  // a thread per connection in EACH worker: gthread does not spread keep-alive connections evenly
  // (one worker accepted all 15 on this machine: 2 × 8 threads served 133 req/s = 8 / 60 ms)
  // (gunicorn.conf.py: workers = 2, threads = connections)
  reference: (p) => ({ predicted_rps: Math.round((connections(p) * 1000) / p.io_ms!) }),
  // the CPU-bound rule of thumb (2 × cores: workers = 4, threads = 1), applied to a waiting workload
  wrong: (p) => ({ predicted_rps: Math.round((connections(p) * 1000) / p.io_ms!) }),
})
