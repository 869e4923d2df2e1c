import { startTopology } from '../dist/lab/topology/topology.js'
import { AutocannonDriver } from '../dist/lab/load/autocannon.js'
const backlog = Number(process.argv[2]), timeoutS = Number(process.argv[3] ?? 10)
const topo = await startTopology('x', { server: { model: 'event-loop', workers: 1, timeout_s: 30, backlog } })
const m = await new AutocannonDriver().runLevel({ url: topo.url + '/work?io_ms=50&cpu_ms=0&bytes=1024', connections: 10000, warmupS: 0.25, durationS: 4, maxWarmupS: 30, timeoutS })
console.log('backlog', backlog, 'timeout', timeoutS, 'warm', m.window.warmupS.toFixed(1), 'capped', m.window.definition.includes('cap'), 'X', m.requests.perSecond.mean.toFixed(0), '±', m.requests.perSecond.stddev.toFixed(0), 'errors', m.errors.total, 'lat', m.latencyMs.mean.toFixed(0), 'tl', m.timeline.map(p=>p.perSecond).join(','))
await topo.stop(); process.exit(0)
