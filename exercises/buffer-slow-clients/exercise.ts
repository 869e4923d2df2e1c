import { z } from 'zod'
import { defineExercise } from '../../lab/core/exercise.js'

/** The location block handed out: `extra` holds the directives under test. */
const location = (extra: string) => `# The location block(s) of nginx's server { }, nginx 1.22; the lab includes this
# file in its generated nginx.conf and checks it with \`nginx -t\` before running.
# Requests reach the Gunicorn workers through the upstream group "app".
# Directives: https://nginx.org/en/docs/http/ngx_http_proxy_module.html
location / {
    proxy_pass http://app;
${extra}}
`

export default defineExercise({
  name: 'buffer-slow-clients',
  title: 'Protect sync workers from slow clients',
  summary: "Slow uploads hold every Gunicorn sync worker; write nginx's location block in front so normal requests are still served.",
  lesson: 'proxy-buffering',
  stack: 'python',
  params: { workers: { min: 2, max: 4, default: 3 } },
  answer: z.strictObject({}),
  template: () => ({ file: 'answer.json', answer: {} }),
  files: {
    'location.conf': {
      kind: 'nginx-location',
      // handed out streaming both ways, the setting a "low-latency" blog post recommends
      template: () => location('    proxy_request_buffering off;\n    proxy_buffering off;\n'),
      reference: () => location('    proxy_request_buffering on;   # nginx reads the whole body first (the default)\n'),
      wrong: () => location('    proxy_request_buffering off;\n'),
    },
  },
  scenario: (p) => ({
    name: 'exercise-buffer-slow-clients',
    title: `nginx with your location block before ${p.workers} Gunicorn sync workers, ${p.workers} slow uploads`,
    summary: 'Are normal requests still served while slow clients upload a byte a second?',
    topologies: {
      server: {
        server: { model: 'prefork', engine: 'gunicorn', workers: p.workers! },
        proxy: { engine: 'nginx', location_file: 'location.conf' },
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
      explain: `Normal requests got {measured} req/s: ${p.workers} slow uploads each hold a sync worker while their body trickles in, so all ${p.workers} are busy reading. A proxy that reads the whole request first (nginx's proxy_request_buffering, on by default) hands the worker only complete requests.`,
    },
  ],
  reference: () => ({}),
  wrong: () => ({}),
})
