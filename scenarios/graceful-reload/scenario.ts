import { defineScenario } from '../../lab/core/scenario.js'

export default defineScenario({
  name: 'graceful-reload',
  title: 'Deploying a new version under load: kill and restart vs a graceful reload (HUP), a binary upgrade (USR2) and an nginx reload',
  summary: 'Mid-level the server is restarted (connections refused in the gap), sent SIGHUP (new workers start, old ones finish their requests), upgraded with USR2 (a new Gunicorn master beside the old, then TERM to the old), or the nginx in front is reloaded: errors and the latency spike.',
  topologies: {
    'kill-restart': { server: { model: 'prefork', workers: 4 }, deploy: { at_s: 1, how: 'restart' } },
    'hup-graceful': { server: { model: 'prefork', workers: 4 }, deploy: { at_s: 1, how: 'hup' } },
    // Gunicorn on both stacks: the built-in master has no binary upgrade
    'usr2-upgrade': { server: { model: 'prefork', engine: 'gunicorn', workers: 4 }, deploy: { at_s: 1, how: 'usr2' } },
    // nginx on both stacks: SIGHUP to its master, what `nginx -s reload` sends
    'nginx-reload': { server: { model: 'prefork', workers: 4 }, proxy: { model: 'reverse-proxy', engine: 'nginx' }, deploy: { at_s: 1, how: 'proxy-reload' } },
  },
  workloads: {
    'io-50ms': { io_ms: 50, cpu_ms: 0, bytes: 1024 },
  },
  load: { connections: [16], warmup_s: 1, duration_s: 5 },
  // the two that make the lesson fit 30 s; the full run adds usr2-upgrade and nginx-reload
  quick: { warmup_s: 0.3, duration_s: 2.5, topologies: ['kill-restart', 'hup-graceful'] },
  lesson: {
    metric: 'errors',
    compare: { topologies: ['kill-restart', 'hup-graceful'], workloads: ['io-50ms'] },
    sentence: 'A kill and restart refuses every connection in the gap; a graceful reload (HUP) keeps the listening socket open, so the deploy costs a latency spike and no errors.',
  },
})
