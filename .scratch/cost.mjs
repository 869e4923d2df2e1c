import { startTopology } from '../dist/lab/topology/topology.js'
import { AutocannonDriver } from '../dist/lab/load/autocannon.js'
import { Sampler } from '../dist/lab/topology/sampler.js'
import { readFileSync } from 'node:fs'
const busy = () => { const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number); return { busy: f[0]+f[1]+f[2]+f[5]+f[6]+f[7], all: f.slice(0,8).reduce((a,b)=>a+b,0) } }
const model = process.argv[2], path = process.argv[3]
const workers = Number(process.argv[4] ?? 4)
for (const c of process.argv.slice(5).map(Number)) {
  const topo = await startTopology('x', { server: { model, workers, timeout_s: 30, backlog: 2048 } })
  const s = new Sampler(250); s.watch(topo.processes().map((p) => p.pid)); s.start()
  const m = await new AutocannonDriver().runLevel({ url: topo.url + path, connections: c, warmupS: 1, durationS: 3, maxWarmupS: 1 + c/1000 + 3, timeoutS: 30 })
  const b0 = busy(); await new Promise(r=>setTimeout(r,1)); 
  s.tick()
  const srv = topo.processes().reduce((a, p) => a + (s.usage(p.pid, m.windowStart, m.windowEnd)?.cpuPercent.mean ?? 0), 0)
  const cli = s.selfUsage(m.windowStart, m.windowEnd)?.cpuPercent.mean ?? 0
  const X = m.requests.perSecond.mean
  console.log(model, path, 'c', c, 'X', X.toFixed(0), 'srv%', srv.toFixed(0), 'cli%', cli.toFixed(0), 'srv ms', (srv*10/X).toFixed(4), 'cli ms', (cli*10/X).toFixed(4), 'lat', m.latencyMs.mean.toFixed(1))
  s.stop(); await topo.stop()
}
process.exit(0)
