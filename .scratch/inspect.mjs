import { readFileSync, readdirSync, statSync } from 'node:fs'
const dir = process.argv[2]
const f = readdirSync(dir).filter((x) => x.endsWith('.json')).map((x) => dir + '/' + x).sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[Number(process.argv[3] ?? 0)]
const d = JSON.parse(readFileSync(f, 'utf8'))
for (const c of d.calibration ?? []) console.log('cal', c.engine, c.settings, 'srv', c.serverMsPerRequest.toFixed(3), 'cli', c.clientMsPerRequest.toFixed(3), c.source, c.level.perSecond.toFixed(0))
for (const r of d.runs) {
  const srv = r.processes.reduce((a, p) => a + p.cpuPercent.mean, 0), X = r.requests.answeredPerSecond?.mean ?? r.requests.perSecond.mean
  console.log(r.topology, r.workload, r.connections, 'X', X.toFixed(1), '±', (r.requests.answeredPerSecond?.stddev ?? 0).toFixed(1), 'n', r.requests.perSecond.n, 'srv%', srv.toFixed(0), 'cli%', r.loadGenerator.cpuPercent.mean.toFixed(0), 'other%', r.otherCpuPercent?.toFixed(0), 'srv ms', (srv * 10 / X).toFixed(3), 'cli ms', (r.loadGenerator.cpuPercent.mean * 10 / X).toFixed(3), 'pred', r.prediction?.perSecond.toFixed(1), 'tb', r.prediction?.textbook?.perSecond.toFixed(1), 'ratio', (X / r.prediction?.perSecond).toFixed(2), 'win', r.window?.measuredS, r.window?.verdict, 'warm', r.window?.warmupS.toFixed(1), 'err', r.errors.total)
}
