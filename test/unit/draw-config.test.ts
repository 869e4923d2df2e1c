import { describe, expect, it } from 'vitest'
import { configFor } from '../../web/src/panels/draw.js'
import { latencyChart } from '../../web/src/report/latency.js'
import { littlesLawChart } from '../../web/src/report/littles.js'
import { throughputChart } from '../../web/src/report/throughput.js'
import { load, singleLevel } from '../support/chart-fixtures.js'

/** The datasets' labels with their point radius and style, as Chart.js is given them. */
function points(config: ReturnType<typeof configFor>): [string, unknown, unknown][] {
  return config.data.datasets.map((d) => {
    const ds = d as { label?: string; pointRadius?: unknown; pointStyle?: unknown }
    return [ds.label ?? '', ds.pointRadius, ds.pointStyle]
  })
}

describe('the Chart.js configuration of the charts', () => {
  it('draws a model line through a single level as a dash, since a line through one point would not show', () => {
    const single = points(configFor(latencyChart([singleLevel()], 'cpu-20ms'), 12))
    expect(single.find(([label]) => label === 'prefork theory (queueing model), mean')).toEqual(['prefork theory (queueing model), mean', 12, 'line'])
    const ladder = points(configFor(latencyChart([load('results-catalogue.json')], 'cpu-20ms'), 12))
    expect(ladder.find(([label]) => label === 'prefork theory (queueing model), mean')?.[1]).toBe(0)
  })

  it('draws the single-level predictions as a wide dash beside round measured dots', () => {
    const ds = points(configFor(throughputChart([singleLevel()], 'cpu-20ms'), 12))
    expect(ds).toEqual([
      ['answered req/s (measured)', 5, 'circle'],
      ['theory (queueing model)', 14, 'line'],
    ])
  })

  it('lets the Little’s-law labels tilt and skip', () => {
    const config = configFor(littlesLawChart([load('results-prefork-vs-async.json')]), 12) as { options?: { scales?: { x?: { ticks?: unknown } } } }
    expect(config.options?.scales?.x?.ticks).toEqual({ autoSkip: true, maxRotation: 60 })
  })
})
