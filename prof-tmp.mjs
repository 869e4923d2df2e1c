import autocannon from 'autocannon'
import { fork } from 'node:child_process'
import { proxySchema, topologySchema } from './dist/lab/core/scenario.js'
import { reverseProxyConfig } from './dist/lab/engines/node-reverse-proxy.js'
import { startTopology } from './dist/lab/topology/topology.js'
const up = await startTopology('prof', topologySchema.parse({ server: { model: 'event-loop' } }), { stack: 'node' })
const port = Number(new URL(up.url).port)
const cfg = reverseProxyConfig(proxySchema.parse({}), [port])
const child = fork('./dist/lab/servers/reverse-proxy.js', [], { execArgv: ['--cpu-prof', '--cpu-prof-dir=/tmp/p3web-prof/out'], env: { ...process.env, LAB_PROXY_CONFIG: JSON.stringify(cfg) } })
const pport = await new Promise((r) => child.on('message', (m) => m.type === 'ready' && r(m.port)))
const r = await autocannon({ url: `http://127.0.0.1:${pport}/work?io_ms=0&cpu_ms=0&bytes=12`, connections: 10, duration: 8 })
console.log('req/s', r.requests.total / r.duration)
child.kill('SIGTERM'); await new Promise((r) => child.on('exit', r)); await up.stop()
