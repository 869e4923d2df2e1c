/**
 * Results documents shaped like the scenarios the report draws differently
 * (web/src/report/single-level.ts, knob.ts), made from the fixtures in
 * test/fixtures: for the view-model tests and the Chromium test of the charts.
 */
import { readFileSync } from 'node:fs'
import { parseResults, type ResultsDocument } from '../../lab/core/results.js'

/** A fixture results document of test/fixtures, parsed. */
export function load(name: string): ResultsDocument {
  const parsed = parseResults(JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')))
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'))
  return parsed.value
}

/** The failure catalogue as a single-level scenario (blocked-event-loop's shape): cpu-20ms at 3 connections only. */
export function singleLevel(): ResultsDocument {
  const doc = load('results-catalogue.json')
  doc.runs = doc.runs.filter((r) => r.workload === 'cpu-20ms' && r.connections === 3)
  return doc
}

/** worker-sweep's shape: five prefork pools of 1…16 workers at 16 connections, measured and predicted (textbook: 20 req/s a worker up to two cores' 200). */
export function workerSweep(): ResultsDocument {
  const doc = load('results-catalogue.json')
  const template = doc.runs.find((r) => r.topology === 'prefork' && r.workload === 'cpu-20ms' && r.connections === 3)
  if (!template) throw new Error('the catalogue fixture lost its prefork cpu-20ms @3 run')
  const measured: Record<number, number> = { 1: 19.5, 2: 39, 4: 78, 8: 150, 16: 190 }
  doc.scenario.definition = {
    topologies: Object.fromEntries(Object.keys(measured).map((w) => [`w${w}`, { server: { model: 'prefork', workers: Number(w) } }])),
  }
  doc.runs = Object.entries(measured).map(([w, perSecond]) => {
    const run = structuredClone(template)
    run.topology = `w${w}`
    run.connections = 16
    run.requests.perSecond.mean = perSecond
    run.prediction = { perSecond: Math.min(20 * Number(w), 200), meanMs: 50 }
    return run
  })
  return doc
}
