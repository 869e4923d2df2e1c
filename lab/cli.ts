/**
 * `lab`: argv → command. The only place that calls process.exit.
 *
 * Reads like the architecture: parse the command line, then hand over to a
 * command (run: load, validate, plan, run, save, summarize). Each command's
 * module is imported when it is chosen, so `lab list` does not wait for the
 * run engine, autocannon and the demo server to load.
 */
import { Command, CommanderError } from 'commander'
import { constants } from 'node:os'
import { resolveLang, type Lang } from './core/i18n-lang.js'
import { shellCommand } from './core/labels.js'
import { LAB_VERSION } from './run/env.js'
import { killAllGroupsNow } from './topology/group.js'
import { watchParent } from './commands/parent.js'

const collect = (value: string, previous: string[]) => [...previous, value]

/** Set once run or demo has received a stop signal ({@link takeOverSignals}). */
let stopSignalled = false

// npx does not pass SIGTERM on: when the launcher dies, stop as on a SIGTERM (run and demo handle it; the others end at once).
// Deferred to the check phase: a signal libuv has already caught (`timeout` signals npx and the lab alike) is handed to
// its listeners in this turn's poll phase, after the timer that noticed the death, and is then the only request to stop.
const stopWatchingParent = watchParent((parent) => {
  setImmediate(() => {
    if (stopSignalled) return
    process.stderr.write(`\nlab: the process that started it (pid ${parent}) is gone; stopping as on SIGTERM\n`)
    process.kill(process.pid, 'SIGTERM')
  })
})

/**
 * The signals that stop the lab: SIGINT (Ctrl-C), SIGTERM (a process manager,
 * `timeout`) and SIGHUP (the terminal closed: an SSH session dropped, the
 * window shut). Node's default for each ends the process without running its
 * `exit` listeners, which would leave every server running in its own process
 * group; so until a command takes them over ({@link takeOverSignals}), each
 * stops every server at once and exits 128 + the signal's number (the shell's
 * convention: 130, 143, 129).
 */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

const quitAtOnce = (signal: NodeJS.Signals) => {
  killAllGroupsNow()
  process.exit(128 + constants.signals[signal])
}
for (const s of STOP_SIGNALS) process.on(s, quitAtOnce)

// a reader that stops early (`lab list | head`) closes the pipe: end quietly with 0, as a command-line
// tool killed by SIGPIPE ends silently, instead of an unhandled EPIPE stack trace (servers stop as on exit)
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err
  process.exit(0)
})

/**
 * For the commands that stop on SIGINT, SIGTERM and SIGHUP themselves (run,
 * demo): they take the signals over from {@link quitAtOnce}. Once a signal
 * arrives (`timeout` signals npx and the lab alike), the launcher's death is
 * no news, and must not count as the second signal that quits at once. After
 * a SIGHUP the terminal may be gone: writing to it fails with EIO, which must
 * not end the lab before its servers are stopped.
 */
function takeOverSignals(): void {
  for (const s of STOP_SIGNALS) {
    process.off(s, quitAtOnce)
    process.once(s, () => {
      stopSignalled = true
      stopWatchingParent()
    })
  }
  process.once('SIGHUP', () => {
    process.stdout.on('error', () => {})
    process.stderr.on('error', () => {})
  })
}

/** `lab run my-app`'s own options. */
interface MyAppFlags {
  app?: string
  path: string[]
  requests?: string
  python?: string
  workers?: number
  threads?: number
  nginx?: boolean
}

/** The `lab run my-app` options given, as flags (for refusing them with another scenario). */
function myAppFlags(o: MyAppFlags): string[] {
  const given = { app: o.app, path: o.path.length ? o.path : undefined, requests: o.requests, python: o.python, workers: o.workers, threads: o.threads, nginx: o.nginx }
  return Object.entries(given).filter(([, v]) => v !== undefined).map(([k]) => `--${k}`)
}

/** `--lang <en|pt-BR|ru>` (lab/core/i18n-lang.ts), for the commands that print or render for a reader. */
const LANG_HELP = 'language of the output: en, pt-BR or ru (default: from LC_ALL, LC_MESSAGES or LANG, else en)'

/**
 * The language of a command: `--lang`, else the locale (lab/core/i18n-lang.ts);
 * makes it current for everything printed (lab/core/i18n.ts).
 * @returns undefined, after one line on stderr, for a `--lang` that is not en, pt-BR or ru (the command then exits 2)
 */
async function chooseLang(flag: string | undefined): Promise<Lang | undefined> {
  const r = resolveLang(flag, process.env)
  if (!r.ok) {
    process.stderr.write(`lab: ${r.message}\n`)
    return undefined
  }
  const { setLang } = await import('./core/i18n.js')
  setLang(r.lang)
  return r.lang
}

/** `npx lab run ...` as typed, for the results' `command` field. */
function commandLine(argv: string[]): string {
  return shellCommand(['npx', 'lab', ...argv])
}

