/**
 * The warnings' messages in Russian: a translation of lab/i18n/en/warnings.ts, key
 * for key. Counts are written as `тайм-аутов: 3` (docs/translating.md), so every plural form reads the same.
 */
import type { Messages } from '../en.js'

const timeouts = 'тайм-аутов: {{count}}'
const resets = 'ошибок соединения: {{count}}'
const non2xx = 'ответов не 2xx: {{count}} ({{statuses}})'
const wholeSeconds = 'целых секунд: {{count}}, меньше {{min}}, нужных для разброса'

export const warningText: Messages['warningText'] = {
  littles:
    '{{who}}: средняя латентность {{measured}} мс составляет {{ratio}}× от значения по закону Литтла для {{connections}} соединений при {{rate}} req/s ({{expected}} мс). ' +
    'В замкнутом цикле они обязаны совпадать, так что это измерение подозрительно: ищите ошибки, перегруженный клиент ' +
    'или слишком короткий прогрев (warm-up) для этого уровня (увеличьте его: --set load.warmup_s=3).',
  clientSaturated:
    '{{who}}: генератор нагрузки занял {{cpu}} % ядра, так что результат измеряет клиента не меньше, чем сервер. ' +
    'Честное измерение дадут меньше соединений, более медленная нагрузка (больше io_ms или cpu_ms) или более быстрая машина.',
  errorsSeen:
    '{{who}}: {{parts}}. Латентность учитывает только вернувшиеся ответы, поэтому закон Литтла здесь проверить нельзя; ' +
    'сервер может быть перегружен, падать, сбрасывать нагрузку или отказывать в соединениях.',
  timeouts_one: timeouts,
  timeouts_few: timeouts,
  timeouts_many: timeouts,
  timeouts_other: timeouts,
  resets_one: resets,
  resets_few: resets,
  resets_many: resets,
  resets_other: resets,
  non2xx_one: non2xx,
  non2xx_few: non2xx,
  non2xx_many: non2xx,
  non2xx_other: non2xx,
  modelMismatch: '{{who}}: измерено {{measured}} {{what}}, это {{ratio}}× от {{predicted}} req/s, которые предсказывает {{which}}. {{cause}}',
  reqPerS: 'req/s',
  answeredReqPerS: 'отвеченных (2xx) req/s',
  calibratedModel: 'калиброванная модель («эта машина»)',
  theory: 'теория',
  causeClient: 'Генератор нагрузки был перегружен, так что темп задавал клиент, а не сервер.',
  causeErrors: 'Были ошибки; модель предполагает, что каждый запрос успешен.',
  causeCpu: 'Вероятная причина, по данным: {{detail}}',
  causeShortWindow: 'Окно было слишком коротким, чтобы ему доверять (см. то предупреждение); измеряйте дольше, прежде чем доверять любому из чисел.',
  causeShortRun: 'Запуск был коротким; измеряйте дольше (--set load.duration_s=5), прежде чем доверять любому из чисел.',
  causeLeftOut:
    'Время ушло на то, чего модель не учитывает: другие процессы на машине, делящие ядра, или работу на каждый запрос ' +
    '(разбор, соединение, запись), которой нет в io_ms и cpu_ms и которая важна, когда запросы дешёвые.',
  causeAssumption:
    'Здесь не выполняется допущение модели (например, запросы обслуживаются не в порядке поступления или сервер делает больше работы, чем просит нагрузка).',
  noResponses: '{{who}}: в измеренном окне не завершился ни один ответ: все запросы ещё ждали. {{more}}',
  noResponsesLesson: 'Теория говорит то же самое (все воркеры заняты), так что это и есть урок, а не сбой.',
  noResponsesFault: 'Посмотрите на ошибки и вывод сервера; сервер может зависнуть или отказывать в соединениях.',
  runTooShort: '{{who}}: измерено ответов: всего {{count}}; перцентили по такому числу — шум. Измеряйте дольше (--set load.duration_s=5) или уберите --quick.',
  spread:
    '{{who}}: req/s менялись на {{spread}} % (σ/среднее) от секунды к секунде; ' +
    'уровень не установился. Посмотрите на его ход во времени и измеряйте дольше или повторите (--set load.repeat=3).',
  cpuSaturated: '{{who}}: насыщение CPU: {{meaning}}',
  pidAt: 'pid {{pid}}: {{cpu}} %',
  serverCost: ' Здесь он тратил {{ms}} мс CPU на ответ, так что одно ядро обслуживает не больше примерно {{max}} req/s.',
  server:
    'у сервера {{engine}} ({{pids}}) не осталось CPU: цикл событий (event loop) работает в одном потоке, поэтому ему доступно только одно ядро.{{cost}} ' +
    'Новые соединения лишь добавляют ожидание; здесь event loop упирается в CPU, а не в короткий запуск.',
  workers:
    'воркеры {{engine}} были заняты на CPU всё окно: {{busy}} из {{all}} ({{pids}}). ' +
    'Воркер на полном ядре вычисляет, а не ждёт: больше воркеров помогает, только пока есть свободные ядра (здесь их {{cores}}).',
  theProxy: 'прокси',
  proxy: 'у прокси {{engine}} ({{pids}}) не осталось CPU: темп задавал он, а не сервер приложения за ним.',
  master: 'master {{engine}} ({{pids}}) был занят на CPU: master, который должен лишь присматривать за воркерами, выполняет работу (перезапускает их?).',
  coresSaturated:
    '{{who}}: все ядра ({{cores}}) были заняты (серверы {{server}} % + генератор нагрузки {{client}} % из {{capacity}} %): ' +
    'темп задавал CPU машины. Сравните с прогнозом «эта машина», который отдаёт серверам только тот CPU, что оставляет им генератор нагрузки.',
  tooShort: '{{who}}: слишком коротко, чтобы доверять: {{why}}. Измеряйте дольше (--set load.duration_s=…) или повторите (--repeat 3).',
  wholeSeconds_one: wholeSeconds,
  wholeSeconds_few: wholeSeconds,
  wholeSeconds_many: wholeSeconds,
  wholeSeconds_other: wholeSeconds,
  latencies: 'в окно уложилось средних латентностей по {{ms}} мс: {{got}}, меньше {{min}}',
  completions: 'ответов на соединение: {{got}}, меньше {{min}}',
  rareEvents: 'ожидаемых в окне падений или зависаний: около {{got}}, меньше {{min}}',
}
