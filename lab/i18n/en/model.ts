/**
 * English sentences the model and the window rules write into a results
 * document (lab/core/model.ts `approximations`, lab/core/window.ts
 * `chooseWindow`): the document keeps them in English; the summary and the
 * report re-word them in the reader's language (lab/core/reword.ts). Part of
 * lab/i18n/en.ts (key `model`).
 */
export const model = {
  fcfs: 'CPU work is fixed-length and served first come, first served, which is not product-form, so near the knee the figure is approximate (its asymptotes are exact)',
  eventLoop: 'Event loop: {{fcfs}}.',
  loops: "Loops: the {{loops}} workers' event loops are modelled as {{loops}} CPU servers shared by every connection, as if a request always found an idle loop; a connection stays with the process that accepted it, so this is an upper bound.",
  limit: 'Concurrency limit: the answered requests are modelled as {{slots}} slots and the 503s as costing nothing.',
  workers: 'Workers sharing the cores: {{fcfs}}.',
  threads: 'Threads: the GIL is modelled as {{workers}} CPU servers shared by all {{threads}} threads, as if running requests were always in different processes (an upper bound).',
  proxy: 'Proxy: its {{fcfs}}.',
  recycling: "Recycling: each worker's replacement after {{requests}} requests is spread over them as slot time (the boot, not any one request's wait), so the mean latency is exact only when every worker is busy.",
  balancer: "Balancer: {{upstreams}} separate pools, {{policy}}: the pooled figure is scaled by a simulation of the same loop against them (lab/core/balance-sim.ts), which leaves out the proxy's time and CPU contention.",
  deploy: "Deploy: {{pct}} % of the window's worker time had no worker (from the level's events), so the steady-state figure is scaled by {{keep}}.",
  openProxy: "the proxy's own time per request is not modelled",
  openPool: "M/D/{{c}} mean wait by Cosmetatos' approximation (1975)",
  openShare: '{{c}} workers share {{cores}} cores for their CPU work, which M/D/c leaves out',
  openLoss: "Erlang's loss formula B(c, λS) with c = limit_concurrency",
  openLoss503: 'a 503 counted as answered in 0 ms',
  openLossCpu: 'the CPU work of requests in progress shares one thread, which the loss formula leaves out',
  openUnstable: 'ρ = {{rho}} ≥ 1: no steady state',
  openGrowth: 'the queue grows by λ − μ = {{growth}} req/s (fluid approximation, averaged over the window)',
  asAsked: 'measured {{asked}} s as asked',
  extended: 'measured {{whole}} s instead of {{asked}} s: {{why}}',
  tooShort: 'too short to trust: {{why}}; measured {{seconds}} s (the cap)',
  seconds: '{{seconds}} s',
  headroom: '{{base}} s, {{pct}} % more for headroom {{seconds}} s',
  latency: '{{multiple}} × the predicted mean latency of {{ms}} ms is {{took}}',
  completions: '{{per}} responses on each of {{connections}} connections at {{rate}} req/s take {{took}}',
  rareEvents: '{{events}} expected crashes or hangs at {{pct}} % of requests take {{took}}',
  rareKind: "{{events}} requests of the mix's rarest kind ({{pct}} % of requests) take {{took}}",
  wholeSeconds: 'a spread needs {{min}} whole seconds',
} as const
