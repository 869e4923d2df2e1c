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
    title: `Three 1-worker upstreams, ${a.balance}, 1 in 10 requests waits ${p.slow_ms} ms`,
    summary: 'Where do the fast requests wait?',
    topologies: { lb: { server: { model: 'prefork', workers: 1 }, upstreams: 3, proxy: { model: 'reverse-proxy', balance: a.balance } } },
    workloads: {
      skewed: {
        mix: [
          { weight: 9, io_ms: 10, label: 'fast' },
          { weight: 1, io_ms: p.slow_ms!, label: 'slow' },
        ],
      },
    },
    load: { connections: [3], warmup_s: 1, duration_s: 3 },
  }),
  // relative, not absolute: a loaded machine slows every fast request (a 10 ms request took 30–40 ms at load 16 on
  // 2 cores), which moves the median with the mean; only fast requests stuck behind slow ones pull the mean away.
  // Measured at load averages 15–17: least-conn 1.07–1.21, round-robin 2.5–3.2.
  checks: (p) => [
    {
      figure: 'mean_ms',
      kind: 'fast',
      over: { figure: 'p50_ms', kind: 'fast' },
      op: '<',
      threshold: 1.6,
      explain: `Fast requests' mean was {measured} × their median: some of them waited behind slow ones. Round-robin sends every third request to an upstream whatever it is doing, so fast ones queue behind ${p.slow_ms} ms slow ones. Least connections sends each request to the upstream with the fewest in progress.`,
    },
  ],
  reference: () => ({ balance: 'least-conn' as const }),
  wrong: () => ({ balance: 'round-robin' as const }),
})
