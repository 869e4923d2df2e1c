/**
 * The machine a run was measured on (`env` in the results).
 */
import { readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Env } from '../core/results.js'
import { ROOT } from '../topology/paths.js'
import { unavailablePanels } from '../topology/procfs.js'

/** The lab's version from package.json. */
export const LAB_VERSION: string = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version

function osName(): string {
  try {
    const m = /^PRETTY_NAME="?([^"\n]+)"?/m.exec(readFileSync('/etc/os-release', 'utf8'))
    if (m?.[1]) return m[1]
  } catch {
    // not Linux, or no os-release
  }
  return `${os.type()} ${os.release()}`
}

/** Describes this machine; `engines` maps engine names to versions. */
export function collectEnv(engines: Record<string, string>): Env {
  const unavailable = unavailablePanels()
  return {
    os: osName(),
    kernel: os.release(),
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    cores: os.availableParallelism(),
    memoryBytes: os.totalmem(),
    node: process.version,
    lab: LAB_VERSION,
    engines,
    hostname: os.hostname(),
    ...(unavailable.length ? { unavailable } : {}),
  }
}
