/**
 * English strings of the verdict on a scenario's lesson (lab/core/lesson-verdict.ts):
 * the CLI summary's first lines and the report's banner. Part of lab/i18n/en.ts
 * (key `lesson`); `_one`/`_other` keys are i18next plurals, chosen by `{{count}}`.
 */
export const lesson = {
  headline: 'Verdict on {{metric}}: {{lines}}',
  verdictOn: 'Verdict on {{metric}}',
  lesson: 'Lesson: ',
  others: 'Other comparisons ({{count}}), on answered req/s',
  otherComparisons: 'Other comparisons, on answered req/s (the verdict on the lesson is the first line):',
  metricLabel: '{{name}} ({{unit}}, {{better}})',
  higher: 'higher is better',
  lower: 'lower is better',
  kindMetric: '"{{kind}}" {{name}}',
  overlap: 'no measurable difference (their 95 % intervals overlap{{intervals}}; measure longer or repeat to separate them)',
  noneAt: '{{lo}} none at all',
  bothNone: 'both none at all',
  ratio: '{{hi}} is {{ratio}} {{lo}}',
  ci: '95 % CI {{low}}–{{high}}×',
  unbounded: '95 % CI not bounded above',
  oneSample: 'a side has a single sample: no 95 % interval, so no claim yet; repeat with --set load.repeat=3',
  notMeasured: '{{id}} was not measured in this run',
  noKind: 'no "{{kind}}" responses in the window',
  noProbe: 'no probe answered in the window',
  nothing: 'nothing answered in the window',
  noPss: 'PSS not available (needs /proc/<pid>/smaps_rollup, Linux 4.14+)',
  noSockets: 'no WebSocket clients ran',
  noSeconds: 'no whole second in the window',
  kindCaveat_one: 'per-kind counts include every status: {{count}} non-2xx response in the window',
  kindCaveat_other: 'per-kind counts include every status: {{count}} non-2xx responses in the window',
  unmeasured: "the lesson's metric ({{name}}) could not be read: {{why}}",
  /** Each metric of lab/core/lesson.ts `LESSON_METRICS`: its name and unit as printed. */
  metrics: {
    answered: { name: 'answered req/s', unit: 'req/s' },
    'kind-rate': { name: 'rate', unit: 'responses/s' },
    'kind-p99': { name: 'p99', unit: 'ms' },
    'probe-p99': { name: 'probe p99', unit: 'ms' },
    p99: { name: 'p99', unit: 'ms' },
    errors: { name: 'errors/s', unit: 'errors/s' },
    'upstream-rate': { name: 'upstream req/s', unit: 'req/s' },
    pss: { name: 'server memory (PSS)', unit: 'MiB' },
    'cpu-per-response': { name: 'server CPU per response', unit: 'µs' },
    deliveries: { name: 'WebSocket deliveries/s', unit: 'deliveries/s' },
    dropped: { name: 'dropped arrivals', unit: 'arrivals/s' },
    'worst-second': { name: 'slowest second', unit: 'req/s' },
  },
} as const
