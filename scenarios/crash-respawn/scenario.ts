import { defineScenario } from '../../lab/core/scenario.js'

export default defineScenario({
  name: 'crash-respawn',
  title: 'Workers that crash: the master respawns them',
  summary: 'A worker dies on a fraction of requests; clients see resets, the master boots a new worker each time.',
  topologies: {
    prefork: { server: { model: 'prefork', workers: 4 } },
  },
  workloads: {
    'crash-2pct': { io_ms: 50, cpu_ms: 0, bytes: 1024, crash_pct: 2 },
    'crash-10pct': { io_ms: 50, cpu_ms: 0, bytes: 1024, crash_pct: 10 },
  },
  load: { connections: [16], warmup_s: 1, duration_s: 5 },
  // the windows are sized for 20 expected crashes (lab/core/window.ts): at 2 % of ~78 attempts/s
  // that takes 13 s (16 s with headroom), at 10 % of ~73, 3 s (4 s)
  quick: { warmup_s: 0.25, duration_s: 2 },
  lesson: {
    metric: 'answered',
    compare: { workloads: ['crash-2pct', 'crash-10pct'] },
    sentence: 'Each crash costs the request it killed and a boot time of an empty worker slot, so answered req/s falls as crashes grow: about 77 at 2 %, 65 at 10 % with a 100 ms boot.',
  },
})
