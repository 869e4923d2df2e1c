/**
 * The calibration cache (lab/run/calibrate.ts): one JSON file in the user's
 * cache folder holding each engine's CPU cost per response on this machine,
 * so a calibration of a few seconds is made once per machine, engine,
 * version and settings, not once per run.
 *
 * Folder: `$LAB_CACHE_DIR` (tests), else `$XDG_CACHE_HOME/app-server-lab`,
 * else `~/.cache/app-server-lab` (XDG Base Directory Specification 0.8,
 * "$XDG_CACHE_HOME defines the base directory relative to which user-specific
 * non-essential data files should be stored ... a default equal to
 * $HOME/.cache should be used"). File: `calibration.json`, written
 * atomically (temp file + rename).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { z } from 'zod'
import { calibrationSchema, type CalibrationRecord } from '../core/results.js'

/** The cache file's format version; a file of another version is ignored (and replaced on the next write). */
// 2: server calibrations carry `latency` (format 1 files are measured again)
// 3: windows hold 10 responses per connection (lab/run/calibrate.ts `calibrationWindowS`): older event-loop figures at 10,000 connections read high
const FORMAT = 3

const cacheFileSchema = z.object({
  format: z.literal(FORMAT),
  /** Calibrations by key (see {@link calibrationKey}); `source` is not stored. */
  entries: z.record(z.string(), calibrationSchema.omit({ source: true })),
})
type CacheFile = z.infer<typeof cacheFileSchema>

/** The cache folder (see the file's header). */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LAB_CACHE_DIR) return env.LAB_CACHE_DIR
  const base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache')
  return path.join(base, 'app-server-lab')
}

/** The cache file. */
export function cacheFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(cacheDir(env), 'calibration.json')
}

/**
 * What a calibration is valid for: the machine (host, CPU model, cores), the
 * engine, its version, and the settings that change its cost per response
 * (e.g. `workers=64`: idle pre-fork workers all wake on each new connection).
 */
export interface CalibrationKey {
  machine: string
  engine: string
  version: string
  settings: string
}

/** The key as stored: `machine | engine | version | settings`. */
export function calibrationKey(k: CalibrationKey): string {
  return [k.machine, k.engine, k.version, k.settings].join(' | ')
}

function readCache(file: string): CacheFile {
  try {
    const parsed = cacheFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')))
    if (parsed.success) return parsed.data
  } catch {
    // missing or unreadable: an empty cache
  }
  return { format: FORMAT, entries: {} }
}

/** A cached calibration, or undefined when there is none for this key. */
export function readCalibration(key: CalibrationKey, file: string = cacheFile()): CalibrationRecord | undefined {
  const entry = readCache(file).entries[calibrationKey(key)]
  return entry ? { ...entry, source: 'cache' } : undefined
}

/**
 * Stores a calibration under its key, keeping the others.
 * @throws Error when the folder or file cannot be written
 */
export function writeCalibration(key: CalibrationKey, record: CalibrationRecord, file: string = cacheFile()): void {
  const cache = readCache(file)
  const { source: _source, ...entry } = record
  cache.entries[calibrationKey(key)] = entry
  mkdirSync(path.dirname(file), { recursive: true })
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, JSON.stringify(cache, null, 1) + '\n')
  renameSync(tmp, file)
}
