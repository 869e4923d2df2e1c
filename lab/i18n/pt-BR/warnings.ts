/** The warnings' messages in Brazilian Portuguese: a translation of lab/i18n/en/warnings.ts, key for key. */
import type { Messages } from '../en.js'

export const warningText: Messages['warningText'] = {
  littles:
    '{{who}}: a latência média de {{measured}} ms é {{ratio}}× o que a lei de Little dá para {{connections}} conexões a {{rate}} req/s ({{expected}} ms). ' +
    'Num laço fechado as duas têm de concordar, então esta medição é suspeita: procure erros, um cliente saturado ' +
    'ou um aquecimento (warm-up) curto demais para este nível (aumente-o com --set load.warmup_s=3).',
  clientSaturated:
    '{{who}}: o gerador de carga usou {{cpu}} % de um núcleo, então o resultado mede o cliente tanto quanto o servidor. ' +
    'Menos conexões, uma carga mais lenta (mais io_ms ou cpu_ms) ou uma máquina mais rápida dão uma leitura justa.',
  machineBusy:
    '{{who}}: outros processos desta máquina usaram {{cpu}} % de um núcleo enquanto o nível rodava. Cada despertar dos servidores e do gerador de carga esperou a sua vez atrás deles, ' +
    'então as latências ficam maiores e um laço fechado responde menos do que numa máquina tranquila; a previsão "esta máquina" desconta os núcleos deles, mas não essas esperas. Meça de novo com a máquina tranquila.',
  errorsSeen:
    '{{who}}: {{parts}}. A latência conta só as respostas que voltaram, então a lei de Little não pode ser verificada aqui; ' +
    'o servidor pode estar sobrecarregado, caindo, descartando carga ou recusando conexões.',
  timeouts_one: '{{count}} timeout',
  timeouts_many: '{{count}} timeouts',
  timeouts_other: '{{count}} timeouts',
  resets_one: '{{count}} erro de conexão',
  resets_many: '{{count}} erros de conexão',
  resets_other: '{{count}} erros de conexão',
  non2xx_one: '{{count}} resposta não 2xx ({{statuses}})',
  non2xx_many: '{{count}} respostas não 2xx ({{statuses}})',
  non2xx_other: '{{count}} respostas não 2xx ({{statuses}})',
  modelMismatch: '{{who}}: as {{measured}} {{what}} medidas são {{ratio}}× as {{predicted}} req/s que {{which}} prevê. {{cause}}',
  reqPerS: 'req/s',
  answeredReqPerS: 'req/s respondidas (2xx)',
  calibratedModel: 'o modelo calibrado ("esta máquina")',
  theory: 'a teoria',
  causeClient: 'O gerador de carga estava saturado, então quem ditou o ritmo foi o cliente, não o servidor.',
  causeErrors: 'Houve erros; o modelo supõe que toda requisição dá certo.',
  causeCpu: 'Causa provável, pelos dados: {{detail}}',
  causeShortWindow: 'A janela foi curta demais para confiar (veja esse aviso); meça por mais tempo antes de confiar em qualquer dos números.',
  causeShortRun: 'A execução foi curta; meça por mais tempo (--set load.duration_s=5) antes de confiar em qualquer dos números.',
  causeLeftOut:
    'Algo que o modelo deixa de fora custou tempo: outros processos da máquina dividindo os núcleos, ou trabalho por requisição ' +
    '(parsing, conexão, escrita) que não está em io_ms nem em cpu_ms e pesa quando as requisições são baratas.',
  causeAssumption:
    'Uma hipótese do modelo não vale aqui (por exemplo, as requisições não são atendidas na ordem em que chegam, ou o servidor faz mais trabalho do que a carga pede).',
  noResponses: '{{who}}: nenhuma resposta terminou na janela medida: toda requisição ainda esperava. {{more}}',
  noResponsesLesson: 'A teoria diz o mesmo (todo worker está preso), então esta é a lição, não uma falha.',
  noResponsesFault: 'Veja os erros e a saída do servidor; o servidor pode estar travado ou recusando conexões.',
  runTooShort: '{{who}}: só {{count}} respostas foram medidas; percentis de tão poucas são ruído. Meça por mais tempo (--set load.duration_s=5) ou tire o --quick.',
  spread:
    '{{who}}: as req/s variaram {{spread}} % (σ/média) de um segundo para outro; ' +
    'o nível não se estabilizou. Veja a linha do tempo e meça por mais tempo ou repita (--set load.repeat=3).',
  cpuSaturated: '{{who}}: saturação de CPU: {{meaning}}',
  pidAt: 'pid {{pid}} a {{cpu}} %',
  serverCost: ' Aqui ele gastou {{ms}} ms de CPU por resposta, então um núcleo atende no máximo cerca de {{max}} req/s.',
  server:
    'o servidor {{engine}} ({{pids}}) ficou sem CPU: um laço de eventos (event loop) roda numa thread, então um núcleo é tudo o que ele pode usar.{{cost}} ' +
    'Mais conexões só acrescentam espera; é aqui que o event loop fica sem CPU, não uma execução curta.',
  workers:
    '{{busy}} de {{all}} workers do {{engine}} ficaram ocupados na CPU a janela inteira ({{pids}}). ' +
    'Um worker num núcleo inteiro está calculando, não esperando: mais workers só ajudam enquanto há núcleos ociosos ({{cores}} aqui).',
  theProxy: 'o proxy',
  proxy: 'o proxy {{engine}} ({{pids}}) ficou sem CPU: foi ele, não o servidor de aplicação por trás, que ditou o ritmo.',
  master: 'o master do {{engine}} ({{pids}}) ficou ocupado na CPU: um master que só deveria vigiar seus workers está trabalhando (recriando-os?).',
  coresSaturated:
    '{{who}}: todos os {{cores}} núcleos estavam ocupados (servidores {{server}} % + gerador de carga {{client}} % de {{capacity}} %): ' +
    'a CPU da máquina ditou o ritmo. Compare com a previsão "esta máquina", que dá aos servidores só a CPU que o gerador de carga deixa para eles.',
  tooShort: '{{who}}: curto demais para confiar: {{why}}. Meça por mais tempo (--set load.duration_s=…) ou repita (--repeat 3).',
  wholeSeconds_one: '{{count}} segundo inteiro, menos que os {{min}} de que uma dispersão precisa',
  wholeSeconds_many: '{{count}} segundos inteiros, menos que os {{min}} de que uma dispersão precisa',
  wholeSeconds_other: '{{count}} segundos inteiros, menos que os {{min}} de que uma dispersão precisa',
  latencies: 'na janela couberam {{got}} latências médias de {{ms}} ms, menos que {{min}}',
  completions: '{{got}} respostas por conexão, menos que {{min}}',
  rareEvents: 'cerca de {{got}} quedas ou travamentos esperados na janela, menos que {{min}}',
  rareKind: 'cerca de {{got}} requisições do tipo mais raro da mistura na janela, menos que {{min}}',
}
