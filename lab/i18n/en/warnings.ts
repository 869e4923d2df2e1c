/**
 * English messages of the warnings a level raises, with its measured figures
 * (lab/core/warnings.ts, lab/core/diagnosis.ts, lab/core/window.ts
 * `windowShortfalls`). Part of lab/i18n/en.ts (key `warningText`). The results
 * document keeps the English; the summary and the report show them in the
 * reader's language (lab/core/warnings.ts `warningMessages`).
 */
export const warningText = {
  littles:
    "{{who}}: mean latency {{measured}} ms is {{ratio}}× what Little's law gives for {{connections}} connections at {{rate}} req/s ({{expected}} ms). " +
    'In a closed loop the two must agree, so this measurement is suspect: look for errors, a saturated client, ' +
    'or a warm-up too short for this level (raise it with --set load.warmup_s=3).',
  clientSaturated:
    '{{who}}: the load generator used {{cpu}} % of a core, so the result measures the client as much as the server. ' +
    'Fewer connections, a slower workload (more io_ms or cpu_ms) or a faster machine give a fair reading.',
  machineBusy:
    '{{who}}: other processes on this machine used {{cpu}} % of a core while the level ran. Every wake-up of the servers and the load generator waited its turn behind them, ' +
    'so latencies are longer and a closed loop answers less than on a quiet machine; the "this machine" prediction takes their cores away but not those waits. Measure again with the machine quiet.',
  errorsSeen:
    "{{who}}: {{parts}}. Latency counts only the answers that came back, so Little's law cannot be checked here; " +
    'the server may be overloaded, crashing, shedding load or refusing connections.',
  timeouts_one: '{{count}} timeouts',
  timeouts_other: '{{count}} timeouts',
  resets_one: '{{count}} connection errors',
  resets_other: '{{count}} connection errors',
  non2xx_one: '{{count}} non-2xx responses ({{statuses}})',
  non2xx_other: '{{count}} non-2xx responses ({{statuses}})',
  modelMismatch: '{{who}}: measured {{measured}} {{what}} is {{ratio}}× the {{predicted}} req/s {{which}} predicts. {{cause}}',
  reqPerS: 'req/s',
  answeredReqPerS: 'answered (2xx) req/s',
  calibratedModel: 'the calibrated model ("this machine")',
  theory: 'theory',
  causeClient: 'The load generator was saturated, so the client, not the server, set the pace.',
  causeErrors: 'Errors were seen; the model assumes every request succeeds.',
  causeCpu: 'Likely cause, from the data: {{detail}}',
  causeShortWindow: 'The window was too short to trust (see that warning); measure longer before trusting either number.',
  causeShortRun: 'The run was short; measure longer (--set load.duration_s=5) before trusting either number.',
  causeLeftOut:
    'Something the model leaves out took time: other processes on the machine sharing the cores, or per-request work ' +
    '(parsing, connecting, writing) that is not in io_ms or cpu_ms and matters when requests are cheap.',
  causeAssumption:
    'A model assumption does not hold here (for example, requests are not served in the order they arrive, or the server does more work than the workload asks for).',
  noResponses: '{{who}}: no response completed in the measured window: every request was still waiting. {{more}}',
  noResponsesLesson: 'Theory says the same (every worker is held), so this is the lesson, not a fault.',
  noResponsesFault: 'Look at the errors and the server output; the server may be hung or refusing connections.',
  runTooShort: '{{who}}: only {{count}} responses were measured; percentiles from so few are noise. Measure longer (--set load.duration_s=5) or drop --quick.',
  spread:
    '{{who}}: req/s varied by {{spread}} % (σ/mean) from second to second; ' +
    'the level did not settle. Look at its timeline, and measure longer or repeat (--set load.repeat=3).',
  cpuSaturated: '{{who}}: CPU saturation: {{meaning}}',
  pidAt: 'pid {{pid}} at {{cpu}} %',
  serverCost: ' Here it spent {{ms}} ms of CPU per response, so one core serves at most about {{max}} req/s.',
  server:
    'the {{engine}} server ({{pids}}) had no CPU left: an event loop runs on one thread, so one core is all it can use.{{cost}} ' +
    'More connections only add waiting; this is where the event loop runs out of CPU, not a short run.',
  workers:
    '{{busy}} of {{all}} {{engine}} workers were busy on the CPU the whole window ({{pids}}). ' +
    'A worker at a full core is computing, not waiting: more workers help only while there are idle cores ({{cores}} here).',
  theProxy: 'the proxy',
  proxy: 'the proxy {{engine}} ({{pids}}) had no CPU left: it, not the application server behind it, set the pace.',
  master: 'the {{engine}} master ({{pids}}) was busy on the CPU: a master that should only watch its workers is doing work (respawning them?).',
  coresSaturated:
    '{{who}}: all {{cores}} cores were busy (servers {{server}} % + load generator {{client}} % of {{capacity}} %): ' +
    'the machine\'s CPU set the pace. Compare with the "this machine" prediction, which gives the servers only the CPU the load generator leaves them.',
  tooShort: '{{who}}: too short to trust: {{why}}. Measure longer (--set load.duration_s=…) or repeat (--repeat 3).',
  wholeSeconds_one: '{{count}} whole second, fewer than the {{min}} a spread needs',
  wholeSeconds_other: '{{count}} whole seconds, fewer than the {{min}} a spread needs',
  latencies: 'the window held {{got}} mean latencies of {{ms}} ms, fewer than {{min}}',
  completions: '{{got}} responses per connection, fewer than {{min}}',
  rareEvents: 'about {{got}} crashes or hangs expected in the window, fewer than {{min}}',
  rareKind: "about {{got}} requests of the mix's rarest kind in the window, fewer than {{min}}",
} as const
