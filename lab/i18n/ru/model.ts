/** The model's and the window rules' sentences in Russian: a translation of lab/i18n/en/model.ts, key for key. */
import type { Messages } from '../en.js'

export const model: Messages['model'] = {
  fcfs: 'работа CPU фиксированной длины обслуживается в порядке поступления, это не мультипликативная форма (product-form), поэтому у колена число приближённое (асимптоты точные)',
  eventLoop: 'Event loop: {{fcfs}}.',
  loops: 'Циклы: event loop воркеров ({{loops}}) моделируются как {{loops}} CPU-серверов на все соединения, как будто запрос всегда находит свободный цикл; соединение остаётся у принявшего его процесса, так что это верхняя граница.',
  limit: 'Ограничение параллельности: отвеченные запросы моделируются как {{slots}} мест, а ответы 503 — как бесплатные.',
  workers: 'Воркеры делят ядра: {{fcfs}}.',
  threads: 'Потоки: GIL моделируется как {{workers}} CPU-серверов на все {{threads}} потоков, как будто выполняемые запросы всегда в разных процессах (верхняя граница).',
  proxy: 'Прокси: {{fcfs}}.',
  asAsked: 'измерено {{asked}} с, как и просили',
  extended: 'измерено {{whole}} с вместо {{asked}} с: {{why}}',
  tooShort: 'слишком коротко, чтобы доверять: {{why}}; измерено {{seconds}} с (предел)',
  seconds: '{{seconds}} с',
  headroom: '{{base}} с, с запасом {{pct}} %: {{seconds}} с',
  latency: '{{multiple}} × прогнозная средняя латентность {{ms}} мс = {{took}}',
  completions: '{{per}} ответов на каждом из {{connections}} соединений при {{rate}} req/s занимают {{took}}',
  rareEvents: 'ожидаемых падений или зависаний: {{events}}; при {{pct}} % запросов это занимает {{took}}',
  wholeSeconds: 'для разброса нужно целых секунд: {{min}}',
}
