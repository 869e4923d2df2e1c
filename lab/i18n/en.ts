/**
 * The lab's UI strings in English: the source every translation follows
 * (lab/i18n/pt-BR.ts, lab/i18n/ru.ts), read through lab/core/i18n.ts with
 * i18next. `{{name}}` is a value filled in when the string is used (i18next
 * interpolation); numbers arrive already formatted for the language
 * (lab/core/format-number.ts). Keys are grouped by where the string is shown.
 * test/unit/translations.test.ts keeps the translations in step with this file.
 * Larger groups live in lab/i18n/en/ (one file per concern), mirrored in
 * lab/i18n/pt-BR/ and lab/i18n/ru/. A key ending in `_one`/`_other` is an
 * i18next plural (https://www.i18next.com/translation-function/plurals): `t`
 * is called with the key without the suffix and a `count`; a translation
 * adds the forms its language needs (ru `_few`, `_many`; pt-BR `_many`).
 */
import { beside } from './en/beside.js'
import { charts } from './en/charts.js'
import { describe } from './en/describe.js'
import { lesson } from './en/lesson.js'
import { lessons } from './en/lessons.js'
import { livePage } from './en/live.js'
import { model } from './en/model.js'
import { warningText } from './en/warnings.js'

export const en = {
  cli: {
    plan: '{{levels}} levels on {{topologies}} topologies, about {{seconds}} s; results: {{file}}',
    skipping: 'skipping topology {{what}}',
    calibrating: 'calibrating {{engine}} ({{settings}}) on a hello-world level, once for this machine',
    failed: 'Failed',
    interrupted: 'Interrupted',
    nothingMeasured: '{{ended}} before the first level finished: nothing was measured yet, so no results were written.',
    partial: '{{ended}}; what was measured is saved (complete: false).',
    results: 'Results: {{file}}',
    report: 'Report: {{file}}',
    noReport: '(no HTML report: {{why}})',
    levelDone: '[{{i}}/{{total}}] {{level}}: {{rate}}, mean {{mean}} ms, p99 {{p99}} ms, errors {{errors}}',
    answeredUnit: 'answered req/s',
    fallback: '{{file}}: not translated into {{lang}} yet; showing the English',
    phase: { starting: 'starting', warmup: 'warm-up', measure: 'measuring', done: 'done' },
  },
  summary: {
    incomplete: '(incomplete: interrupted or failed)',
    topology: 'topology',
    conns: 'conns',
    answered: 'answered req/s (mean ± σ)',
    all: 'all req/s',
    non2xx: 'non-2xx/s',
    p50: 'p50 ms',
    p99: 'p99 ms',
    errors: 'errors',
    cpu: 'CPU %',
    littles: "Little's",
    textbook: 'textbook',
    thisMachine: 'this machine',
    measPred: 'meas/pred',
    offered: 'offered/s',
    answeredPerS: 'answered/s',
    dropped: 'dropped',
    inFlight: 'in flight',
    meanMs: 'mean ms',
    theoryPerS: 'theory/s',
    theoryMs: 'theory ms',
    legendN: 'n: {{repeats}}whole seconds of the window; no ± below n = 2. CPU %: server processes, % of one core (100 = one core busy, 200 = two). {{none}}: nothing to show.',
    legendGood: "good ranges: Little's 0.90–1.10 (outside: the measurement is suspect); meas/pred near 1.00 (the model explains the level; well below: something the model leaves out costs time).",
    legendRepeats: 'repeats (each on a fresh topology), or ',
    legendTaken: "; other processes took {{min}}–{{max}} % of a core meanwhile, left out of this machine's cores",
    legendPred: 'textbook: io_ms and cpu_ms only; this machine: calibrated (CPU per response of the engine and of the load generator, the round trip and how late a wait ends{{taken}}). meas/pred: answered ÷ {{basis}}.',
    warnings: 'Warnings:',
    windows: 'Windows longer than asked:',
    calibration: 'Calibration (this machine, hello-world level; CPU ms per response):',
    calibrationLine: '{{proxy}}server {{server}} ms, load generator {{client}} ms ({{rate}} req/s on {{connections}} connections; {{settings}}; {{source}})',
    calibrationLatency: 'one connection: a request with no work {{base}} ms, a 10 ms wait ends {{over}} ms late',
    calibrationProxy: 'proxy {{ms}} ms, ',
    measuredNow: 'measured now',
    cached: 'cached {{date}}, --recalibrate to measure again',
    placement: 'CPU placement: {{note}}.',
    approximate: '~ theory is approximate here:',
    probe: 'probe {{path}} beside the load:',
    probeLine: 'p50 {{p50}}, p99 {{p99}}, max {{max}} ({{requests}} probes{{errors}})',
    ms: '{{value}} ms',
    probeErrors: ', {{count}} errors',
    streams: 'streams held open beside the load:',
    websockets: 'WebSocket clients beside the load (send → every receiver in the room):',
    timeWait: 'sockets left in TIME_WAIT on the server port after each level:',
    answeredAmong: 'answered (2xx) among all responses:',
    answeredOf: '{{answered}} of {{all}} req/s',
    cpuPerResponse: 'server CPU per answered response (CPU-seconds in the window / 2xx responses):',
    masterEvents: 'master events during each level:',
    memory: 'memory of the server processes, mean over the window (RSS counts shared pages in each; PSS divides them):',
    streamsLine: '{{opened}} opened, {{events}} events received{{failed}}',
    slowClients: 'slow clients: how they were slow, and what they received over the level:',
    slowLink: 'through a {{rate}} kbit/s {{qdisc}} link (docs/network-links.md), {{kb}} kB received{{got}}{{note}}',
    slowPaced: 'paced by the lab at {{rate}} bytes/s each, {{kb}} kB received{{got}}{{note}}',
    streamsFailed: ', {{count}} failed',
    masterLine: '{{exits}} worker exits, {{timeouts}} timeout kills, {{spawns}} workers booted',
    memoryLine: '{{count}} processes: RSS {{rss}} MiB summed, PSS {{pss}} MiB summed',
    openLoop: 'open loop (latency from the intended send; theory at the offered rate: M/D/c pool, event loop as delay + one CPU):',
  },
  verdict: {
    noDifference: '{{level}}: no measurable difference at this level between {{a}} and {{b}} (their 95 % intervals overlap)',
    noneAnswered: '{{level}}: {{hi}} answered {{rate}} req/s where {{lo}} answered none',
    singleNone: '{{level}}: {{hi}} answered requests where {{lo}} answered none (a single sample has no interval: measure longer or repeat before trusting the difference)',
    singleRatio: '{{level}}: {{hi}} served {{ratio}}× the answered req/s of {{lo}} (a single sample has no interval: measure longer or repeat before trusting the difference)',
    ratio: '{{level}}: {{hi}} served {{ratio}}× ({{ci}}) the answered req/s of {{lo}}',
    ci: '95 % CI {{low}}–{{high}}×',
    ciUnbounded: '95 % CI not bounded above',
  },
  warning: {
    'littles-law-mismatch': {
      title: "Little's law does not hold",
      explanation:
        'In a closed loop the mean latency must equal connections ÷ throughput. It does not here, so the measurement itself is wrong (the load generator timed something else); do not trust this run’s latencies.',
    },
    'client-saturated': {
      title: 'The load generator was the bottleneck',
      explanation:
        'autocannon runs on one core and used most of it, so these numbers measure the client, not the server. Use fewer connections or a heavier workload per request.',
    },
    'errors-seen': {
      title: 'Some requests failed',
      explanation: 'Timeouts, resets or non-2xx answers were counted. Throughput and latency only describe the requests that succeeded; look at the errors table.',
    },
    'spread-too-wide': {
      title: 'Throughput never settled',
      explanation: 'Requests per second changed a lot from second to second, so the mean hides an unstable run. Look at its timeline, then measure longer or repeat.',
    },
    'run-too-short': {
      title: 'Too few responses',
      explanation: 'So few responses were measured that the percentiles are noise. Measure longer, or drop --quick.',
    },
    'model-mismatch': {
      title: 'Theory and measurement disagree',
      explanation:
        'The queueing model’s req/s is more than 15 % away from what was measured: the model calibrated to this machine (the dotted lines) where the run was calibrated, else the textbook one (the dashed lines). Either the measurement is off (a saturated client, errors, a short run) or the model leaves out something that happened: that difference is worth explaining.',
    },
    'no-responses': {
      title: 'Nothing was answered',
      explanation:
        'Not one response completed in the measured window: every connection was waiting on a request that never came back (held workers, hung requests, a dead server). Its latencies are empty, not zero.',
    },
    'cpu-saturated': {
      title: 'A process ran out of CPU',
      explanation:
        'A server process (or the proxy) used a whole core for the whole window: it was computing, not waiting, and it set the pace. An event loop can use one core only; more workers help only while there are idle cores. The message says whose CPU ran out.',
    },
    'cores-saturated': {
      title: 'Every core was busy',
      explanation:
        'The servers and the load generator together used all of the machine’s cores, so the machine’s CPU set the pace, not the server’s design. Compare with the “this machine” prediction, which gives the servers only the CPU the load generator leaves them.',
    },
    'too-short-to-trust': {
      title: 'Too short to trust',
      explanation:
        'The measured window broke one of the lab’s window rules (docs/measurement.md): too few predicted latencies, too few responses per connection, too few whole seconds, or too few of the crashes or hangs the workload injects. Measure longer or repeat before trusting this level.',
    },
    'machine-busy': {
      title: 'Other processes were busy',
      explanation:
        'Other processes on the machine used at least half a core while the level ran. Each wake-up of the servers and the load generator waited behind them, so latencies are longer and a closed loop answers less than on a quiet machine. The “this machine” prediction takes their cores away but not those waits: measure again with the machine quiet.',
    },
    'slow-link-unavailable': {
      title: 'Slow clients paced, not linked',
      explanation:
        'The workload asked for slow clients behind a rate-limited network link (link_kbit), and this level could not have one: no root, no iproute2 (ip, tc), no network namespaces, or a front engine that does not listen on the link (docs/network-links.md). The lab paced the clients itself instead, as it does on every machine; the lesson is the same, but the slowness is the lab’s, not a link’s.',
    },
  },
  report: {
    gatedBefore: '{{what}} once you have revealed every prediction in ',
    gatedAfter: ' (or pressed Show all there), so the answers do not come before the questions.',
    handout: 'Handout',
    instructorKey: 'Instructor key',
    keyOpens: 'The scenario’s notes (the arithmetic and the expected figures) open',
    verdictShows: 'The verdict shows',
    pageTitle: '{{title}} · app-server-lab report',
    language: 'Language',
    verdict: 'Verdict',
    warnings: 'Warnings',
    noWarnings: 'The lab raised no warning about these measurements.',
    errors: 'Errors',
    noErrors: 'No request failed in any run.',
    someErrors: '{{count}} request(s) failed; the table lists them by run and status code.',
    errorsPerRun: 'Errors per run',
    warningCount: '{{count}} warning(s) about these measurements: see ',
    checks: 'Checks',
    environment: 'Environment',
    whereAndHow: 'Where and how this was measured',
    reproduce: 'Reproduce',
    notes: 'Scenario notes',
    presenter: 'Presenter mode',
    showTable: 'Show table',
    empty: 'This page has no results in it. Make a report with: lab report results/<scenario>/<timestamp>.json',
    throughput: 'Throughput',
    throughputCaption: 'Requests per second against the number of concurrent connections.',
    latency: 'Latency',
    latencyCaption: 'How long one request took, typical (p50) and slow (p99).',
    spectrum: 'Latency spectrum',
    spectrumCaption: 'Every percentile at the highest connection count, HDR style.',
    timeline: 'Second by second',
    timelineCaption:
      'Each run as it happened: req/s (line, left axis) and p99 (triangles, right axis). Shaded seconds are warm-up, left out of the statistics; after them both should be flat.',
    openLoop: 'Open loop',
    openLoopCaption: 'Requests arriving at an offered rate whatever the server does; latency from each intended send (docs/open-loop.md).',
    resources: 'CPU and memory',
    resourcesCaption: 'Sampled from /proc over the measured window.',
    checksCaption: "The lab's self-check: does the measurement agree with Little's law?",
    axisConnections: 'connections',
    axisAnswered: 'answered req/s (mean)',
    axisLatency: 'latency (ms)',
    axisPercentile: 'percentile',
    axisSecond: 'second',
    axisCpu: 'CPU (% of one core, mean)',
    axisRss: 'RSS (MiB, mean)',
    axisRatio: 'measured ÷ expected',
    throughputOf: 'Throughput, {{workload}}',
    latencyOf: 'Latency p50 and p99, {{workload}}',
    cpuOf: 'CPU, {{workload}}',
    memoryOf: 'Memory (RSS), {{workload}}',
    littlesCheck: "Little's law check",
    axisTopology: 'topology',
    axisKnob: '{{knob}} (server.{{knob}})',
    answered: 'answered req/s (measured)',
    allResponses: 'all responses',
    singleLevelCaption: 'One level, {{connections}} connections, so each topology is a dot of answered req/s instead of a line.',
    singleLevelModel: ' Model: {{markers}}.',
    markDash: 'a dash (—) at a topology is {{theory}}',
    markCross: 'a cross (×) is {{machine}}',
    knobCaption: 'The topologies differ only in server.{{knob}}: answered req/s against it at {{connections}} connections. Where the line stops rising with {{knob}}, the cores (not the pool) set the pace: the knee.',
    workerMemory: 'Worker memory over time',
    workerMemoryCaption:
      'Resident memory (RSS) of the workers at each /proc reading of the measured window (one every 250 ms): the largest single worker (circles, left axis) and all workers summed (triangles, right axis), worker exits and boots marked. A leaking worker climbs, and drops to a fresh process’s size when max_requests replaces it: the saw-tooth. Without jitter the workers reach max_requests together and the sum drops with them; with jitter they drop one at a time.',
    axisWorkerRss: 'RSS, largest (MiB)',
    axisSummedRss: 'RSS, summed (MiB)',
    seriesMaxRss: 'largest worker (MiB)',
    seriesSumRss: 'all workers (MiB)',
    workersRead: 'workers read',
    workerMemoryRun: '{{pids}} worker pids in the window; largest worker {{maxLow}} to {{maxHigh}} MiB, all workers {{sumLow}} to {{sumHigh}} MiB',
    noWorkerRunning: '{{n}} point(s) with no worker running (all exited, none booted yet)',
    marked: 'marked: {{marks}}',
    readingsPerPoint: 'each point merges {{n}} readings',
  },
  predict: {
    heading: 'Predict, then look',
    reveal: 'Reveal',
    showAll: 'Show all',
    clear: 'Clear my predictions',
    yours: 'Your prediction: ',
    connections: '{{workload}} @{{connections}} connections',
  },
  live: {
    run: 'Run',
    stop: 'Stop',
    stopping: 'Stopping…',
    knobs: 'Knobs',
    scenario: 'Scenario',
    load: 'Load',
    stack: 'Stack',
    processes: 'Processes',
    processesCaption:
      'Each box is a server process. A pre-fork worker lights up while it serves a request (fainter: busy for part of the last second); the bar is its CPU over the last second, 100 % = one core.',
    ladder: 'The ladder so far',
    verdict: 'Verdict',
    stopped: 'Stopped: what was measured',
    failed: 'The run failed',
    openReport: 'Open the saved report',
    reproduce: 'Reproduce: ',
    nothingToTurn: 'Nothing to turn here.',
    ready: 'Ready',
    readyDetail: 'Pick a scenario, turn the knobs, press Run.',
    liveThroughput: 'Throughput, live',
  },
  doctor: {
    linksTitle: 'Network links for slow clients (slow_clients.link_kbit, docs/network-links.md):',
    linksYes: 'yes: a network namespace with a veth pair can be made here; queueing disciplines: {{qdiscs}}',
    linksDelay: 'a linked level gets its rate and its delay (link_delay_ms) from the kernel.',
    linksRateOnly: 'no netem in this kernel: a linked level gets its rate (tbf) but no added delay, and its results say so.',
    linksNo: 'no: {{reason}}',
    linksNoQdisc: 'this kernel has neither tbf nor netem, so no rate can be set',
    linksPaced: 'Levels that ask for a link run paced by the lab instead (slowClients.via: "paced", warning slow-link-unavailable).',
    linksFix: 'To have links: run the lab as root on Linux (in a container, one allowed to create network namespaces, e.g. docker run --privileged), with iproute2 (ip, tc):',
  },
  lesson,
  warningText,
  charts,
  beside,
  describe,
  model,
  lessons,
  livePage,
} as const

/** The shape every language's strings have: the same keys as {@link en}, each a string. */
export type Messages = { readonly [K in keyof typeof en]: Strings<(typeof en)[K]> }
type Strings<T> = T extends string ? string : { readonly [K in keyof T]: Strings<T[K]> } & PluralForms<T>
/** The other plural forms (CLDR categories, as i18next suffixes) a language may add beside a key's `_one` and `_other`. */
type PluralForms<T> = { readonly [K in keyof T & string as K extends `${infer B}_other` ? `${B}_${'zero' | 'two' | 'few' | 'many'}` : never]?: string }
