/**
 * The "Predict, then look" section of the report page: a number field per
 * question, a Reveal button, and the measured and predicted req/s with how
 * far each guess was off. Guesses (and which were revealed) are kept in the
 * page's localStorage, one key per scenario, topology and workload; nothing
 * is sent anywhere. "Show all" reveals everything at once (for teachers), and
 * `?reveal` in the address starts revealed. The report keeps its verdicts,
 * model lines and notes closed until every answer is revealed
 * ({@link allRevealed}, `onChange`).
 */
import type { ResultsDocument } from '../../lab/core/results.js'
import './predict.css'
import { h } from './panels/dom.js'
import { parseGuess, predictGroups, revealRows, type PredictItem } from './report/predict.js'
import { t } from '../../lab/core/i18n.js'

/** What is stored under an item's key. */
interface Saved {
  guess: number | null
  revealed: boolean
}

/** The page's localStorage, or null where it is not available (some file:// or privacy settings throw). */
function defaultStorage(): Storage | null {
  try {
    return window.localStorage
  } catch {
    return null
  }
}

function load(storage: Storage | null, key: string): Saved {
  try {
    const v = JSON.parse(storage?.getItem(key) ?? 'null') as Partial<Saved> | null
    return { guess: typeof v?.guess === 'number' && Number.isFinite(v.guess) ? v.guess : null, revealed: v?.revealed === true }
  } catch {
    return { guess: null, revealed: false }
  }
}

function save(storage: Storage | null, key: string, value: Saved): void {
  try {
    storage?.setItem(key, JSON.stringify(value))
  } catch {
    // storage full or refused: the page still works, it just forgets
  }
}

function answerTable(item: PredictItem, guess: number | null): HTMLElement {
  return h(
    'div',
    { class: 'predict-answers' },
    ...item.answers.map((a) =>
      h(
        'table',
        { class: 'predict-table' },
        h('caption', {}, a.doc ? t('describe.answerOn', { topology: item.topology, doc: a.doc }) : `${item.topology}, ${item.workload} @${item.connections}`),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, ''), h('th', { scope: 'col' }, item.unit ?? 'req/s'), h('th', { scope: 'col' }, t('describe.offFromMeasured')))),
        h(
          'tbody',
          {},
          ...revealRows(a, guess).map(([who, rate, off], i, rows) =>
            // the row's class by its place (the words are the reader's language): measured first, the guess last, the models between
            h('tr', { class: `predict-row-${i === 0 ? 'measured' : i === rows.length - 1 ? 'your' : i === 1 ? 'queueing' : 'this'}` }, h('th', { scope: 'row' }, who), h('td', {}, rate), h('td', {}, off)),
          ),
        ),
      ),
    ),
  )
}

/** Whether `?reveal` is in the page's address (a teacher's link that starts with every answer shown). */
export function revealInAddress(): boolean {
  return new URLSearchParams(location.search).has('reveal')
}

/**
 * Whether the student has revealed every question's answer (kept in storage),
 * or there is no question to answer.
 * @param storage - where guesses are kept (default: localStorage; null: nothing kept, so nothing revealed)
 */
export function allRevealed(docs: ResultsDocument[], storage: Storage | null | undefined = undefined): boolean {
  const store = storage === undefined ? defaultStorage() : storage
  return predictGroups(docs).every((g) => g.items.every((i) => load(store, i.key).revealed))
}

/**
 * Builds the section, or null when no workload has a topology to ask about.
 * @param opts.reveal - start with every answer shown (default: `?reveal` in the address)
 * @param opts.storage - where guesses are kept (default: localStorage; null keeps nothing)
 * @param opts.onChange - called after the student reveals or clears: whether every answer is now shown, and whether "Show all" did it
 */
export function predictSection(
  docs: ResultsDocument[],
  opts: { reveal?: boolean; storage?: Storage | null; onChange?: (all: boolean, shownAll: boolean) => void } = {},
): HTMLElement | null {
  const groups = predictGroups(docs)
  if (groups.length === 0) return null
  const storage = opts.storage === undefined ? defaultStorage() : opts.storage
  const revealAll = opts.reveal ?? revealInAddress()
  const reveals: (() => void)[] = []
  const resets: (() => void)[] = []
  const shown = new Set<string>()
  const total = groups.reduce((n, g) => n + g.items.length, 0)

  const question = (item: PredictItem): HTMLElement => {
    const saved = load(storage, item.key)
    const inputId = `${item.id}-guess`
    const input = h('input', { type: 'number', id: inputId, min: '0', step: 'any', inputmode: 'decimal', class: 'predict-guess' }) as HTMLInputElement
    if (saved.guess !== null) input.value = String(saved.guess)
    const button = h('button', { type: 'button', class: 'predict-reveal', 'aria-controls': `${item.id}-answer` }, t('predict.reveal'))
    const answer = h('div', { class: 'predict-answer', id: `${item.id}-answer`, 'aria-live': 'polite' })
    answer.hidden = true
    const show = (remember: boolean): void => {
      const guess = parseGuess(input.value)
      if (remember) save(storage, item.key, { guess, revealed: true })
      answer.replaceChildren(answerTable(item, guess))
      answer.hidden = false
      input.readOnly = true
      button.hidden = true
      shown.add(item.key)
    }
    const revealOne = (): void => {
      show(true)
      opts.onChange?.(shown.size === total, false)
    }
    input.addEventListener('change', () => save(storage, item.key, { guess: parseGuess(input.value), revealed: false }))
    input.addEventListener('keydown', (e) => void (e.key === 'Enter' && revealOne()))
    button.addEventListener('click', revealOne)
    reveals.push(() => show(false))
    resets.push(() => {
      try {
        storage?.removeItem(item.key)
      } catch {
        // nothing to forget
      }
      input.value = ''
      input.readOnly = false
      button.hidden = false
      answer.hidden = true
      answer.replaceChildren()
      shown.delete(item.key)
    })
    if (saved.revealed || revealAll) show(false)
    return h(
      'li',
      { class: 'predict-item', id: item.id, 'data-key': item.key },
      h('p', { class: 'predict-question' }, h('strong', {}, item.title ?? item.topology), item.topologyText && ` (${item.topologyText})`),
      h(
        'p',
        { class: 'predict-input' },
        h('label', { for: inputId }, t('predict.yours')),
        input,
        ` ${item.unit ?? 'req/s'} `,
        button,
      ),
      answer,
    )
  }

  const showAll = h('button', { type: 'button', class: 'predict-show-all' }, t('predict.showAll'))
  showAll.addEventListener('click', () => {
    reveals.forEach((r) => r())
    opts.onChange?.(true, true)
  })
  const clear = h('button', { type: 'button', class: 'predict-clear' }, t('predict.clear'))
  clear.addEventListener('click', () => {
    resets.forEach((r) => r())
    opts.onChange?.(false, false)
  })
  return h(
    'section',
    { id: 'lab-predict', class: 'panel predict' },
    h('h2', {}, t('predict.heading')),
    h(
      'p',
      { class: 'section-caption' },
      t('describe.predictIntro'),
    ),
    h('p', { class: 'predict-controls' }, showAll, ' ', clear),
    ...groups.map((g) =>
      h(
        'div',
        { class: 'predict-group' },
        h('h3', {}, g.heading ?? t('predict.connections', { workload: g.workload, connections: g.connections }), g.workloadText && h('span', { class: 'predict-work' }, ` · ${g.workloadText}`), groups.some((o) => o.scenario !== g.scenario) && ` (${g.scenario})`),
        h('ul', { class: 'predict-list' }, ...g.items.map(question)),
      ),
    ),
  )
}
