import { defineScenario } from '../../lab/core/scenario.js'

export default defineScenario({
  name: 'prefork-vs-async',
  title: 'Sync pre-fork workers vs one async event loop',
  summary: 'Why four blocking workers cap at 80 req/s while one event loop does not.',
  topologies: {
    prefork: { server: { model: 'prefork', workers: 4 } },
    async: { server: { model: 'event-loop' } },
  },
  workloads: {
    'io-bound': { io_ms: 50, cpu_ms: 0, bytes: 1024 },
    'cpu-bound': { io_ms: 0, cpu_ms: 10, bytes: 1024 },
  },
  // 2 topologies × 2 workloads × 3 levels × (1 + 3) s ≈ 48 s
  load: { connections: [1, 16, 128], warmup_s: 1, duration_s: 3, repeat: 1 },
  // one level per topology and workload, at least 2 whole seconds each so σ rests on ≥ 2
  // samples (lab/core/window.ts); prefork io-bound @32 waits 400 ms per request, and 5
  // latencies with headroom take 2.5 s, so it gets 3. 4 levels × (0.3 + 2..3) s ≈ 11 s of
  // load, under 20 s with starting and stopping. The warm-up also lasts until every
  // connection has an answer.
  quick: { connections: [32], warmup_s: 0.25, duration_s: 2 },
  lesson: {
    metric: 'answered',
    compare: { topologies: ['async', 'prefork'], workloads: ['io-bound'] },
    sentence: 'On 50 ms waits one event loop overlaps every wait, while 4 blocking workers cap at 4 / 50 ms = 80 req/s.',
  },
})
