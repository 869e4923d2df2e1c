/**
 * Counts TCP sockets in TIME_WAIT on a port, from /proc/net/tcp and
 * /proc/net/tcp6 (proc(5)): the side that closes a connection first keeps it
 * in TIME_WAIT for 60 s on Linux, so a server that closes after every
 * response piles them up (docs/add-a-scenario.md, "Phenomena": keep-alive).
 */
import { readFileSync } from 'node:fs'
import { procPath } from './procfs.js'

const TIME_WAIT = '06'

/** Sockets in TIME_WAIT whose local or remote port is `port`; undefined where /proc is not readable (no count, not zero). */
export function countTimeWait(port: number): number | undefined {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0')
  let count = 0
  let read = false
  for (const file of [procPath('net', 'tcp'), procPath('net', 'tcp6')]) {
    let text: string
    try {
      text = readFileSync(file, 'latin1')
    } catch {
      continue
    }
    read = true
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/)
      if (f[3] !== TIME_WAIT) continue
      if (f[1]?.endsWith(`:${hexPort}`) || f[2]?.endsWith(`:${hexPort}`)) count++
    }
  }
  return read ? count : undefined
}
