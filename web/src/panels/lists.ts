/**
 * The verdict lines and the warnings as both pages list them.
 */
import type { LessonBanner, Verdict, WarningView } from '../report/types.js'
import { t } from '../../../lab/core/i18n.js'
import { h } from './dom.js'

/**
 * The verdict banner: each document's verdict on its lesson (`p.lesson-verdict`,
 * one `li` per compared pair, then `p.lesson-sentence`) with every other
 * comparison folded in a `details.other-comparisons`; without a lesson
 * (documents from before lessons), the comparisons themselves, one `li.verdict` each.
 */
export function verdictList(verdicts: readonly Verdict[], lessons: readonly LessonBanner[] = []): HTMLElement {
  const list = h('ul', {}, ...verdicts.map((v) => h('li', { class: 'verdict' }, v.text)))
  if (lessons.length === 0) return list
  return h(
    'div',
    {},
    ...lessons.map((l) =>
      h(
        'div',
        { class: 'lesson' },
        h('p', { class: 'lesson-verdict' }, `${l.doc ? `${l.doc}: ` : ''}${t('lesson.verdictOn', { metric: l.metricLabel })}`),
        h('ul', {}, ...l.lines.map((line) => h('li', { class: 'verdict' }, line))),
        h('p', { class: 'lesson-sentence' }, h('strong', {}, t('lesson.lesson')), l.sentence),
      ),
    ),
    verdicts.length > 0 && h('details', { class: 'other-comparisons' }, h('summary', {}, t('lesson.others', { count: verdicts.length })), list),
  )
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
