/**
 * English words that describe a workload and a topology (lab/core/format-notes.ts
 * `describeWorkload`, web/src/report/predict.ts), the predict boxes' answers,
 * the summary's side lines and the page panels' few remaining words. Part of
 * lab/i18n/en.ts (key `describe`); `_one`/`_other` keys are i18next plurals.
 */
export const describe = {
  mix_one: 'a mix of {{count}} kind of request',
  mix_other: 'a mix of {{count}} kinds of request',
  work: '{{io}} ms wait + {{cpu}} ms CPU per request',
  bytes: '{{bytes}} B responses',
  hang: '{{pct}} % hang',
  crash: '{{pct}} % crash the worker',
  streams_one: '{{count}} stream held open',
  streams_other: '{{count}} streams held open',
  websockets_one: '{{count}} WebSocket client',
  websockets_other: '{{count}} WebSocket clients',
  slowClients_one: '{{count}} slow client',
  slowClients_other: '{{count}} slow clients',
  workers_one: '{{count}} pre-forked worker',
  workers_other: '{{count}} pre-forked workers',
  threads: ' × {{threads}} threads',
  eventLoop: 'one event loop',
  behindProxy: 'behind a proxy',
  copiesBehindProxy: '{{copies}} copies behind a proxy',
  measured: 'measured',
  queueingModel: 'queueing model',
  machineModel: 'this machine (calibrated)',
  yourPrediction: 'your prediction',
  noPrediction: 'no prediction in these results',
  noneMade: 'none made',
  noPercentage: 'no percentage: nothing was answered',
  exact: 'exact',
  tooHigh: '{{pct}} % too high',
  tooLow: '{{pct}} % too low',
  offFromMeasured: 'off from measured',
  answerOn: '{{topology}} on {{doc}}',
  predictIntro:
    'Before you read the charts: what did each one measure, in the unit each question names (the lesson’s metric, or answered req/s at the highest connection count)? ' +
    'Type a number, then Reveal shows the measurement, the queueing model’s prediction, and how far each was off. ' +
    'Your guesses stay in this browser; nothing is sent anywhere.',
  hideTable: 'Hide table',
  websocketsLine: '{{held}} of {{clients}} held open, {{sent}} messages/s, {{delivered}} deliveries/s, delivery p50 {{p50}}, p99 {{p99}}{{more}}',
  refused: '{{count}} refused with {{status}}',
  failed: '{{count}} failed',
  appOn: '{{app}} on {{server}}',
  placementShared_one: '{{count}} core: the load generator and the servers share them (pinning starts at {{from}}); the "this machine" prediction gives the servers only the CPU the load generator leaves them',
  placementShared_other: '{{count}} cores: the load generator and the servers share them (pinning starts at {{from}}); the "this machine" prediction gives the servers only the CPU the load generator leaves them',
  placementPinned: "load generator pinned to CPU {{client}}, servers to CPU {{servers}} (taskset), so neither takes the other's CPU",
  repeat: 'repeat {{n}}',
  na: 'n/a',
} as const
