/**
 * Where the lab reads /proc, and which of its panels this system can fill
 * (lab/core/platform.ts). The root is `/proc`, or `LAB_PROC_ROOT` when set
 * (tests point it at a missing folder to stand for a system without /proc).
 * On any platform but Linux every panel is unavailable: macOS and Windows
 * have no /proc (proc(5) is Linux's).
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import type { ProcPanel } from '../core/platform.js'

/** The /proc folder the samplers read: `$LAB_PROC_ROOT`, else `/proc`. */
export function procRoot(): string {
  return process.env.LAB_PROC_ROOT || '/proc'
}

/** A path under the /proc root, e.g. `procPath(pid, 'stat')` → `/proc/<pid>/stat`. */
export function procPath(...parts: Array<string | number>): string {
  return path.join(procRoot(), ...parts.map(String))
}

/**
 * The panels this system cannot fill: checked on the lab's own process
 * (`self/stat`, `self/status`) and the socket tables (`net/tcp`).
 * @param root - the /proc folder (default {@link procRoot})
 * @param platform - the OS (default `process.platform`)
 * @returns the unavailable panels, in {@link PROC_PANELS} order; empty on a normal Linux
 */
export function unavailablePanels(root: string = procRoot(), platform: NodeJS.Platform = process.platform): ProcPanel[] {
  const has = (...p: string[]) => platform === 'linux' && existsSync(path.join(root, ...p))
  const out: ProcPanel[] = []
  if (!has('self', 'stat')) out.push('cpu')
  if (!has('self', 'status')) out.push('memory')
  if (!has('self', 'stat')) out.push('processes')
  if (!has('net', 'tcp')) out.push('time-wait')
  return out
}
