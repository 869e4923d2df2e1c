import { z } from 'zod'
import { defineExercise } from '../../lab/core/exercise.js'

export default defineExercise({
  name: 'balance-skewed-mix',
  title: 'Pick the load-balancing policy for a skewed request mix',
  summary: 'One request in ten is slow; choose how the proxy shares requests over three upstreams so fast ones stay fast.',
  lesson: 'load-balancing',
  stack: 'node',
  params: { slow_ms: { min: 300, max: 600, step: 50, default: 500 } },
  answer: z.strictObject({ balance: z.enum(['round-robin', 'least-conn']) }),
  template: () => ({ file: 'answer.json', answer: { balance: 'round-robin' } }),
  scenario: (p, a) => ({
    name: 'exercise-balance-skewed-mix',
    title: `Three 2-worker upstreams, ${a.balance}, 1 in 10 requests waits ${p.slow_ms} ms`,
    summary: 'Where do the fast requests wait?',
    topologies: { lb: { server: { model: 'prefork', workers: 2 }, upstreams: 3, proxy: { model: 'reverse-proxy', balance: a.balance } } },
    workloads: {
      skewed: {
        mix: [
          { weight: 9, io_ms: 10, label: 'fast' },
          { weight: 1, io_ms: p.slow_ms!, label: 'slow' },
        ],
      },
    },
    load: { connections: [12], warmup_s: 1, duration_s: 3 },
  }),
  checks: (p) => [
    {
      figure: 'mean_ms',
      kind: 'fast',
      op: '<',
      threshold: 110,
      explain: `Fast requests took {measured} ms on average: round-robin sends every third request to an upstream whatever it is doing, so fast ones queue behind ${p.slow_ms} ms slow ones. Least connections sends each request to the upstream with the fewest in progress.`,
    },
  ],
  reference: () => ({ balance: 'least-conn' as const }),
  wrong: () => ({ balance: 'round-robin' as const }),
})
