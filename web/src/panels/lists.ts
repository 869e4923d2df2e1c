/**
 * The verdict lines and the warnings as both pages list them.
 */
import type { Verdict, WarningView } from '../report/types.js'
import { h } from './dom.js'

/** The verdicts, one `li.verdict` each. */
export function verdictList(verdicts: readonly Verdict[]): HTMLElement {
  return h('ul', {}, ...verdicts.map((v) => h('li', { class: 'verdict' }, v.text)))
}

/** The warnings: each one's title, the run it is about, what it means, and the lab's own message with its code. */
export function warningList(warnings: readonly WarningView[]): HTMLElement {
  return h(
    'ul',
    { class: 'warnings' },
    ...warnings.map((w) =>
      h(
        'li',
        {},
        h('strong', {}, w.title),
        w.run && h('span', { class: 'run' }, ` (${w.run})`),
        h('p', {}, w.explanation),
        h('p', { class: 'message' }, h('code', {}, w.code), ' ', w.message),
      ),
    ),
  )
}
