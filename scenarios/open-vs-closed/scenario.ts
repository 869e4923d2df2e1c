import { defineScenario } from '../../lab/core/scenario.js'

export default defineScenario({
  name: 'open-vs-closed',
  title: 'Open loop vs closed loop: the same pre-fork pool under two kinds of load',
  summary: 'Connections that wait for their answers flatter a server; visitors arriving on their own schedule find its cliff at 80 req/s.',
  topologies: {
    // the closed half: `load.connections` below
    closed: { server: { model: 'prefork', workers: 4 } },
    // the open half: the same server, its own load fields over the scenario's (docs/scenario-format.md, "Open loop")
    open: {
      server: { model: 'prefork', workers: 4 },
      load: { mode: 'open', rates: [20, 40, 60, 72, 80, 88, 96, 100], arrival: 'poisson', max_connections: 32 },
      quick: { rates: [40, 72, 96] },
    },
  },
  workloads: {
    'io-50ms': { io_ms: 50, cpu_ms: 0, bytes: 1024 },
  },
  // closed: 5 levels, open: 8 levels, each (1 + 3) s plus the open loop's drain ≈ 60 s
  load: { connections: [4, 16, 64, 128, 256], warmup_s: 1, duration_s: 3, repeat: 1 },
  // closed 2 + open 3 levels × (0.5 + 2) s ≈ 15 s of load
  quick: { connections: [8, 64], warmup_s: 0.5, duration_s: 2 },
  lesson: {
    metric: 'dropped',
    compare: { topologies: ['closed', 'open'] },
    sentence: 'A closed loop slows down to the server\'s pace and never piles up past its connections; visitors arriving on their own past 80 req/s queue up and are dropped.',
  },
})
