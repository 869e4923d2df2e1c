/**
 * Answer files of real configuration (docs/exercises.md, "Answer files"): a
 * `gunicorn.conf.py`, an nginx `location` snippet or a Python app file that
 * sits beside answer.json. `start` writes their templates; `check` reads them
 * from the answer's folder only, checks each with its own tool before
 * anything runs (Gunicorn's `--print-config`, `nginx -t` in a temporary
 * prefix, the engines' Python compiling the file) and copies them into the
 * run's temporary scenario folder, where the scenario names them.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { freePort } from '../contract/ports.js'
import { nginxSnippetProblems, type AnswerFileDef, type ExerciseDef, type Params } from '../core/exercise.js'
import { capture } from '../engines/common.js'
import { gunicornPrintConfig, detectGunicorn } from '../engines/gunicorn.js'
import { detectNginx } from '../engines/nginx.js'
import { nginxTest } from '../engines/nginx-test.js'
import { detectUvicorn } from '../engines/uvicorn.js'

/** An answer file as read: its name and bytes. */
export interface ReadFile {
  name: string
  bytes: Buffer
}

/** The exercise's answer files, by name (none for a JSON-only exercise). */
export function answerFiles(ex: Pick<ExerciseDef, 'files'>): [string, AnswerFileDef][] {
  return Object.entries(ex.files ?? {})
}

/** Writes the templates of the exercise's answer files into `folder`; returns their paths. */
export function writeTemplateFiles(ex: Pick<ExerciseDef, 'files'>, params: Params, folder: string): string[] {
  return answerFiles(ex).map(([name, def]) => {
    const target = path.join(folder, name)
    writeFileSync(target, def.template(params))
    return target
  })
}

/**
 * Reads the answer files from `folder` (the answer.json's; nothing else is read).
 * @returns the files, or one line per missing file
 */
export function readAnswerFiles(ex: Pick<ExerciseDef, 'files'>, folder: string): { ok: true; files: ReadFile[] } | { ok: false; problems: string[] } {
  const problems: string[] = []
  const files: ReadFile[] = []
  for (const [name] of answerFiles(ex)) {
    const file = path.join(folder, name)
    if (!existsSync(file)) problems.push(`${file}: missing; this exercise's answer is answer.json and ${name} in the same folder (\`lab exercise start\` writes both)`)
    else files.push({ name, bytes: readFileSync(file) })
  }
  return problems.length ? { ok: false, problems } : { ok: true, files }
}

/** The outcome of checking the answer files: fine, a bad file (exit 2, the tool's message), or a tool missing (exit 3). */
export type FilesVerdict = { code: 0 } | { code: 2 | 3; problems: string[] }

/**
 * Writes the answer files into `dir` (the run's temporary scenario folder)
 * and checks each with its tool there.
 */
export async function checkAnswerFiles(ex: Pick<ExerciseDef, 'files'>, files: readonly ReadFile[], dir: string): Promise<FilesVerdict> {
  const problems: string[] = []
  for (const f of files) {
    writeFileSync(path.join(dir, f.name), f.bytes) // the bytes read (and hashed), not a second read of the student's folder
    const kind = ex.files?.[f.name]?.kind
    const file = path.join(dir, f.name)
    if (kind === 'nginx-location') {
      const text = f.bytes.toString('utf8')
      const rules = nginxSnippetProblems(text)
      if (rules.length) {
        problems.push(...rules.map((p) => `${f.name}: ${p}`))
        continue
      }
      const info = await detectNginx()
      if (!info.found || !info.path) return { code: 3, problems: [`nginx is needed to check ${f.name}: ${info.problem ?? 'not found'} (apt-get install -y nginx)`] }
      const t = await nginxTest({ port: await freePort(), upstreams: [await freePort()], location: text, accessLog: false }, info.path)
      if (!t.ok) problems.push(`${f.name}: nginx -t says:\n${t.output.replaceAll(dir, '.')}`)
    } else if (kind === 'gunicorn-conf') {
      const info = await detectGunicorn()
      if (!info.found || !info.path) return { code: 3, problems: [`gunicorn is needed to check ${f.name}: ${info.problem ?? 'not found'} (apt-get install -y gunicorn)`] }
      const r = await gunicornPrintConfig({ port: 0, app: 'wsgi_app:application', workers: 1, timeoutS: 30, backlog: 2048, configFile: file }, info.path)
      if (!r.ok) problems.push(`${f.name}: gunicorn --print-config says:\n${r.output.replaceAll(dir, '.').replace(/\n{2,}/g, '\n')}`)
    } else if (kind === 'python-app') {
      const info = await detectUvicorn()
      const python = info.interpreter ?? '/usr/bin/python3'
      // compile only (no import, no __pycache__): the file's syntax, as the server's interpreter reads it
      const r = await capture(python, ['-I', '-c', 'import sys; compile(open(sys.argv[1], "rb").read(), sys.argv[1], "exec")', file], 30_000)
      if (r.code !== 0) problems.push(`${f.name}: ${python} says:\n${(r.stderr || r.error || '').trim().split('\n').slice(-4).join('\n').replaceAll(dir, '.')}`)
    }
  }
  return problems.length ? { code: 2, problems } : { code: 0 }
}