async function main(argv: string[]): Promise<number> {
  let code = 0
  const program = new Command('lab')
    .description('app-server-lab: real server topologies on 127.0.0.1, measured and explained')
    .version(LAB_VERSION)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .showHelpAfterError('(run `lab --help` for usage)')

  program
    .command('run')
    .description('run a scenario: start its topologies, drive them with autocannon, save and summarize the results')
    .argument('<scenario>', 'a scenario name (see `lab list`) or a path to a scenario folder or scenario.ts')
    .option('--quick', "use the scenario's short `quick` load (for a first look)")
    .option('--stack <stack>', 'engines: node (built-in, default) or python (Gunicorn, Uvicorn, nginx)', 'node')
    .option('--set <path=value>', 'override a scenario field by its dotted path (repeatable), e.g. topologies.prefork.server.workers=8', collect, [])
    .option('--topology <id>', 'run only this topology (repeatable)', collect, [])
    .option('--workload <id>', 'run only this workload (repeatable)', collect, [])
    .option('--repeat <n>', 'measure each level n times, each on a fresh topology, and report mean ± σ across the repeats', (v: string) => Number(v))
    .option('--recalibrate', "measure the engines' CPU cost per request again instead of using the cached calibration (a cached one stands for 2 hours)")
    .option('--out <dir>', 'results folder', 'results')
    .option('--json', 'write the results document to stdout (progress and summary go to stderr)')
    .option('--open', 'open the HTML report when done')
    .option('--app <file.py:attr|module:attr>', 'lab run my-app: your WSGI or ASGI app, e.g. app.py:app or mysite.wsgi:application (docs/my-app.md)')
    .option('--path <path>', 'lab run my-app: a route to load, e.g. / (repeatable)', collect, [])
    .option('--requests <file.json>', 'lab run my-app: a JSON list of weighted method/path/body requests instead of --path')
    .option('--python <interpreter>', "lab run my-app: a virtualenv's python whose packages your app imports")
    .option('--workers <n>', 'lab run my-app: Gunicorn worker processes (default 2)', (v: string) => Number(v))
    .option('--threads <n>', 'lab run my-app: threads per gthread worker (default 4)', (v: string) => Number(v))
    .option('--nginx', 'lab run my-app: also run each server behind nginx')
    .option('--lang <lang>', LANG_HELP)
    .action(async (target: string, o: { quick?: boolean; stack: string; set: string[]; topology: string[]; workload: string[]; repeat?: number; recalibrate?: boolean; out: string; json?: boolean; open?: boolean; lang?: string } & MyAppFlags) => {
      const lang = await chooseLang(o.lang)
      if (!lang) {
        code = 2
        return
      }
      const mine = myAppFlags(o)
      if (target !== 'my-app' && mine.length) {
        process.stderr.write(`lab run: ${mine.join(', ')}: only with \`lab run my-app\`\n`)
        code = 2
        return
      }
      const controller = new AbortController()
      let signals = 0
      const onSignal = (signal: NodeJS.Signals) => {
        signals++
        if (signals > 1) {
          killAllGroupsNow()
          process.exit(128 + constants.signals[signal])
        }
        process.stderr.write(`\n${signal}: stopping; what was measured is kept (press Ctrl-C again to quit at once)\n`)
        controller.abort(signal)
      }
      takeOverSignals()
      for (const s of STOP_SIGNALS) process.on(s, onSignal)
      if (target === 'my-app') {
        const { myAppCommand } = await import('./commands/my-app.js')
        code = (await myAppCommand({ ...o, lang, command: commandLine(argv), signal: controller.signal })).code
        return
      }
      const { runCommand } = await import('./commands/run.js')
      const outcome = await runCommand({ target, ...o, lang, command: commandLine(argv), signal: controller.signal })
      code = outcome.code
    })

  program
    .command('list')
    .description('list the scenarios with their one-line summaries')
    .action(async () => {
      const { listCommand } = await import('./commands/list.js')
      code = await listCommand()
    })

  program
    .command('calibrate')
    .description("measure, once for this machine, the engine calibrations the scenarios' runs use (all built-in scenarios when none is named), e.g. before class")
    .argument('[scenarios...]', 'scenario names (see `lab list`) or paths to scenario folders')
    .option('--quick', "calibrate for the scenarios' short `quick` loads, as `lab run --quick` and `lab demo` use them")
    .option('--stack <stack>', 'engines: node (built-in, default) or python (Gunicorn, Uvicorn, nginx)', 'node')
    .option('--recalibrate', 'measure again even what is cached')
    .action(async (scenarios: string[], o: { quick?: boolean; stack: string; recalibrate?: boolean }) => {
      // nothing to save on an interrupt: the default handling (stop every server, exit 128 + n) is right
      const { calibrateCommand } = await import('./commands/calibrate.js')
      code = await calibrateCommand({ scenarios, ...o })
    })

  program
    .command('report')
    .description('write the HTML report of saved results (several files are overlaid)')
    .argument('<results...>', 'results JSON files')
    .option('--out <file>', 'HTML file to write (default: beside the first JSON)')
    .option('--open', 'open the report when written')
    .option('--lang <lang>', "language the page opens in: en, pt-BR or ru (default: the run's own, else from the locale)")
    .action(async (files: string[], o: { out?: string; open?: boolean; lang?: string }) => {
      const lang = await chooseLang(o.lang)
      if (!lang) {
        code = 2
        return
      }
      const { reportCommand } = await import('./commands/report.js')
      code = await reportCommand(files, { out: o.out, open: o.open, ...(o.lang ? { lang } : {}) })
    })

  program
    .command('handout')
    .description("print a scenario's handout as markdown, with a table of the levels the run would measure (to print before class)")
    .argument('<scenario>', 'a scenario name (see `lab list`) or a path to a scenario folder or scenario.ts')
    .option('--quick', "the levels of the scenario's short `quick` load")
    .option('--stack <stack>', 'engines named in the table: node (built-in, default) or python', 'node')
    .option('--set <path=value>', 'override a scenario field by its dotted path (repeatable), as `lab run` does', collect, [])
    .option('--topology <id>', 'only this topology (repeatable)', collect, [])
    .option('--workload <id>', 'only this workload (repeatable)', collect, [])
    .action(async (target: string, o: { quick?: boolean; stack: string; set: string[]; topology: string[]; workload: string[] }) => {
      const { handoutCommand } = await import('./commands/handout.js')
      code = await handoutCommand(target, o)
    })

  program
    .command('doctor')
    .description('list the engines found and missing, their versions and how to install what is missing')
    .option('--lang <lang>', LANG_HELP)
    .action(async (o: { lang?: string }) => {
      if (!(await chooseLang(o.lang))) {
        code = 2
        return
      }
      const { doctorCommand } = await import('./commands/doctor.js')
      code = await doctorCommand()
    })

  program
    .command('demo')
    .description('live classroom page on 127.0.0.1: pick a scenario, turn its knobs, press Run, watch it second by second')
    .option('--port <n>', 'port to listen on (default 0: any free port)', (v: string) => Number(v))
    .option('--host <host>', 'address to listen on (default 127.0.0.1; anything else is reachable from the network and prints a warning)')
    .option('--open', 'open the page in a browser')
    .option('--lang <lang>', LANG_HELP)
    .action(async (o: { port?: number; host?: string; open?: boolean; lang?: string }) => {
      if (!(await chooseLang(o.lang))) {
        code = 2
        return
      }
      const { demoCommand } = await import('./commands/demo.js')
      // the demo takes SIGINT, SIGTERM and SIGHUP over once it listens (in the same tick as onListening)
      code = await demoCommand(o, { onListening: takeOverSignals })
    })

  const exercise = program.command('exercise').description('course exercises: list them, start one (answer template), check an answer (docs/exercises.md)')
  exercise
    .command('list')
    .description('list the exercises, one per line, name first')
    .action(async () => {
      const { exerciseList } = await import('./commands/exercise.js')
      code = await exerciseList()
    })
  exercise
    .command('start')
    .description("write an exercise's answer template (with your parameters) into DIR")
    .argument('<name>', 'an exercise name (see `lab exercise list`)')
    .argument('[dir]', 'folder to write the template into (default ./<name>)')
    .option('--student <id>', 'your student id: derives your parameters (waits, CPU work, targets)')
    .action(async (name: string, dir: string | undefined, o: { student?: string }) => {
      const { exerciseStart } = await import('./commands/exercise.js')
      code = await exerciseStart(name, dir, o.student)
    })
  exercise
    .command('check')
    .description('validate, run and grade an answer; exit 0 all checks pass, 1 some fail, 2 bad answer, 3 engine missing')
    .argument('<name>', 'an exercise name')
    .option('--answer <path>', 'the answer file (default ./answer.json)')
    .option('--student <id>', 'student id (default: the one in the answer file)')
    .option('--json', 'print the verdict as JSON (schema: docs/exercises.md)')
    .option('--out <dir>', 'results folder', 'results')
    .option('--bundle <file>', 'also write one hand-in file: the check result with the report inside')
    .action(async (name: string, o: { answer?: string; student?: string; json?: boolean; out: string; bundle?: string }) => {
      const { exerciseCheck } = await import('./commands/exercise.js')
      code = await exerciseCheck(name, o)
    })

  program
    .command('class')
    .description("teacher's view: read the students' check results (*.check.json) under DIR and write one report")
    .argument('<dir>', 'folder of check results (searched recursively)')
    .option('--out <file>', 'HTML file to write (default DIR/class-report.html)')
    .option('--json', 'print the class summary as JSON')
    .action(async (dir: string, o: { out?: string; json?: boolean }) => {
      const { classCommand } = await import('./commands/class.js')
      code = await classCommand(dir, o)
    })

  try {
    await program.parseAsync(argv, { from: 'user' })
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help' ? 0 : 2
    }
    throw err
  }
  return code
}

process.on('exit', killAllGroupsNow)
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`lab: ${err instanceof Error ? err.message : String(err)}\n`)
    killAllGroupsNow()
    process.exit(1)
  },
)
