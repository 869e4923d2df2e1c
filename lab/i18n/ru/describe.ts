/**
 * Workload and topology descriptions, the predict boxes' answers and the summary's side lines in Russian:
 * a translation of lab/i18n/en/describe.ts. Counts are written as `потоков: 3` (docs/translating.md).
 */
import type { Messages } from '../en.js'

const mix = 'смесь запросов, видов: {{count}}'
const streams = 'удерживаемых потоков: {{count}}'
const websockets = 'клиентов WebSocket: {{count}}'
const slowClients = 'медленных клиентов: {{count}}'
const workers = 'pre-fork воркеров: {{count}}'
const placementShared = 'ядер: {{count}}; генератор нагрузки и серверы делят их (закрепление начинается с {{from}}); прогноз «эта машина» отдаёт серверам только тот CPU, что оставляет им генератор нагрузки'

export const describe: Messages['describe'] = {
  mix_one: mix,
  mix_few: mix,
  mix_many: mix,
  mix_other: mix,
  work: '{{io}} мс ожидания + {{cpu}} мс CPU на запрос',
  bytes: 'ответы по {{bytes}} B',
  hang: '{{pct}} % зависают',
  crash: '{{pct}} % роняют воркер',
  streams_one: streams,
  streams_few: streams,
  streams_many: streams,
  streams_other: streams,
  websockets_one: websockets,
  websockets_few: websockets,
  websockets_many: websockets,
  websockets_other: websockets,
  slowClients_one: slowClients,
  slowClients_few: slowClients,
  slowClients_many: slowClients,
  slowClients_other: slowClients,
  workers_one: workers,
  workers_few: workers,
  workers_many: workers,
  workers_other: workers,
  threads: ' × {{threads}} потоков',
  eventLoop: 'один event loop',
  behindProxy: 'за прокси',
  copiesBehindProxy: 'копий за прокси: {{copies}}',
  measured: 'измерено',
  queueingModel: 'модель очередей',
  machineModel: 'эта машина (калибровка)',
  yourPrediction: 'ваш прогноз',
  noPrediction: 'в этих результатах прогноза нет',
  noneMade: 'не сделан',
  noPercentage: 'процента нет: ни одного ответа',
  exact: 'точно',
  tooHigh: 'выше на {{pct}} %',
  tooLow: 'ниже на {{pct}} %',
  offFromMeasured: 'отклонение от измеренного',
  answerOn: '{{topology}} в {{doc}}',
  predictIntro:
    'Прежде чем читать графики: что измерил каждый из них, в единицах, которые называет вопрос (метрика урока или отвеченные req/s при наибольшем числе соединений)? ' +
    'Введите число; «Показать» откроет измерение, прогноз модели очередей и насколько каждый ошибся. ' +
    'Ваши догадки остаются в этом браузере; ничего никуда не отправляется.',
  hideTable: 'Скрыть таблицу',
  websocketsLine: 'удержано {{held}} из {{clients}}, {{sent}} сообщений/с, {{delivered}} доставок/с, доставка p50 {{p50}}, p99 {{p99}}{{more}}',
  refused: 'отказано со статусом {{status}}: {{count}}',
  failed: 'неудачных: {{count}}',
  appOn: '{{app}} на {{server}}',
  placementShared_one: placementShared,
  placementShared_few: placementShared,
  placementShared_many: placementShared,
  placementShared_other: placementShared,
  placementPinned: 'генератор нагрузки закреплён за CPU {{client}}, серверы — за CPU {{servers}} (taskset), так что никто не отнимает CPU у другого',
  repeat: 'повтор {{n}}',
  na: 'н/д',
}
