/**
 * Everything a student reads under `--lang pt-BR` / `--lang ru` is translated
 * (issue 18, classroom): the CLI summary's verdict on the lesson and its
 * warnings, and the report's banner, warnings, column titles and the gate
 * that hides the model's columns, read in a fixture with a lesson and with
 * warnings the current lab raises.
 */
import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { formatSummary } from '../../lab/core/format.js'
import { MESSAGES, setLang, t } from '../../lab/core/i18n.js'
import type { Lang } from '../../lab/core/i18n-lang.js'
import { parseResults, type ResultsDocument } from '../../lab/core/results.js'
import { warningMessages, warningsFor } from '../../lab/core/warnings.js'
import { buildReport } from '../../web/src/report/build.js'
import { gateReport, isTheory } from '../../web/src/report/gate.js'
import { LESSON_METRICS } from '../../lab/core/lesson.js'
import type { ScenarioInput } from '../../lab/core/scenario.js'
import { flatten } from '../support/translations.js'

const ROOT = path.resolve(import.meta.dirname, '../..')
const SENTENCE = 'One loop overlaps the waits.'

/**
 * The prefork-vs-async fixture with a lesson (`metric` on io-bound, async
 * against prefork), a textbook prediction on every level, levels changed to
 * raise more warnings (a saturated client, a busy worker, a short window,
 * a wide spread, too few responses on a second repeat), and the warnings the current lab raises on them, in English.
 */
function fixture(metric: 'answered' | 'probe-p99', sentence = SENTENCE): ResultsDocument {
  const parsed = parseResults(JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/results-prefork-vs-async.json'), 'utf8')))
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'))
  const doc = parsed.value
  const definition = { ...(doc.scenario.definition as object), lesson: { metric, compare: { topologies: ['async', 'prefork'], workloads: ['io-bound'] }, sentence } }
  doc.scenario = { ...doc.scenario, definition }
  doc.runs.forEach((r) => {
    r.prediction = { perSecond: r.requests.perSecond.mean * 1.5, meanMs: r.latencyMs.mean }
  })
  const [a, b, c, d] = doc.runs as [ResultsDocument['runs'][number], ResultsDocument['runs'][number], ResultsDocument['runs'][number], ResultsDocument['runs'][number]]
  a.loadGenerator = { cpuPercent: { mean: 97, max: 99 } }
  b.processes = b.processes.map((p) => ({ ...p, cpuPercent: { mean: 99, max: 100 } }))
  b.durationS = 0.5
  if (b.window) b.window = { ...b.window, measuredS: 0.5 }
  c.requests = { ...c.requests, perSecond: { ...c.requests.perSecond, stddev: c.requests.perSecond.mean * 0.5 } }
  d.requests = { ...d.requests, total: 12 }
  d.repeat = 1
  doc.warnings = doc.runs.flatMap((r, i) => warningsFor(r, i, { cores: doc.env.cores }))
  return doc
}

function inLang<T>(lang: Lang, fn: () => T): T {
  setLang(lang)
  try {
    return fn()
  } finally {
    setLang('en')
  }
}

/**
 * The English catalogue's text of the lesson and the warnings, as fragments
 * between placeholders long enough to be English prose (not `req/s`, `p99`).
 */
function englishFragments(): string[] {
  const strings = [...flatten({ lesson: MESSAGES.en.lesson, warningText: MESSAGES.en.warningText, warning: MESSAGES.en.warning }).values()]
  return [...new Set(strings.flatMap((s) => s.split(/\{\{\s*\w+\s*\}\}/).map((f) => f.trim())).filter((f) => f.length >= 12))]
}

describe.each(['pt-BR', 'ru'] as const)('the summary in %s', (lang) => {
  const answered = fixture('answered')

  it('raises the warnings the test means to translate', () => {
    expect(new Set(answered.warnings.map((w) => w.code))).toEqual(
      new Set(['client-saturated', 'model-mismatch', 'cpu-saturated', 'cores-saturated', 'too-short-to-trust', 'errors-seen', 'spread-too-wide', 'run-too-short']),
    )
  })

  it('opens with the verdict on the lesson in the language, its words from the catalogue', () => {
    const lines = inLang(lang, () => formatSummary(answered)).split('\n')
    const words = MESSAGES[lang].lesson
    expect(lines[0]?.startsWith(words.headline.slice(0, words.headline.indexOf('{{')))).toBe(true)
    expect(lines[0]).toContain(t('lesson.higher', {}, lang))
    expect(lines[0]).toContain(t('lesson.metrics.answered.name', {}, lang))
    expect(lines[1]).toBe(`  ${words.lesson}${SENTENCE}`)
  })

  it('prints every warning message in the language, the figures written with a decimal comma', () => {
    const summary = inLang(lang, () => formatSummary(answered))
    const messages = warningMessages(answered, lang)
    messages.forEach((m, i) => {
      expect(m).not.toBe(answered.warnings[i]?.message)
      expect(summary).toContain(m)
    })
    expect(messages.join('\n')).toMatch(/\d,\d/)
    // a repeated level is named in the language too
    expect(messages[answered.warnings.findIndex((w) => w.code === 'run-too-short')]).toContain(`(${t('describe.repeat', { n: 2 }, lang)})`)
  })

  it('prints no English string of the lesson or warning catalogues', () => {
    const summary = [inLang(lang, () => formatSummary(answered)), inLang(lang, () => formatSummary(fixture('probe-p99')))].join('\n')
    expect(englishFragments().filter((f) => summary.includes(f))).toEqual([])
  })

  it('says in the language why a lesson metric could not be read', () => {
    const first = inLang(lang, () => formatSummary(fixture('probe-p99'))).split('\n')[0] ?? ''
    expect(first).toContain(t('lesson.noProbe', {}, lang))
    expect(first).toContain(t('lesson.unmeasured', { name: t('lesson.metrics.probe-p99.name', {}, lang), why: '' }, lang).replace(/: $/, ''))
  })
})

describe("the scenarios' lesson sentences", () => {
  const root = path.join(ROOT, 'scenarios')
  const names = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)

  it('are in the English catalogue exactly as each scenario.ts writes them, and nothing else is', async () => {
    const written: Record<string, string> = {}
    for (const name of names) {
      const mod = (await import(path.join(root, name, 'scenario.ts'))) as { default: ScenarioInput }
      const sentence = mod.default.lesson?.sentence
      if (typeof sentence === 'string') written[name] = sentence
    }
    expect(MESSAGES.en.lessons).toEqual(written)
  })

  it.each(['pt-BR', 'ru'] as const)("print in %s under the verdict when the document's sentence is the scenario's", (lang) => {
    const doc = fixture('answered', MESSAGES.en.lessons['prefork-vs-async'])
    const second = inLang(lang, () => formatSummary(doc)).split('\n')[1]
    expect(second).toBe(`  ${MESSAGES[lang].lesson.lesson}${MESSAGES[lang].lessons['prefork-vs-async']}`)
  })
})

