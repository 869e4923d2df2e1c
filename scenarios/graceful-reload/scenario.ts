import { defineScenario } from '../../lab/core/scenario.js'

export default defineScenario({
  name: 'graceful-reload',
  title: 'Deploying a new version under load: kill and restart vs a graceful reload (HUP)',
  summary: 'Mid-level the server is restarted (connections refused in the gap) or sent SIGHUP (new workers start, old ones finish their requests): errors and the latency spike.',
  topologies: {
    'kill-restart': { server: { model: 'prefork', workers: 4 }, deploy: { at_s: 1, how: 'restart' } },
    'hup-graceful': { server: { model: 'prefork', workers: 4 }, deploy: { at_s: 1, how: 'hup' } },
  },
  workloads: {
    'io-50ms': { io_ms: 50, cpu_ms: 0, bytes: 1024 },
  },
  load: { connections: [16], warmup_s: 1, duration_s: 5 },
  quick: { warmup_s: 0.3, duration_s: 2.5 },
  lesson: {
    metric: 'errors',
    compare: { topologies: ['kill-restart', 'hup-graceful'], workloads: ['io-50ms'] },
    sentence: 'A kill and restart refuses every connection in the gap; a graceful reload (HUP) keeps the listening socket open, so the deploy costs a latency spike and no errors.',
  },
})
