import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { Lesson } from '../../lab/core/lesson.js'
import { parseResults, type ResultsDocument } from '../../lab/core/results.js'
import { buildReport } from '../../web/src/report/build.js'
import { lessonBanners } from '../../web/src/report/lesson.js'
import { predictGroups, revealRows } from '../../web/src/report/predict.js'

/** The prefork-vs-async fixture, its definition given `lesson`. */
function withLesson(lesson: Lesson | undefined): ResultsDocument {
  const parsed = parseResults(JSON.parse(readFileSync(new URL('../fixtures/results-prefork-vs-async.json', import.meta.url), 'utf8')))
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'))
  const doc = parsed.value
  doc.scenario.definition = { ...(doc.scenario.definition as object), ...(lesson ? { lesson } : {}) }
  return doc
}
const ioBound: Lesson = { metric: 'answered', compare: { topologies: ['async', 'prefork'], workloads: ['io-bound'] }, sentence: 'One event loop overlaps every wait.' }

describe('the report’s lesson banner', () => {
  it('heads the report with the verdict on the lesson’s metric and workload, the other comparisons kept beside it', () => {
    const model = buildReport([withLesson(ioBound)])
    expect(model.lessons).toEqual([
      {
        doc: '',
        metricLabel: 'answered req/s (req/s, higher is better)',
        sentence: 'One event loop overlaps every wait.',
        lines: ['io-bound @128: async 2401 req/s, prefork 79.0 req/s: async is 30.4× prefork (95 % CI 29.5–31.3×)'],
        unmeasured: false,
      },
    ])
    expect(model.verdicts).toHaveLength(2)
  })

  it('reads cpu-bound when the lesson names it, whatever the other workload says', () => {
    const [banner] = lessonBanners([withLesson({ ...ioBound, compare: { topologies: ['async', 'prefork'], workloads: ['cpu-bound'] } })])
    expect(banner?.lines).toEqual(['cpu-bound @128: async 97.3 req/s, prefork 191 req/s: prefork is 2.0× async (95 % CI 1.9–2.1×)'])
  })

  it('has no banner for a document from before lessons', () => {
    expect(buildReport([withLesson(undefined)]).lessons).toEqual([])
  })
})

describe('predict, then look, on the lesson', () => {
  it('asks one question per compared side, in the lesson’s unit, scored against answered (2xx) req/s', () => {
    const groups = predictGroups([withLesson(ioBound)])
    expect(groups).toHaveLength(1)
    expect(groups[0]?.heading).toBe('io-bound @128: answered req/s (req/s)')
    expect(groups[0]?.items.map((i) => [i.title, i.unit, i.key, i.answers[0]?.measured])).toEqual([
      ['async', 'req/s', 'app-server-lab:predict:prefork-vs-async:async:io-bound:answered', 2400.67],
      ['prefork', 'req/s', 'app-server-lab:predict:prefork-vs-async:prefork:io-bound:answered', 79],
    ])
  })

  it('scores a guess of the probe’s p99 in ms against the probe, with no queueing model to compare', () => {
    const doc = withLesson({ metric: 'probe-p99', compare: { topologies: ['async', 'prefork'], workloads: ['cpu-bound'] }, sentence: 'The probe waits.' })
    for (const r of doc.runs) r.probe = { path: '/health', requests: 40, errors: 0, latencyMs: { ...r.latencyMs, p99: r.topology === 'async' ? 40 : 2 } }
    const [group] = predictGroups([doc])
    const async = group?.items[0]
    expect([async?.unit, async?.answers]).toEqual(['ms', [{ doc: '', measured: 40, theory: null }]])
    expect(revealRows(async!.answers[0]!, 30)).toEqual([
      ['measured', '40.0', ''],
      ['queueing model', '–', 'no prediction in these results'],
      ['your prediction', '30.0', '25.0 % too low'],
    ])
  })

  it('keeps the per-workload questions in answered req/s for a document without a lesson', () => {
    expect(predictGroups([withLesson(undefined)]).map((g) => [g.workload, g.heading, g.items.map((i) => i.unit)])).toEqual([
      ['io-bound', undefined, [undefined, undefined]],
      ['cpu-bound', undefined, [undefined, undefined]],
    ])
  })
})
