import { defineScenario } from '../../lab/core/scenario.js'

export default defineScenario({
  name: 'keep-alive',
  title: 'Keep-alive vs a new connection per request',
  summary: 'Closing after every response costs a TCP handshake per request and leaves sockets in TIME_WAIT.',
  topologies: {
    'keep-alive': { server: { model: 'event-loop', keepAlive: true } },
    close: { server: { model: 'event-loop', keepAlive: false } },
  },
  workloads: {
    'cpu-5ms': { io_ms: 0, cpu_ms: 5, bytes: 1024 },
    hello: { io_ms: 0, cpu_ms: 0, bytes: 1024 },
  },
  load: { connections: [16], warmup_s: 1, duration_s: 3 },
  quick: { warmup_s: 0.5, duration_s: 2 },
  lesson: {
    metric: 'answered',
    compare: { topologies: ['keep-alive', 'close'], workloads: ['hello'] },
    sentence: 'A new connection per request costs a handshake, an accept and a close on both sides; with no work per request that cost sets the pace, and keep-alive answers more req/s.',
  },
})
