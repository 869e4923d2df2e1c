import { startTopology } from '../dist/lab/topology/topology.js'
import { AutocannonDriver } from '../dist/lab/load/autocannon.js'
import { readFileSync } from 'node:fs'
const fields = () => readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number)
const topo = await startTopology('x', { server: { model: 'event-loop', workers: 1, timeout_s: 30, backlog: 2048 } })
const a = fields(); const t0 = performance.now(); const cu0 = process.cpuUsage()
const pid = topo.processes()[0].pid
const st = () => { const f = readFileSync(`/proc/${pid}/stat`, 'latin1'); const x = f.slice(f.lastIndexOf(')') + 2).split(' '); return (Number(x[11]) + Number(x[12])) * 10 }
const s0 = st()
await new AutocannonDriver().runLevel({ url: topo.url + process.argv[2], connections: 64, warmupS: 0.5, durationS: 3, timeoutS: 10 })
const b = fields(); const el = performance.now() - t0; const cu = process.cpuUsage(cu0); const s1 = st()
const names = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal']
console.log(names.map((n, i) => `${n} ${(((b[i] - a[i]) * 10) / el * 100).toFixed(0)}%`).join(' '), '| lab', ((cu.user + cu.system) / 1000 / el * 100).toFixed(0) + '%', 'server', ((s1 - s0) / el * 100).toFixed(0) + '%')
await topo.stop(); process.exit(0)
