/**
 * The sentences a results document keeps in English (why a theory figure is
 * approximate, why a window was made longer) read back in pt-BR and ru
 * (lab/core/reword.ts), figures unchanged but for the decimal separator.
 */
import { describe, expect, it } from 'vitest'
import { approximations, type ModelInput } from '../../lab/core/model.js'
import { openStationFor, predictOpenLevel } from '../../lab/core/open-level.js'
import { reword, rewordApproximate, rewordWindow } from '../../lab/core/reword.js'
import { t } from '../../lab/core/i18n.js'
import { chooseWindow } from '../../lab/core/window.js'
import { placementText } from '../../lab/core/placement.js'
import { placementFor } from '../../lab/run/placement.js'

describe('a window message', () => {
  const extended = chooseWindow({ durationS: 2, connections: 32, predictedMeanMs: 800, predictedPerSecond: 40, capS: 60 })
  const headroom = chooseWindow({ durationS: 2, connections: 32, predictedMeanMs: 800, predictedPerSecond: 40, capS: 60, margin: 1.2 })
  const capped = chooseWindow({ durationS: 2, connections: 32, predictedMeanMs: 800, predictedPerSecond: 40, capS: 3 })

  it('is written in English from the catalogue, as before', () => {
    expect(extended.message).toMatch(/^measured \d+ s instead of 2 s: /)
    expect(capped.message).toMatch(/^too short to trust: .*; measured 3 s \(the cap\)$/)
  })

  it('reads in pt-BR and ru with the same figures, decimal commas and the nested reason translated', () => {
    for (const lang of ['pt-BR', 'ru'] as const) {
      const tr = rewordWindow(extended.message, lang)
      expect(tr).not.toBe(extended.message)
      expect(tr.startsWith(t('model.extended', { whole: extended.durationS, asked: 2, why: '' }, lang))).toBe(true)
      expect(tr).not.toMatch(/\d\.\d/)
      expect(digits(tr)).toEqual(digits(extended.message))
      expect(digits(rewordWindow(headroom.message, lang))).toEqual(digits(headroom.message))
      expect(rewordWindow(headroom.message, lang)).not.toContain('headroom')
      expect(rewordWindow(capped.message, lang)).not.toContain('too short')
    }
  })

  it('stays as written when no template matches (a document from an older lab) or in English', () => {
    expect(rewordWindow('measured 4 s because we felt like it', 'ru')).toBe('measured 4 s because we felt like it')
    expect(rewordWindow(extended.message, 'en')).toBe(extended.message)
  })
})

describe('why a theory figure is approximate', () => {
  const input: ModelInput = { model: 'prefork', workers: 4, threads: 2, ioMs: 10, cpuMs: 5, connections: 64, cores: 2, proxyMs: 0.2 }
  const notes = approximations(input, 2)

  it('reads each sentence in ru, the shared clause translated inside each', () => {
    expect(notes.length).toBe(3)
    const ru = rewordApproximate(notes.join(' '), 'ru')
    expect(ru).toBe(
      [
        t('model.workers', { fcfs: t('model.fcfs', {}, 'ru') }, 'ru'),
        t('model.threads', { workers: 4, threads: 8 }, 'ru'),
        t('model.proxy', { fcfs: t('model.fcfs', {}, 'ru') }, 'ru'),
      ].join(' '),
    )
  })

  it('leaves a sentence it does not know in English beside the ones it does', () => {
    const pt = rewordApproximate(`${notes[0]} Something new.`, 'pt-BR')
    expect(pt.endsWith(' Something new.')).toBe(true)
    expect(pt.startsWith(t('model.workers', { fcfs: t('model.fcfs', {}, 'pt-BR') }, 'pt-BR'))).toBe(true)
  })

  it('refuses a sentence whose nested clause is not the known one', () => {
    expect(reword('Event loop: something else.', [{ key: 'eventLoop', nested: { fcfs: [{ key: 'fcfs' }] } }], 'ru')).toBeUndefined()
  })
})

describe("an open loop's reasons", () => {
  const reasons = (def: unknown, rate: number) => {
    const choice = openStationFor(def as never, { io_ms: 10, cpu_ms: 2, crash_pct: 0, hang_pct: 0 } as never, 2)
    return choice ? (predictOpenLevel(choice, rate, 1, 3, 1000).approximate ?? '') : 'no station'
  }

  it('reads the loss formula clauses in pt-BR', () => {
    const pt = rewordApproximate(reasons({ server: { model: 'event-loop', limit_concurrency: 8 }, proxy: { model: 'nginx' } }, 50), 'pt-BR')
    expect(pt.split('; ')).toEqual(['openProxy', 'openLoss', 'openLoss503', 'openLossCpu'].map((k) => t(`model.${k}` as 'model.openProxy', {}, 'pt-BR')))
  })

  it('reads a pool past capacity in ru, its figures with decimal commas', () => {
    const text = reasons({ server: { model: 'prefork', workers: 4 } }, 5000)
    const ru = rewordApproximate(text, 'ru').split('; ')
    expect(ru).toEqual([
      t('model.openPool', { c: 4 }, 'ru'),
      t('model.openShare', { c: 4, cores: 2 }, 'ru'),
      expect.stringMatching(/^ρ = \d+,\d\d ≥ 1: установившегося режима нет$/),
      expect.stringMatching(/^очередь растёт на λ − μ = \d+,\d req\/s/),
    ])
  })
})

describe('a CPU placement note', () => {
  it('is kept in English and read from its CPU sets in ru and pt-BR', () => {
    const shared = placementFor([0, 1])
    expect(shared.note.startsWith('2 cores: the load generator and the servers share them (pinning starts at 4)')).toBe(true)
    expect(placementText(shared, 'ru')).toBe(t('describe.placementShared', { count: 2, from: 4 }, 'ru'))
    const pinned = placementFor([0, 1, 2, 3, 4, 5, 6, 7])
    expect(placementText(pinned, 'pt-BR')).toBe('gerador de carga fixado na CPU 0-1, servidores na CPU 2-7 (taskset), então nenhum toma a CPU do outro')
  })

  it('keeps a note it would not write (a test run, an older lab) as written', () => {
    const p = { ...placementFor([0, 1]), note: 'test run: nothing pinned' }
    expect(placementText(p, 'ru')).toBe('test run: nothing pinned')
  })
})

/** The numbers of a text, decimal commas read as points. */
function digits(text: string): string[] {
  return (text.match(/\d+(?:[.,]\d+)?/g) ?? []).map((n) => n.replace(',', '.'))
}
