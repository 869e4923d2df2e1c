/**
 * The report's headline: each document's verdict on its scenario's lesson
 * (lab/core/lesson-verdict.ts), the same words the CLI summary opens with.
 * The other comparisons (lab/core/labels.ts `compareLevel`) fold away under
 * it. Pure: no DOM.
 */
import { lessonVerdict } from '../../../lab/core/lesson-verdict.js'
import type { ResultsDocument } from '../../../lab/core/results.js'
import { documentLabel } from './format.js'
import type { LessonBanner } from './types.js'

/** One banner per document whose scenario declares a lesson; labelled by document when several are compared. */
export function lessonBanners(docs: readonly ResultsDocument[]): LessonBanner[] {
  return docs.flatMap((doc) => {
    const v = lessonVerdict(doc)
    if (!v) return []
    return [{ doc: docs.length > 1 ? documentLabel(doc) : '', metricLabel: v.metricLabel, sentence: v.sentence, lines: v.lines.map((l) => l.text), unmeasured: v.unmeasured }]
  })
}