describe('the lesson metrics', () => {
  it("are named in the English catalogue as lab/core/lesson.ts names them, with the same units", () => {
    const named = Object.fromEntries(Object.entries(LESSON_METRICS).map(([id, m]) => [id, { name: m.name, unit: m.unit }]))
    expect(MESSAGES.en.lesson.metrics).toEqual(named)
  })
})

describe('the same document in English', () => {
  it('keeps the English the document was written with', () => {
    const doc = fixture('answered')
    expect(warningMessages(doc, 'en')).toEqual(doc.warnings.map((w) => w.message))
    expect(formatSummary(doc).split('\n')[0]).toMatch(/^Verdict on answered req\/s \(req\/s, higher is better\): io-bound @128: async /)
  })

  it('is where the check for English fragments finds them (so finding none in pt-BR and ru means something)', () => {
    const summary = formatSummary(fixture('answered'))
    expect(englishFragments().filter((f) => summary.includes(f))).toEqual(expect.arrayContaining([MESSAGES.en.lesson.higher, MESSAGES.en.warningText.causeClient]))
  })

  it('shows a message the current lab would word otherwise as the document has it', () => {
    const doc = fixture('answered')
    const old = { ...doc, warnings: doc.warnings.map((w, i) => (i === 0 ? { ...w, message: `${w.message} (older wording)` } : w)) }
    const messages = warningMessages(old, 'ru')
    expect(messages[0]).toBe(old.warnings[0]?.message)
    expect(messages[1]).not.toBe(old.warnings[1]?.message)
  })
})

describe('the report in another language', () => {
  const doc = fixture('answered')

  it('names the verdict banner, the warnings and a column in ru', () => {
    const model = inLang('ru', () => buildReport([doc]))
    expect(model.lessons?.[0]?.metricLabel).toBe('отвеченные req/s (req/s, больше — лучше)')
    expect(model.warnings.map((w) => w.message)).toEqual(warningMessages(doc, 'ru'))
    const chart = model.sections.find((s) => s.id === 'lab-throughput')?.charts[0]
    expect(chart?.table.columns).toContain('async отвечено')
    expect(model.environment.rows.map((r) => r[0])).toContain('ядра')
  })

  it("hides the model's columns, lines and caption sentence in pt-BR before the reveal, whatever the language gating it", () => {
    const model = inLang('pt-BR', () => buildReport([doc]))
    const chart = model.sections.find((s) => s.id === 'lab-throughput')?.charts[0]
    expect(chart?.table.columns).toEqual(expect.arrayContaining(['async teoria', 'async medido ÷ teoria (bom ≈ 1,00)']))
    expect(chart?.caption).toContain(' Tracejado: ')
    const gated = gateReport(model).sections.find((s) => s.id === 'lab-throughput')?.charts[0]
    expect(gated?.table.columns.filter((c) => c.includes('teoria'))).toEqual([])
    expect(gated?.caption).not.toContain('Tracejado')
    expect(gated?.kind === 'line' ? gated.series.map((s) => s.label).filter((l) => l.includes('teoria')) : ['not a line chart']).toEqual([])
  })

  it("recognises the model's words in every language", () => {
    expect(['prefork theory', 'prefork teoria', 'async измерено ÷ эта машина (хорошо ≈ 1,00)', 'esta máquina'].map(isTheory)).toEqual([true, true, true, true])
    expect(isTheory('async отвечено')).toBe(false)
  })
})
