import { defineScenario } from '../../lab/core/scenario.js'

export default defineScenario({
  name: 'websockets',
  title: 'WebSockets: one event loop holds hundreds of open sockets; a pre-fork WSGI server cannot upgrade',
  summary: 'A broadcast room on the event loop (ws / Uvicorn) against the pre-fork server, which answers the upgrade as a plain GET.',
  topologies: {
    'event-loop': { server: { model: 'event-loop' } },
    prefork: { server: { model: 'prefork', workers: 2 } },
  },
  workloads: {
    // 500 sockets in rooms of 5, each sending every 5 s: 100 messages/s, 500 deliveries/s,
    // beside a light HTTP load of hello requests (the clients share the lab's process with the load generator)
    room: { io_ms: 0, cpu_ms: 0, bytes: 64, websockets: { clients: 500, room_size: 5, interval_ms: 5000 } },
  },
  // 2 topologies × 1 workload × 1 level × (2 + 5) s ≈ 14 s, plus 2 starts
  load: { connections: [4], warmup_s: 2, duration_s: 5, repeat: 1 },
  // 2 × 1 × 1 × (3 + 2) s ≈ 10 s, plus 2 starts
  quick: { warmup_s: 3, duration_s: 2 },
  lesson: {
    metric: 'deliveries',
    compare: { topologies: ['event-loop', 'prefork'], workloads: ['room'] },
    sentence: 'One event loop holds all 500 sockets and relays every message; the pre-fork WSGI server answers the upgrade as a plain GET and delivers nothing.',
  },
})
