/**
 * A bare node:http "hello world" server: the yardstick the benchmarks compare
 * the lab's own server and load driver against. Reports its port over IPC.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'

const hello = Buffer.from('hello world\n')
const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': hello.length })
  res.end(hello)
})
server.listen({ port: 0, host: '127.0.0.1' }, () => {
  process.send?.({ type: 'ready', port: (server.address() as AddressInfo).port })
})
process.on('disconnect', () => process.exit(0))
process.on('SIGTERM', () => process.exit(0))
