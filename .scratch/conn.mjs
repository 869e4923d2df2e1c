import { startTopology } from '/work/wt/numbers2/dist/lab/topology/topology.js'
import autocannon from 'autocannon'
const n = Number(process.argv[2])
const backlog = Number(process.argv[3] ?? 2048)
const topo = await startTopology('x', { server: { model: 'event-loop', workers: 1, timeout_s: 30, backlog } })
const t0 = performance.now()
let first = 0, count = 0
const inst = autocannon({ url: topo.url + '/work?io_ms=50&cpu_ms=0&bytes=1024', connections: n, duration: 6, timeout: 20 })
const seconds = []
inst.on('response', () => { count++; const s = Math.floor((performance.now()-t0)/1000); seconds[s] = (seconds[s]??0)+1; if (!first) first = performance.now() - t0 })
const r = await inst
console.log(n, 'backlog', backlog, 'first response at', first.toFixed(0), 'ms; per second', seconds.join(','), 'errors', r.errors, 'timeouts', r.timeouts)
await topo.stop()
process.exit(0)
