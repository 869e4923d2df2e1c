import autocannon from 'autocannon'
import net from 'node:net'
const n = Number(process.argv[2])
const server = net.createServer((s) => { s.on('data', () => {}) }).listen(0, '127.0.0.1')
await new Promise((r) => server.on('listening', r))
const t0 = performance.now()
const inst = autocannon({ url: `http://127.0.0.1:${server.address().port}/`, connections: n, duration: 3, timeout: 20 })
const t1 = performance.now()
let lagMax = 0, last = performance.now()
const iv = setInterval(() => { const now = performance.now(); lagMax = Math.max(lagMax, now - last - 10); last = now }, 10)
setTimeout(() => { console.log(n, 'autocannon() returned after', (t1 - t0).toFixed(0), 'ms; max event-loop lag in first 2 s', lagMax.toFixed(0), 'ms'); inst.stop(); clearInterval(iv); server.close(); process.exit(0) }, 2000)
