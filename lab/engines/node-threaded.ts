/**
 * The built-in threaded server (lab/servers/threaded.ts): a master and W
 * worker processes × T request slots ("threads") each, waits overlapping and
 * CPU work of one process running one request at a time, as CPython threads
 * do under the GIL. `--stack node`'s engine for `model: 'threaded'`.
 */
import { detectBuiltin, startBuiltinServer } from './builtin.js'
import type { ServerEngine } from './engine.js'

export const nodeThreaded: ServerEngine = {
  name: 'node-threaded',
  role: 'server',
  stack: 'node',
  source: { kind: 'built-in' },
  models: ['threaded'],
  serves: [],
  protocols: ['http'],
  detect: (opts) => detectBuiltin('node-threaded', 'threaded', opts),
  start: ({ server }, place) => startBuiltinServer('node-threaded', 'threaded', server, place),
}
