/**
 * A venv used through LAB_ENGINE_PATH (docs/laptops.md), as a macOS or
 * Fedora class sets it up with `python3 -m venv ~/lab-venv` and
 * `~/lab-venv/bin/pip install gunicorn uvicorn flask`. This machine reaches no
 * PyPI, so the venv is made with `--system-site-packages --without-pip` (the
 * packages come from Debian's python3-*), and its `bin/gunicorn` and
 * `bin/uvicorn` are the console-script wrappers pip writes, whose `#!` names
 * the venv's python: what the lab must find and start is the same.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest'
import type { TopologyDef } from '../../lab/core/scenario.js'
import { doctorRows } from '../../lab/commands/doctor.js'
import { clearDetectCache } from '../../lab/engines/detect.js'
import { liveGroupCount } from '../../lab/topology/group.js'
import { startTopology, type RunningTopology } from '../../lab/topology/topology.js'
import { app, command, engine, needs } from '../support/tools.js'

const [gunicorn, uvicorn, flask] = await Promise.all([engine('gunicorn'), engine('uvicorn'), app('flask', 'gunicorn')])
const python = command('python3')
const dir = mkdtempSync(path.join(os.tmpdir(), 'lab-venv-'))
const venv = path.join(dir, 'lab-venv')
const bin = path.join(venv, 'bin')

/** The wrapper pip writes for a console script (pip's `distlib` template). */
const wrapper = (module: string, fn: string) =>
  `#!${bin}/python3\n# -*- coding: utf-8 -*-\nimport re\nimport sys\nfrom ${module} import ${fn}\nif __name__ == '__main__':\n    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])\n    sys.exit(${fn}())\n`

let running: RunningTopology | undefined
beforeAll(() => {
  if (!python.found) return
  execFileSync(python.path as string, ['-m', 'venv', '--system-site-packages', '--without-pip', venv])
  writeFileSync(path.join(bin, 'gunicorn'), wrapper('gunicorn.app.wsgiapp', 'run'), { mode: 0o755 })
  writeFileSync(path.join(bin, 'uvicorn'), wrapper('uvicorn.main', 'main'), { mode: 0o755 })
})
afterEach(async () => {
  await running?.stop()
  running = undefined
  vi.unstubAllEnvs()
  clearDetectCache()
  expect(liveGroupCount()).toBe(0)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

needs(python, gunicorn, uvicorn, flask).describe('a venv through LAB_ENGINE_PATH', () => {
  it('lab doctor finds gunicorn, uvicorn and Flask in the venv, run by the venv’s python, and nginx still in /usr/sbin', async () => {
    vi.stubEnv('LAB_ENGINE_PATH', `${bin}:/usr/sbin:/usr/bin`)
    clearDetectCache()
    const rows = await doctorRows()
    const by = (name: string) => rows.find((r) => r.engine === name)
    expect(by('gunicorn')).toMatchObject({ found: true, path: path.join(bin, 'gunicorn') })
    expect(by('gunicorn')?.note).toContain(`${bin}/python3`)
    expect(by('uvicorn')).toMatchObject({ found: true, path: path.join(bin, 'uvicorn') })
    expect(by('flask')?.found).toBe(true)
    expect(by('nginx')?.path).toBe('/usr/sbin/nginx')
  })

  it('starts a --stack python prefork topology with the venv’s gunicorn, which answers', async () => {
    vi.stubEnv('LAB_ENGINE_PATH', `${bin}:/usr/sbin:/usr/bin`)
    clearDetectCache()
    const def = { server: { model: 'prefork', workers: 2, timeout_s: 30, backlog: 64 } } as TopologyDef
    running = await startTopology('venv', def, { stack: 'python', runDir: dir })
    expect(running.engines.server).toBe('gunicorn')
    const master = running.processes().find((p) => p.role === 'master')?.pid as number
    const cmdline = readFileSync(`/proc/${master}/cmdline`, 'utf8').split('\0')
    expect(cmdline.slice(0, 2)).toEqual([`${bin}/python3`, path.join(bin, 'gunicorn')])
    const res = await fetch(`${running.url}/work?io_ms=0&cpu_ms=0&bytes=16`)
    expect((await res.clone().text()).length).toBe(16)
    expect(res.status).toBe(200)
  })
})
