import { z } from 'zod'
import { defineExercise } from '../../lab/core/exercise.js'

export default defineExercise({
  name: 'timeout-hung-requests',
  title: 'Set the worker timeout: cut hung requests, keep the slow legitimate ones',
  summary: 'Some requests hang for ever, a few legitimately take seconds; choose timeout_s so the hung ones are cut and the slow ones finish.',
  lesson: 'worker-timeout',
  stack: 'node',
  params: { slow_ms: { min: 1200, max: 2000, step: 200, default: 1600 } },
  answer: z.strictObject({ timeout_s: z.number().min(1).max(60) }),
  template: () => ({ file: 'answer.json', answer: { timeout_s: 30 } }),
  scenario: (p, a) => ({
    name: 'exercise-timeout-hung-requests',
    title: `4 sync workers, timeout ${a.timeout_s} s; some requests hang, 1 in 20 takes ${p.slow_ms} ms`,
    summary: 'Are hung requests cut without killing the slow ones?',
    topologies: { prefork: { server: { model: 'prefork', workers: 4, timeout_s: a.timeout_s } } },
    workloads: {
      mixed: {
        hang_pct: 2,
        mix: [
          { weight: 19, io_ms: 10, label: 'fast' },
          { weight: 1, io_ms: p.slow_ms!, label: 'slow' },
        ],
      },
    },
    load: { connections: [16], warmup_s: 1, duration_s: 5 },
  }),
  checks: (p) => [
    {
      figure: 'answered_rps',
      op: '>=',
      threshold: 4,
      explain: `Only {measured} req/s were answered: a hung request holds its worker until the master kills it after timeout_s, so a long timeout leaves the 4 workers stuck. Bring the timeout down towards the slowest legitimate request (${p.slow_ms} ms).`,
    },
    {
      figure: 'mean_ms',
      kind: 'slow',
      op: '>=',
      threshold: p.slow_ms!,
      explain: `The legitimate ${p.slow_ms} ms requests were not answered (measured {measured}): the master killed their workers at timeout_s before they finished. The timeout must stay above the slowest legitimate request.`,
    },
  ],
  reference: (p) => ({ timeout_s: Math.ceil(p.slow_ms! / 1000) + 1 }),
  wrong: () => ({ timeout_s: 1 }),
})
