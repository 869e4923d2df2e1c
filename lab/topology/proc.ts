/**
 * Process-tree queries on Linux's /proc, for engines the lab does not control
 * from inside (Gunicorn's arbiter forks its own workers; nginx's master forks
 * its own): who are a master's children now, which processes are left in a
 * process group. Read live on every call, so a respawned worker shows up at once.
 *
 * Sources: proc(5) (`/proc/<pid>/stat` fields 4 `ppid`, 5 `pgrp`, 3 `state`;
 * `/proc/<pid>/task/<tid>/children`, present only with CONFIG_PROC_CHILDREN).
 * On systems without /proc every query returns an empty list.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { procPath, procRoot } from './procfs.js'

/** The fields of `/proc/<pid>/stat` the lab needs. */
export interface ProcStat {
  pid: number
  /** Command name (at most 15 characters), e.g. `gunicorn`, `nginx`. */
  comm: string
  /** One letter: R running, S sleeping, D disk wait, Z zombie, T stopped, ... */
  state: string
  ppid: number
  pgrp: number
}

/** Reads `/proc/<pid>/stat`; undefined when the process is gone. */
export function procStat(pid: number): ProcStat | undefined {
  let raw: string
  try {
    raw = readFileSync(procPath(pid, 'stat'), 'latin1')
  } catch {
    return undefined
  }
  // The command name is in parentheses and may hold spaces and parentheses itself.
  const open = raw.indexOf('(')
  const close = raw.lastIndexOf(')')
  const rest = raw.slice(close + 2).split(' ')
  return {
    pid,
    comm: raw.slice(open + 1, close),
    state: rest[0] ?? '?',
    ppid: Number(rest[1]),
    pgrp: Number(rest[2]),
  }
}

function allPids(): number[] {
  try {
    return readdirSync(procRoot())
      .filter((name) => /^\d+$/.test(name))
      .map(Number)
  } catch {
    return []
  }
}

/** Whether `pid` is a live process (a zombie, which holds no port and burns no CPU, counts as gone). */
export function isAlive(pid: number): boolean {
  const s = procStat(pid)
  return s !== undefined && s.state !== 'Z' && s.state !== 'X'
}

/**
 * The live children of `pid`, ascending. Uses `/proc/<pid>/task/<tid>/children`
 * when the kernel has it, otherwise scans every `/proc/<n>/stat` for `ppid`
 * (a few hundred small reads; fine at the sampler's 4 calls a second).
 */
export function childrenOf(pid: number): number[] {
  const found = new Set<number>()
  let supported = false
  try {
    for (const tid of readdirSync(procPath(pid, 'task'))) {
      try {
        const text = readFileSync(procPath(pid, 'task', tid, 'children'), 'latin1')
        supported = true
        for (const c of text.trim().split(/\s+/)) if (c) found.add(Number(c))
      } catch {
        // no CONFIG_PROC_CHILDREN, or the thread is gone
      }
    }
  } catch {
    return [] // the parent is gone
  }
  if (!supported) {
    for (const n of allPids()) if (procStat(n)?.ppid === pid) found.add(n)
  }
  return [...found].filter(isAlive).sort((a, b) => a - b)
}

/** The live members of process group `pgid` (empty once teardown is complete). */
export function groupMembers(pgid: number): number[] {
  return allPids().filter((n) => {
    const s = procStat(n)
    return s !== undefined && s.pgrp === pgid && s.state !== 'Z' && s.state !== 'X'
  })
}
