import { startTopology } from '../dist/lab/topology/topology.js'
const t0 = performance.now()
const topo = await startTopology('x', { server: { model: 'prefork', workers: Number(process.argv[2]), timeout_s: 30, backlog: 2048 } }, { readyTimeoutMs: 120000 })
console.log('ready after', ((performance.now() - t0) / 1000).toFixed(1), 's with', topo.processes().length, 'processes')
const t1 = performance.now()
await topo.stop()
console.log('stopped after', ((performance.now() - t1) / 1000).toFixed(1), 's')
process.exit(0)
