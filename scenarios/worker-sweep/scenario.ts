import { defineScenario } from '../../lab/core/scenario.js'

export default defineScenario({
  name: 'worker-sweep',
  title: 'How many sync workers? A sweep from 1 to 16',
  summary: 'Throughput climbs as W/S until the cores run out: the knee is at cores × (1 + wait/cpu).',
  topologies: {
    w1: { server: { model: 'prefork', workers: 1 } },
    w2: { server: { model: 'prefork', workers: 2 } },
    w4: { server: { model: 'prefork', workers: 4 } },
    w8: { server: { model: 'prefork', workers: 8 } },
    w16: { server: { model: 'prefork', workers: 16 } },
  },
  workloads: {
    'cpu-10-wait-40': { io_ms: 40, cpu_ms: 10, bytes: 1024 },
  },
  load: { connections: [64], warmup_s: 1, duration_s: 4 },
  // 16 connections: W = 1 then waits 0.8 s per request (5 latencies with headroom: 5 s), and the
  // knee still shows (W = 8: 160 req/s, W = 16: the cores' 200); about 25 s for the five pools
  quick: { connections: [16], warmup_s: 0.25, duration_s: 2 },
  lesson: {
    metric: 'answered',
    compare: { topologies: ['w4', 'w8', 'w16'], workloads: ['cpu-10-wait-40'] },
    sentence: 'Throughput climbs by 20 req/s per worker until the two cores are busy, then flattens: past the knee (cores x (1 + wait / cpu) = 10 workers) more workers add memory, not req/s.',
  },
})
