import { describe, expect, it } from 'vitest'
import { DAEMON_NAME, modWsgiConf } from '../../lab/engines/mod-wsgi.js'
import { uwsgiArgs, uwsgiEvent } from '../../lab/engines/uwsgi.js'
import { gunicornWorkerClasses } from '../../lab/engines/gunicorn.js'

describe('uWSGI command line', () => {
  it('runs W processes × T threads on an HTTP socket with harakiri as the timeout and listen as the backlog', () => {
    const a = uwsgiArgs({ port: 9000, app: 'wsgi_app:application', processes: 2, threads: 4, harakiriS: 2.5, listen: 512 })
    const after = (flag: string) => a[a.indexOf(flag) + 1]
    expect(after('--http-socket')).toBe('127.0.0.1:9000')
    expect([after('--processes'), after('--threads'), after('--harakiri'), after('--listen')]).toEqual(['2', '4', '3', '512'])
    expect(after('--module')).toBe('wsgi_app:application')
    expect(a).toContain('--master')
  })

  it('speaks the uwsgi protocol on --socket when asked', () => {
    const a = uwsgiArgs({ port: 9000, app: 'x:y', processes: 1, threads: 1, harakiriS: 0, listen: 100, protocol: 'uwsgi' })
    expect(a[a.indexOf('--socket') + 1]).toBe('127.0.0.1:9000')
    expect(a).not.toContain('--http-socket')
  })

  it('turns the master’s respawn, harakiri and death lines into worker events', () => {
    expect(uwsgiEvent('Respawned uWSGI worker 2 (new pid: 4242)')).toMatchObject({ kind: 'worker-spawn', pid: 4242 })
    expect(uwsgiEvent('*** HARAKIRI ON WORKER 1 (pid: 17, try: 1) ***')).toMatchObject({ kind: 'worker-timeout', pid: 17 })
    expect(uwsgiEvent('DAMN ! worker 1 (pid: 17) died, killed by signal 9 :( trying respawn ...')).toMatchObject({ kind: 'worker-exit', pid: 17 })
    expect(uwsgiEvent('spawned uWSGI master process (pid: 1)')).toBeUndefined()
  })
})

describe('mod_wsgi httpd.conf', () => {
  const base = { port: 9001, app: 'wsgi_app:application', appsDir: '/apps', runDir: '/run/x', processes: 2, threads: 3, backlog: 511, requestTimeoutS: 30 }

  it('runs the app in W daemon processes × T threads, named so they can be told from Apache’s children', () => {
    const conf = modWsgiConf({ ...base, mode: 'daemon' })
    expect(conf).toContain(`WSGIDaemonProcess lab processes=2 threads=3 display-name=${DAEMON_NAME} python-path=/apps request-timeout=30`)
    expect(conf).toContain('WSGIScriptAlias / /apps/wsgi_app.py process-group=lab application-group=%{GLOBAL}')
    expect(conf).toContain('Listen 127.0.0.1:9001')
    expect(conf).toContain('WSGISocketPrefix /run/x/wsgi')
    expect(conf).toMatch(/LoadModule mpm_event_module \/usr\/lib\/apache2\/modules\/mod_mpm_event.so/)
  })

  it('sizes mpm_event to W processes × T threads in embedded mode, with no daemon', () => {
    const conf = modWsgiConf({ ...base, mode: 'embedded' })
    expect(conf).not.toContain('WSGIDaemonProcess')
    expect(conf).toMatch(/^ServerLimit 2$/m)
    expect(conf).toMatch(/^ThreadsPerChild 3$/m)
    expect(conf).toMatch(/^MaxRequestWorkers 6$/m)
  })

  it('writes nothing outside the run folder', () => {
    const conf = modWsgiConf({ ...base, mode: 'daemon' })
    for (const d of ['PidFile', 'DefaultRuntimeDir', 'ErrorLog', 'ServerRoot']) expect(conf).toMatch(new RegExp(`^${d} /run/x`, 'm'))
  })
})

describe('Gunicorn’s worker classes in the doctor', () => {
  it('lists gevent with its version when Gunicorn’s interpreter imports it, else asks for python3-gevent', () => {
    expect(gunicornWorkerClasses({ name: 'gunicorn', found: true, components: { gevent: '22.10.2' } })).toEqual({ notes: ['worker classes: sync, gthread', 'gevent 22.10.2'], install: [] })
    expect(gunicornWorkerClasses({ name: 'gunicorn', found: true, components: {} }).install).toEqual(['python3-gevent'])
  })
})
