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
 * atomically (temp file + rename). An entry older than
 * {@link CALIBRATION_MAX_AGE_MS} is measured again.
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

/**
 * How long a cached calibration stands for the machine: 2 hours, ms (long enough for a class that ran `lab calibrate`
 * before it). A machine's speed drifts: on the project's 2-core VM on 2026-12-03 the event loop's hello-world level on
 * 10,000 connections read 19,034 req/s at 10:38 UTC and 14,589 and 16,226 at 14:35, and a 10,000-connection level read
 * 0.52–0.69 of a prediction made from the morning's calibration against 0.79–0.87 of one measured minutes before.
 */
export const CALIBRATION_MAX_AGE_MS = 2 * 60 * 60 * 1000

/**
 * A cached calibration, or undefined when there is none for this key or it is older than {@link CALIBRATION_MAX_AGE_MS}.
 * @param now - the time to judge its age by, ms since the epoch
 */
export function readCalibration(key: CalibrationKey, file: string = cacheFile(), now: number = Date.now()): CalibrationRecord | undefined {
  const entry = readCache(file).entries[calibrationKey(key)]
  const age = entry ? now - Date.parse(entry.measuredAt) : NaN
  return entry && age <= CALIBRATION_MAX_AGE_MS ? { ...entry, source: 'cache' } : undefined
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
