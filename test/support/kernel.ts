/**
 * What the kernel can hold between two processes on loopback, for tests whose
 * point is that a writer stays blocked (a sync worker behind an unbuffered
 * proxy): the answer must be larger than every buffer on its way, or the
 * kernel takes it all and the writer is free at once (a flaky test on a
 * machine with large limits).
 */
import { readFileSync } from 'node:fs'

/**
 * The autotuning maximum of a TCP buffer, bytes: the third field of
 * `/proc/sys/net/ipv4/tcp_rmem` or `tcp_wmem` (Linux, Documentation/networking/ip-sysctl.rst).
 * @throws Error when the file is missing or malformed (not Linux)
 */
export function tcpBufferMax(which: 'rmem' | 'wmem', read: (file: string) => string = (f) => readFileSync(f, 'utf8')): number {
  const file = `/proc/sys/net/ipv4/tcp_${which}`
  const max = Number(read(file).trim().split(/\s+/)[2])
  if (!Number.isInteger(max) || max <= 0) throw new Error(`${file}: expected three byte counts (min default max)`)
  return max
}

/**
 * Bytes that `hops` loopback TCP connections in a row can hold once the last
 * reader stops reading: per hop, the sender's send buffer and the receiver's
 * receive buffer, each at its autotuning maximum.
 * Example: tcp_wmem max 4 MiB, tcp_rmem max 32 MiB, 2 hops → 72 MiB.
 */
export function socketBufferBytes(hops: number, read?: (file: string) => string): number {
  return hops * (tcpBufferMax('wmem', read) + tcpBufferMax('rmem', read))
}
