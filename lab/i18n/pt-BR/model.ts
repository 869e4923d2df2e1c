/** The model's and the window rules' sentences in Brazilian Portuguese: a translation of lab/i18n/en/model.ts, key for key. */
import type { Messages } from '../en.js'

export const model: Messages['model'] = {
  fcfs: 'o trabalho de CPU tem duração fixa e é atendido por ordem de chegada, o que não é forma-produto, então perto do joelho o número é aproximado (suas assíntotas são exatas)',
  eventLoop: 'Event loop: {{fcfs}}.',
  loops: 'Laços: os event loops dos {{loops}} workers são modelados como {{loops}} servidores de CPU compartilhados por todas as conexões, como se uma requisição sempre achasse um laço ocioso; uma conexão fica com o processo que a aceitou, então isto é um limite superior.',
  limit: 'Limite de concorrência: as requisições respondidas são modeladas como {{slots}} vagas e os 503 como sem custo.',
  workers: 'Workers dividindo os núcleos: {{fcfs}}.',
  threads: 'Threads: o GIL é modelado como {{workers}} servidores de CPU compartilhados pelas {{threads}} threads, como se as requisições em execução estivessem sempre em processos diferentes (um limite superior).',
  proxy: 'Proxy: {{fcfs}}.',
  openProxy: 'o tempo do próprio proxy por requisição não é modelado',
  openPool: 'espera média de M/D/{{c}} pela aproximação de Cosmetatos (1975)',
  openShare: '{{c}} workers dividem {{cores}} núcleos para o trabalho de CPU, o que M/D/c deixa de fora',
  openLoss: 'fórmula de perda de Erlang B(c, λS) com c = limit_concurrency',
  openLoss503: 'um 503 contado como respondido em 0 ms',
  openLossCpu: 'o trabalho de CPU das requisições em andamento divide uma thread, o que a fórmula de perda deixa de fora',
  openUnstable: 'ρ = {{rho}} ≥ 1: sem estado estacionário',
  openGrowth: 'a fila cresce λ − μ = {{growth}} req/s (aproximação de fluido, média na janela)',
  asAsked: 'medido {{asked}} s, como pedido',
  extended: 'medido {{whole}} s em vez de {{asked}} s: {{why}}',
  tooShort: 'curto demais para confiar: {{why}}; medido {{seconds}} s (o teto)',
  seconds: '{{seconds}} s',
  headroom: '{{base}} s, {{pct}} % a mais de folga: {{seconds}} s',
  latency: '{{multiple}} × a latência média prevista de {{ms}} ms dão {{took}}',
  completions: '{{per}} respostas em cada uma das {{connections}} conexões a {{rate}} req/s levam {{took}}',
  rareEvents: '{{events}} quedas ou travamentos esperados a {{pct}} % das requisições levam {{took}}',
  wholeSeconds: 'uma dispersão precisa de {{min}} segundos inteiros',
}
