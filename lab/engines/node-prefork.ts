/**
 * The built-in pre-fork server (lab/servers/prefork.ts): a master and W
 * worker processes, each serving one connection at a time, modelled on
 * Gunicorn's sync worker. The only engine that reports what each worker is
 * doing (`status()`).
 */
import { detectBuiltin, startBuiltinServer } from './builtin.js'
import type { ServerEngine } from './engine.js'

export const nodePrefork: ServerEngine = {
  name: 'node-prefork',
  role: 'server',
  stack: 'node',
  source: { kind: 'built-in' },
  models: ['prefork'],
  serves: [],
  protocols: ['http'],
  detect: (opts) => detectBuiltin('node-prefork', 'prefork', opts),
  start: ({ server }, place) => startBuiltinServer('node-prefork', 'prefork', server, place),
}
