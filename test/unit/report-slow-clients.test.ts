/** The report's table of how slow clients were slow (web/src/report/slow-clients.ts), beside the load. */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { setLang } from '../../lab/core/i18n.js'
import type { ResultsDocument, RunResult } from '../../lab/core/results.js'
import { buildReport } from '../../web/src/report/build.js'
import { sideSection } from '../../web/src/report/side.js'
import { slowClientsTable, slowGotKbit } from '../../web/src/report/slow-clients.js'
import { makeRun } from './fixtures.js'

const fixture = JSON.parse(readFileSync(new URL('../fixtures/results-prefork-vs-async.json', import.meta.url), 'utf8')) as ResultsDocument
const slow = { count: 3, mode: 'slow-reader', bytesPerS: 16_384, connects: 3, serverClosed: 0, responses: 0, bytesSent: 300, bytesReceived: 1_234_000 }

function doc(runs: RunResult[]): ResultsDocument {
  return { ...fixture, scenario: { ...fixture.scenario, name: 'proxy-buffering' }, runs, warnings: [] }
}

const levels = [
  makeRun({ topology: 'nginx', workload: 'big', connections: 8, slowClients: { ...slow, elapsedS: 20, via: 'link', link: { rateKbit: 393, qdisc: 'tbf' }, note: 'no netem in this kernel: the link has its rate and no added delay' } }),
  makeRun({ topology: 'netem', workload: 'big', connections: 8, slowClients: { ...slow, elapsedS: 10, via: 'link', link: { rateKbit: 1000, delayMs: 20, qdisc: 'netem' } } }),
  makeRun({ topology: 'bare', workload: 'big', connections: 8, slowClients: { ...slow, via: 'paced', note: 'no network link: not root; paced at 16384 bytes/s instead of a 393 kbit/s link' } }),
  makeRun({ topology: 'old', workload: 'big', connections: 8, slowClients: { ...slow } }),
  makeRun({ topology: 'none', workload: 'big', connections: 8 }),
]

describe('the report’s slow-client table', () => {
  it('gives a linked level its rate, missing delay, qdisc, the rate the readers got and the note', () => {
    const table = slowClientsTable([doc(levels)])
    expect(table?.columns).toEqual(['run', 'clients', 'slow through', 'link rate or pace', 'delay each way (ms)', 'qdisc', 'got (kbit/s, all)', 'ran (s)', 'note'])
    expect(table?.rows[0]).toEqual(['nginx big @8', '3 × slow-reader', 'link', '393 kbit/s each way', 'none', 'tbf', '494', '20.0', 'no netem in this kernel: the link has its rate and no added delay'])
  })

  it('shows the delay and netem when the link had them', () => {
    expect(slowClientsTable([doc(levels)])?.rows[1]?.slice(2, 8)).toEqual(['link', '1000 kbit/s each way', '20', 'netem', '987', '10.0'])
  })

  it('gives a paced level its pace and the note why no link was used, and reads older results without `via` as paced', () => {
    const rows = slowClientsTable([doc(levels)])?.rows ?? []
    expect(rows[2]).toEqual(['bare big @8', '3 × slow-reader', 'paced', '16384 bytes/s per client', '–', '–', '–', '–', 'no network link: not root; paced at 16384 bytes/s instead of a 393 kbit/s link'])
    expect(rows[3]?.slice(2, 4)).toEqual(['paced', '16384 bytes/s per client'])
    expect(rows[3]?.[8]).toBe('no link asked (no link_kbit)')
  })

  it('has one row per level with slow clients and none for the others', () => {
    expect(slowClientsTable([doc(levels)])?.rows.map((r) => r[0])).toEqual(['nginx big @8', 'netem big @8', 'bare big @8', 'old big @8'])
  })

  it('counts what slow readers received and what slow senders sent, over the seconds they ran', () => {
    expect(slowGotKbit({ ...slow, elapsedS: 8 })).toBe(1234)
    expect(slowGotKbit({ ...slow, mode: 'slow-body', bytesSent: 100_000, elapsedS: 8 })).toBe(100)
    expect(slowGotKbit({ ...slow })).toBeNull()
  })

  it('sits in the report’s “Beside the load” section only when some level had slow clients', () => {
    const side = buildReport([doc(levels)]).sections.find((s) => s.id === 'lab-side')
    expect(side?.tables?.map((t) => t.id)).toEqual(['lab-slow-clients'])
    expect(sideSection([doc([levels[4] as RunResult])])).toBeNull()
  })

  it('speaks the reader’s language', () => {
    setLang('pt-BR')
    try {
      expect(slowClientsTable([doc(levels)])?.rows[0]?.slice(2, 5)).toEqual(['enlace', '393 kbit/s em cada sentido', 'nenhum'])
      setLang('ru')
      expect(slowClientsTable([doc(levels)])?.rows[2]?.slice(2, 4)).toEqual(['темп', '16384 байт/с на клиента'])
    } finally {
      setLang('en')
    }
  })
})
