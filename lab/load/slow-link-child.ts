/**
 * The slow clients' own process, started inside the run's network namespace
 * (`ip netns exec lab-<pid>-<n> node slow-link-child.js '<options>'`) by
 * lab/load/slow-link.ts, so their sockets leave through the rate-limited
 * veth link instead of loopback. Protocol on stdio, one JSON line each:
 * `{"type":"ready"}` once every client has sent its first bytes, and
 * `{"type":"result",...}` after a `stop` line on stdin (or stdin's end: the
 * lab is gone), then it exits. It never outlives `maxS` + 5 s.
 */
import { startSlowClients, type SlowClientsOptions, type SlowClientsResult } from './slow-clients.js'

const opts = JSON.parse(process.argv[2] ?? '{}') as SlowClientsOptions
const clients = await startSlowClients(opts)
process.stdout.write(`${JSON.stringify({ type: 'ready' })}\n`)

let done = false
const finish = (): void => {
  if (done) return
  done = true
  const result: SlowClientsResult = clients.stop()
  process.stdout.write(`${JSON.stringify({ type: 'result', result })}\n`, () => process.exit(0))
}
process.stdin.on('data', (d: Buffer) => d.toString().includes('stop') && finish())
process.stdin.on('end', finish)
process.on('SIGTERM', finish)
setTimeout(finish, (opts.maxS + 5) * 1000).unref()
