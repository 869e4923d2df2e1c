/**
 * Open-file limits for big connection ladders (issue 11, "Scale"). Every
 * connection takes a file descriptor in the lab (the load generator) and one
 * in the server process that holds it, so 10,000 connections need the soft
 * `RLIMIT_NOFILE` of both above 10,000.
 *
 * Node raises its own soft limit to the hard limit when it starts
 * (src/node.cc, `PlatformInit`: "Raise the open file descriptor limit"), and
 * every server the lab starts inherits the raised limit; so what can fall
 * short is the hard limit, which only root (or /etc/security/limits.conf, or
 * systemd's `LimitNOFILE=`) raises. The run checks it before anything starts
 * and says exactly what to raise.
 */
import { readFileSync } from 'node:fs'

/** Descriptors a process needs besides its connections: listening sockets, pipes, log files, libuv's own (a margin). */
export const NOFILE_MARGIN = 256

/** The soft and hard limits on open files of a process. */
export interface NofileLimits {
  soft: number
  hard: number
}

/**
 * Parses the `Max open files` line of `/proc/<pid>/limits` (proc(5)); `unlimited` reads as Infinity.
 * @returns undefined when the line is missing
 */
export function parseNofile(limitsText: string): NofileLimits | undefined {
  const m = /^Max open files\s+(\S+)\s+(\S+)/m.exec(limitsText)
  if (!m) return undefined
  const n = (s: string) => (s === 'unlimited' ? Infinity : Number(s))
  return { soft: n(m[1] as string), hard: n(m[2] as string) }
}

/** This process's open-file limits, or undefined where /proc is not there. */
export function nofileLimits(): NofileLimits | undefined {
  try {
    return parseNofile(readFileSync('/proc/self/limits', 'utf8'))
  } catch {
    return undefined
  }
}

/**
 * What stops a level of `connections` connections from opening them all, or
 * undefined when the limits suffice (or cannot be read).
 * @returns one sentence naming the limit, the figure needed and how to raise it
 */
export function nofileProblem(connections: number, limits: NofileLimits | undefined): string | undefined {
  if (!limits) return undefined
  const needed = connections + NOFILE_MARGIN
  if (limits.soft >= needed) return undefined
  if (limits.hard >= needed) {
    return (
      `${connections} connections need ${needed} open files, and the soft limit (ulimit -Sn) is ${limits.soft}: ` +
      `run \`ulimit -Sn ${limits.hard}\` in this shell first (the hard limit allows ${limits.hard})`
    )
  }
  return (
    `${connections} connections need ${needed} open files in the lab and in the server, and the hard limit (ulimit -Hn) is ${limits.hard}: ` +
    `raise it as root, e.g. \`<user> hard nofile ${Math.max(needed, 65536)}\` in /etc/security/limits.conf (a new login applies it), ` +
    `or LimitNOFILE=${Math.max(needed, 65536)} for a systemd service; then run \`ulimit -Sn ${Math.max(needed, 65536)}\``
  )
}
