/**
 * The warning catalogue in plain words, and the warnings of a set of
 * documents as the report and the live page list them. Pure.
 */
import type { Context } from './context.js'
import type { WarningView } from './types.js'

/** Plain words for the warning catalogue's codes: what it means and what to do. */
export const WARNING_TEXT: Record<string, { title: string; explanation: string }> = {
  'littles-law-mismatch': {
    title: "Little's law does not hold",
    explanation:
      'In a closed loop the mean latency must equal connections ÷ throughput. It does not here, so the measurement itself is wrong (the load generator timed something else); do not trust this run’s latencies.',
  },
  'client-saturated': {
    title: 'The load generator was the bottleneck',
    explanation:
      'autocannon runs on one core and used most of it, so these numbers measure the client, not the server. Use fewer connections or a heavier workload per request.',
  },
  'errors-seen': {
    title: 'Some requests failed',
    explanation:
      'Timeouts, resets or non-2xx answers were counted. Throughput and latency only describe the requests that succeeded; look at the errors table.',
  },
  'spread-too-wide': {
    title: 'Throughput never settled',
    explanation:
      'Requests per second changed a lot from second to second, so the mean hides an unstable run. Look at its timeline, then measure longer or repeat.',
  },
  'run-too-short': {
    title: 'Too few responses',
    explanation: 'So few responses were measured that the percentiles are noise. Measure longer, or drop --quick.',
  },
  'model-mismatch': {
    title: 'Theory and measurement disagree',
    explanation:
      'The queueing model’s req/s (the dashed lines) is more than 15 % away from what was measured. Either the measurement is off (a saturated client, errors, a short run) or the model leaves out something that happened: that difference is worth explaining.',
  },
  'no-responses': {
    title: 'Nothing was answered',
    explanation:
      'Not one response completed in the measured window: every connection was waiting on a request that never came back (held workers, hung requests, a dead server). Its latencies are empty, not zero.',
  },
}

/** The warnings of every document, each with its title, explanation and the run it is about. */
export function warningViews(ctx: Context): WarningView[] {
  return ctx.docs.flatMap((doc, d) =>
    doc.warnings.map((w) => {
      const run = w.run === undefined ? undefined : doc.runs[w.run]
      const text = WARNING_TEXT[w.code] ?? { title: w.code, explanation: '' }
      return { code: w.code, ...text, message: w.message, run: run ? ctx.runLabel(d, run) : '' }
    }),
  )
}
