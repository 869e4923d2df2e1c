/**
 * Command lines and config files of the real engines, the engine choice per
 * stack, and `lab doctor`'s "missing" output (with an empty search path, so
 * it holds on a machine that has every engine). Nothing here starts an engine.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { doctorCommand } from '../../lab/commands/doctor.js'
import type { ServerDef, TopologyDef } from '../../lab/core/scenario.js'
import { aptInstall, firstError, pythonEnv } from '../../lab/engines/common.js'
import { effectiveWorkerClass, gunicornArgs, gunicornConfig, gunicornEvent, parseGunicornVersion } from '../../lab/engines/gunicorn.js'
import { nginxArgs, nginxConf, parseNginxVersion } from '../../lab/engines/nginx.js'
import { APPS, engineVersions, requireEngines, serverEngineOf } from '../../lab/engines/registry.js'
import { EngineMissingError } from '../../lab/engines/types.js'
import { parseUvicornVersion, uvicornArgs } from '../../lab/engines/uvicorn.js'

const empty = mkdtempSync(path.join(os.tmpdir(), 'lab-no-engines-'))
afterAll(() => rmSync(empty, { recursive: true, force: true }))

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name)
  return i < 0 ? undefined : args[i + 1]
}

const server = (model: ServerDef['model'], extra: Record<string, unknown> = {}) =>
  ({ model, workers: 4, timeout_s: 30, backlog: 2048, ...extra }) as ServerDef

describe('gunicorn', () => {
  const base = { port: 41234, app: 'wsgi_app:application', workers: 4, timeoutS: 30, backlog: 2048, appsDir: '/lab/apps' }

  it('binds 127.0.0.1 on the given port and serves the WSGI app from lab/apps', () => {
    const args = gunicornArgs(base)
    expect(flag(args, '--bind')).toBe('127.0.0.1:41234')
    expect(flag(args, '--chdir')).toBe('/lab/apps')
    expect(args.at(-1)).toBe('wsgi_app:application')
  })

  it('serves the Flask app when asked', () => {
    expect(gunicornArgs(gunicornConfig(server('prefork', { app: 'flask' }), APPS.flask.entries.wsgi as string, 41234)).at(-1)).toBe('flask_app:application')
  })

  it('passes worker_connections as --worker-connections, and leaves Gunicorn its default otherwise', () => {
    expect(flag(gunicornArgs(gunicornConfig(server('threaded', { threads: 2, worker_connections: 2 }), 'wsgi_app:application', 41234)), '--worker-connections')).toBe('2')
    expect(gunicornArgs(gunicornConfig(server('threaded', { threads: 2 }), 'wsgi_app:application', 41234))).not.toContain('--worker-connections')
  })

  it('runs the gthread worker for the threaded model, and keeps no connection alive when keepAlive is false', () => {
    const c = gunicornConfig(server('threaded', { threads: 4, keepAlive: false }), 'wsgi_app:application', 41234)
    expect(flag(gunicornArgs(c), '--worker-class')).toBe('gthread')
    expect(flag(gunicornArgs(c), '--threads')).toBe('4')
    expect(flag(gunicornArgs(c), '--keep-alive')).toBe('0')
  })

  it('passes workers, timeout and backlog explicitly and runs the sync worker by default', () => {
    const args = gunicornArgs({ ...base, workers: 8, timeoutS: 10, backlog: 64 })
    expect(flag(args, '--workers')).toBe('8')
    expect(flag(args, '--timeout')).toBe('10')
    expect(flag(args, '--backlog')).toBe('64')
    expect(flag(args, '--worker-class')).toBe('sync')
    expect(args).not.toContain('--threads')
  })

  it('rounds a fractional timeout up, because Gunicorn 20.1 takes whole seconds', () => {
    expect(flag(gunicornArgs({ ...base, timeoutS: 2.5 }), '--timeout')).toBe('3')
  })

  it('switches to gthread with --threads when threads > 1, as Gunicorn itself does', () => {
    expect(effectiveWorkerClass({ threads: 1 })).toBe('sync')
    expect(effectiveWorkerClass({ threads: 8 })).toBe('gthread')
    const args = gunicornArgs({ ...base, threads: 8 })
    expect(flag(args, '--worker-class')).toBe('gthread')
    expect(flag(args, '--threads')).toBe('8')
  })

  it('passes keep-alive only when it is set, and max-requests with its jitter only when recycling is on', () => {
    expect(gunicornArgs(base)).not.toContain('--keep-alive')
    expect(flag(gunicornArgs({ ...base, keepAliveS: 0 }), '--keep-alive')).toBe('0')
    expect(gunicornArgs({ ...base, maxRequests: 0, maxRequestsJitter: 5 })).not.toContain('--max-requests')
    const args = gunicornArgs({ ...base, maxRequests: 1000, maxRequestsJitter: 50 })
    expect(flag(args, '--max-requests')).toBe('1000')
    expect(flag(args, '--max-requests-jitter')).toBe('50')
  })

  it('logs to stderr, where the lab copies it into the run folder', () => {
    expect(flag(gunicornArgs(base), '--error-logfile')).toBe('-')
  })

  it('reads its version from `gunicorn --version`', () => {
    expect(parseGunicornVersion('gunicorn (version 20.1.0)\n')).toBe('20.1.0')
    expect(parseGunicornVersion('command not found')).toBeUndefined()
  })

  it("turns the arbiter's log lines about workers into lab events", () => {
    const at = '[2026-11-22 10:00:00 +0000] [100] '
    expect(gunicornEvent(`${at}[INFO] Booting worker with pid: 123`)).toEqual({ kind: 'worker-spawn', pid: 123, message: 'worker 123 booted' })
    expect(gunicornEvent(`${at}[CRITICAL] WORKER TIMEOUT (pid:123)`)?.kind).toBe('worker-timeout')
    expect(gunicornEvent(`${at}[WARNING] Worker with pid 123 was terminated due to signal 9`)).toMatchObject({ kind: 'worker-exit', pid: 123 })
    expect(gunicornEvent(`${at}[INFO] Worker exiting (pid: 123)`)).toMatchObject({ kind: 'worker-exit', pid: 123 })
    expect(gunicornEvent(`${at}[INFO] Listening at: http://127.0.0.1:8000 (100)`)).toBeUndefined()
  })
})

describe('uvicorn', () => {
  const base = { port: 41235, app: 'asgi_app:app', backlog: 2048, appsDir: '/lab/apps' }

  it('binds 127.0.0.1 on the given port and serves the ASGI app from lab/apps in one worker process', () => {
    const args = uvicornArgs(base)
    expect(args[0]).toBe('asgi_app:app')
    expect(flag(args, '--app-dir')).toBe('/lab/apps')
    expect(flag(args, '--host')).toBe('127.0.0.1')
    expect(flag(args, '--port')).toBe('41235')
    expect(flag(args, '--workers')).toBe('1')
    expect(flag(args, '--backlog')).toBe('2048')
  })

  it('uses uvloop and httptools when installed, and turns the access log off by default', () => {
    const args = uvicornArgs(base)
    expect(flag(args, '--loop')).toBe('auto')
    expect(flag(args, '--http')).toBe('auto')
    expect(flag(args, '--lifespan')).toBe('auto')
    expect(args).toContain('--no-access-log')
    expect(uvicornArgs({ ...base, accessLog: true })).toContain('--access-log')
  })

  it('maps limit_concurrency and the keep-alive timeout (rounded up to whole seconds)', () => {
    expect(uvicornArgs(base)).not.toContain('--limit-concurrency')
    const args = uvicornArgs({ ...base, limitConcurrency: 100, keepAliveTimeoutS: 1.5 })
    expect(flag(args, '--limit-concurrency')).toBe('100')
    expect(flag(args, '--timeout-keep-alive')).toBe('2')
  })

  it('closes every connection after its response when keep-alive is off, through a Connection: close header', () => {
    expect(flag(uvicornArgs({ ...base, keepAlive: false }), '--header')).toBe('connection:close')
    expect(uvicornArgs({ ...base, keepAlive: true })).not.toContain('--header')
  })

  it('reads its version from `uvicorn --version`', () => {
    expect(parseUvicornVersion('Running uvicorn 0.17.6 with CPython 3.11.2 on Linux\n')).toBe('0.17.6')
  })
})

describe('nginx', () => {
  const base = { port: 8080, upstreams: [9000], user: null }

  it('runs in the foreground with a master process, its prefix being the temp folder', () => {
    const conf = nginxConf(base)
    expect(conf).toMatch(/^daemon off;$/m)
    expect(conf).toMatch(/^master_process on;$/m)
    expect(nginxArgs('/tmp/lab-nginx-x')).toEqual(['-p', '/tmp/lab-nginx-x/', '-c', 'nginx.conf', '-e', 'stderr'])
  })

  it('keeps its pid file, logs and every temp path inside the prefix folder (relative paths only)', () => {
    const conf = nginxConf(base)
    for (const directive of ['pid', 'error_log', 'client_body_temp_path', 'proxy_temp_path', 'fastcgi_temp_path', 'uwsgi_temp_path', 'scgi_temp_path']) {
      const m = new RegExp(`^\\s*${directive} (\\S+)`, 'm').exec(conf)
      expect(m, directive).not.toBeNull()
      expect(m?.[1]?.startsWith('/'), directive).toBe(false)
    }
    expect(conf).toMatch(/access_log access\.log /)
    expect(nginxConf({ ...base, accessLog: false })).toMatch(/access_log off;/)
  })

  it('listens on 127.0.0.1 only and proxies to an upstream block of the servers', () => {
    const conf = nginxConf({ ...base, upstreams: [9000, 9001], backlog: 128 })
    expect(conf.match(/^\s*listen .*$/gm)).toEqual(['        listen 127.0.0.1:8080 backlog=128;'])
    expect(conf).toContain('server 127.0.0.1:9000;')
    expect(conf).toContain('server 127.0.0.1:9001;')
    expect(conf).toContain('proxy_pass http://app;')
  })

  it("keeps nginx's defaults unless told: buffering on, HTTP/1.0 upstream without kept connections, round robin, one worker", () => {
    const conf = nginxConf(base)
    expect(conf).not.toContain('proxy_buffering')
    expect(conf).not.toContain('proxy_http_version')
    expect(conf).not.toContain('keepalive ')
    expect(conf).not.toContain('least_conn')
    expect(conf).toMatch(/^worker_processes 1;$/m)
  })

  it('turns buffering off, keeps upstream connections (with HTTP/1.1) and balances by least connections when asked', () => {
    const conf = nginxConf({ ...base, buffering: false, requestBuffering: false, upstreamKeepalive: 16, balance: 'least-conn', workerProcesses: 'auto' })
    expect(conf).toContain('proxy_buffering off;')
    expect(conf).toContain('proxy_request_buffering off;')
    expect(conf).toContain('keepalive 16;')
    expect(conf).toContain('proxy_http_version 1.1;')
    expect(conf).toContain('proxy_set_header Connection "";')
    expect(conf).toContain('least_conn;')
    expect(conf).toMatch(/^worker_processes auto;$/m)
  })

  it('names the workers\' user only when given one (the directive only matters for a root master)', () => {
    expect(nginxConf(base)).not.toMatch(/^user /m)
    expect(nginxConf({ ...base, user: 'lab lab' })).toMatch(/^user lab lab;$/m)
  })

  it('reads its version from what `nginx -v` prints to stderr', () => {
    expect(parseNginxVersion('nginx version: nginx/1.22.1\n')).toBe('1.22.1')
  })
})

describe('engine choice', () => {
  const prefork: TopologyDef = { server: server('prefork') }
  const async: TopologyDef = { server: server('event-loop') }

  it('maps prefork to node-prefork on the node stack and to gunicorn on the python stack', () => {
    expect(serverEngineOf(prefork.server, 'node').name).toBe('node-prefork')
    expect(serverEngineOf(prefork.server, 'python').name).toBe('gunicorn')
  })

  it('maps event-loop to node-event-loop on the node stack and to uvicorn on the python stack', () => {
    expect(serverEngineOf(async.server, 'node').name).toBe('node-event-loop')
    expect(serverEngineOf(async.server, 'python').name).toBe('uvicorn')
  })

  it('lets a topology pin its engine, so node-prefork and gunicorn can run side by side on one stack', () => {
    expect(serverEngineOf(server('prefork', { engine: 'gunicorn' }), 'node').name).toBe('gunicorn')
    expect(serverEngineOf(server('prefork', { engine: 'node-prefork' }), 'python').name).toBe('node-prefork')
  })

  it('refuses an engine that does not run the model, naming the ones that do', () => {
    expect(() => serverEngineOf(server('prefork', { engine: 'uvicorn' }), 'python')).toThrow('server.engine: uvicorn does not run model prefork; engines that do: node-prefork, gunicorn')
  })

  it('throws EngineMissingError with the install command before anything starts when an engine is missing', async () => {
    const err = await requireEngines([prefork], 'python', { searchPath: [empty] }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(EngineMissingError)
    expect((err as EngineMissingError).engine).toBe('gunicorn')
    expect((err as EngineMissingError).installCommand).toBe('apt-get install -y gunicorn')
    await expect(requireEngines([prefork, async], 'node', { searchPath: [empty] })).resolves.toEqual({})
  })

  it('installs every missing engine and app a run needs with one line: the server, the proxy, and Flask for the flask app', async () => {
    const def = { server: server('prefork', { app: 'flask' }), proxy: { engine: 'nginx' } } as unknown as TopologyDef
    const err = await requireEngines([def], 'python', { searchPath: [empty] }).catch((e: unknown) => e)
    expect((err as EngineMissingError).installCommand).toBe('apt-get install -y gunicorn nginx python3-flask')
  })

  it('lists no versions for engines that are missing or built in', async () => {
    expect(await engineVersions([prefork, async], 'python', { searchPath: [empty] })).toEqual({})
    expect(await engineVersions([prefork], 'node')).toEqual({})
  })

  it('installs with one apt-get line, each package once', () => {
    expect(aptInstall(['uvicorn', 'python3-uvloop', 'nginx', 'uvicorn'])).toBe('apt-get install -y uvicorn python3-uvloop nginx')
  })

  it("starts Python engines without the caller's PYTHONHOME, PYTHONPATH and worker-count overrides", () => {
    const env = pythonEnv({ PATH: '/usr/bin', PYTHONHOME: '/x', PYTHONPATH: '/y', WEB_CONCURRENCY: '9', GUNICORN_CMD_ARGS: '-w 9' })
    expect(env).toEqual({ PATH: '/usr/bin', PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' })
  })
})

describe('start failures', () => {
  it("quote the engine's first error: the exception that ends a Python traceback, or an error-level log line", () => {
    const traceback = ['[2026-11-22 10:00:00 +0000] [7] [INFO] Booting worker with pid: 7', 'Traceback (most recent call last):', '  File "x.py", line 1', 'RuntimeError: boom', 'gunicorn.errors.HaltServer: <HaltServer>']
    expect(firstError(traceback.join('\n'))).toBe('RuntimeError: boom')
    expect(firstError('nginx: [emerg] bind() to 127.0.0.1:80 failed (98: Address already in use)')).toMatch(/^nginx: \[emerg\] bind/)
    expect(firstError('INFO: all is well')).toBeUndefined()
  })
})

describe('lab doctor', () => {
  // the link section's own tests are in doctor-links.test.ts; here a fixed answer keeps `ip` and `tc` out of unit tests
  const detectLinks = () => Promise.resolve({ ok: true, tbf: true, netem: false })

  it('lists every engine as missing, with the apt-get line, when none is in the search path, and still exits 0', async () => {
    let text = ''
    const code = await doctorCommand({ searchPath: [empty], detectLinks, write: (t) => (text += t) })
    expect(code).toBe(0)
    for (const engine of ['gunicorn', 'uvicorn', 'flask', 'nginx']) expect(text).toMatch(new RegExp(`^${engine}\\s.*MISSING`, 'm'))
    for (const engine of ['node-prefork', 'node-event-loop', 'node-reverse-proxy']) expect(text).toMatch(new RegExp(`^${engine}\\s`, 'm'))
    expect(text).toMatch(/apt-get install -y gunicorn uvicorn python3-uvloop python3-httptools nginx .*python3-flask/)
    expect(text).toContain(`looked up in ${empty}`)
  })

  it('shows the built-in servers as not built when their compiled programs are absent', async () => {
    let text = ''
    await doctorCommand({ searchPath: [empty], builtinDir: empty, detectLinks, write: (t) => (text += t) })
    expect(text).toMatch(/^node-prefork\s.*MISSING.*npm run build/m)
  })
})
