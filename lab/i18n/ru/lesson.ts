/**
 * The verdict on a scenario's lesson in Russian: a translation of lab/i18n/en/lesson.ts,
 * key for key. Counts are written as `ответов: 3` (docs/translating.md), so every plural form reads the same.
 */
import type { Messages } from '../en.js'

const kindCaveat = 'счётчики по видам включают все статусы: ответов не 2xx в окне: {{count}}'

export const lesson: Messages['lesson'] = {
  headline: 'Вывод по метрике {{metric}}: {{lines}}',
  verdictOn: 'Вывод по метрике {{metric}}',
  lesson: 'Урок: ',
  others: 'Другие сравнения ({{count}}), по отвеченным req/s',
  otherComparisons: 'Другие сравнения, по отвеченным req/s (вывод по уроку — в первой строке):',
  metricLabel: '{{name}} ({{unit}}, {{better}})',
  higher: 'больше — лучше',
  lower: 'меньше — лучше',
  kindMetric: '{{name}} для «{{kind}}»',
  overlap: 'измеримой разницы нет (их 95 % интервалы перекрываются{{intervals}}; измеряйте дольше или повторите, чтобы их разделить)',
  noneAt: '{{lo}}: совсем ничего',
  bothNone: 'у обоих совсем ничего',
  ratio: '{{hi}} составляет {{ratio}} от {{lo}}',
  ci: '95 % ДИ {{low}}–{{high}}×',
  unbounded: '95 % ДИ не ограничен сверху',
  oneSample: 'у одной из сторон единственный замер: интервала 95 % нет, поэтому выводов пока нет; повторите с --set load.repeat=3',
  notMeasured: '{{id}} в этом запуске не измерялся',
  noKind: 'в окне нет ответов «{{kind}}»',
  noProbe: 'в окне не ответила ни одна проба (probe)',
  nothing: 'в окне не было ни одного ответа',
  noPss: 'PSS недоступен (нужен /proc/<pid>/smaps_rollup, Linux 4.14+)',
  noSockets: 'клиенты WebSocket не запускались',
  noSeconds: 'в окне нет ни одной целой секунды',
  kindCaveat_one: kindCaveat,
  kindCaveat_few: kindCaveat,
  kindCaveat_many: kindCaveat,
  kindCaveat_other: kindCaveat,
  unmeasured: 'метрику урока ({{name}}) прочитать не удалось: {{why}}',
  metrics: {
    answered: { name: 'отвеченные req/s', unit: 'req/s' },
    'kind-rate': { name: 'частота', unit: 'ответов/с' },
    'kind-p99': { name: 'p99', unit: 'мс' },
    'probe-p99': { name: 'p99 пробы', unit: 'мс' },
    p99: { name: 'p99', unit: 'мс' },
    errors: { name: 'ошибок/с', unit: 'ошибок/с' },
    'upstream-rate': { name: 'req/s на upstream', unit: 'req/s' },
    pss: { name: 'память сервера (PSS)', unit: 'МиБ' },
    'cpu-per-response': { name: 'CPU сервера на ответ', unit: 'µs' },
    deliveries: { name: 'доставок WebSocket/с', unit: 'доставок/с' },
    dropped: { name: 'отброшенные поступления', unit: 'поступлений/с' },
    'worst-second': { name: 'самая медленная секунда', unit: 'req/s' },
  },
}
