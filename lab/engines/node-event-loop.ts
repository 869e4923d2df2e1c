/**
 * The built-in event-loop server (lab/servers/event-loop.ts): one process,
 * one event loop interleaving every connection, modelled on Uvicorn.
 */
import { detectBuiltin, startBuiltinServer } from './builtin.js'
import type { ServerEngine } from './engine.js'

export const nodeEventLoop: ServerEngine = {
  name: 'node-event-loop',
  role: 'server',
  stack: 'node',
  source: { kind: 'built-in' },
  models: ['event-loop'],
  serves: [],
  protocols: ['http'],
  detect: (opts) => detectBuiltin('node-event-loop', 'event-loop', opts),
  start: ({ server }, place) => startBuiltinServer('node-event-loop', 'event-loop', server, place),
}
