/**
 * A scenario's own files (`config_file`, `app_file`, `location_file`,
 * docs/exercises.md): how the engines' command lines and configs take them.
 */
import { describe, expect, it } from 'vitest'
import { serverSchema } from '../../lab/core/scenario.js'
import { gunicornArgs, gunicornConfig } from '../../lab/engines/gunicorn.js'
import { nginxConf } from '../../lab/engines/nginx.js'
import { uvicornConfig } from '../../lab/engines/uvicorn.js'

const server = (over: object) => serverSchema.parse({ model: 'prefork', ...over })

describe("a scenario's gunicorn.conf.py", () => {
  it('runs with -c and only the bind, folder, logs and app on the command line, the bind on loopback', () => {
    const args = gunicornArgs(gunicornConfig(server({ config_file: 'gunicorn.conf.py' }), 'wsgi_app:application', 8123, '/tmp/run'))
    expect(args.slice(0, 4)).toEqual(['-c', '/tmp/run/gunicorn.conf.py', '--bind', '127.0.0.1:8123'])
    expect(args).not.toContain('--workers')
    expect(args).not.toContain('--timeout')
    expect(args.at(-1)).toBe('wsgi_app:application')
  })
})

describe("a scenario's app file", () => {
  it('is served by Gunicorn as <file>:application from the scenario folder', () => {
    expect(gunicornConfig(server({ app_file: 'app.py' }), 'wsgi_app:application', 1, '/tmp/run')).toMatchObject({ app: 'app:application', appsDir: '/tmp/run' })
  })
  it('is served by Uvicorn as <file>:app from the scenario folder', () => {
    expect(uvicornConfig(server({ model: 'event-loop', app_file: 'app.py' }), 'asgi_app:app', 1, '/tmp/run')).toMatchObject({ app: 'app:app', appsDir: '/tmp/run' })
  })
  it('must be a plain file name in the scenario folder', () => {
    expect(serverSchema.safeParse({ model: 'event-loop', app_file: '../app.py' }).success).toBe(false)
    expect(serverSchema.safeParse({ model: 'event-loop', app_file: '/etc/app.py' }).success).toBe(false)
  })
})

describe("a scenario's nginx location block", () => {
  it("replaces the lab's location / with an include of location.conf, keeping everything else", () => {
    const conf = nginxConf({ port: 8080, upstreams: [9001], staticDir: '/srv/static', location: 'location / { proxy_pass http://app; }', user: null })
    expect(conf).toContain('        include location.conf;')
    expect(conf).not.toContain('        location / {')
    expect(conf).toContain('        location /static/ {')
    expect(conf).toContain('server 127.0.0.1:9001;')
  })
  it("leaves the lab's own location / without one", () => {
    expect(nginxConf({ port: 8080, upstreams: [9001], user: null })).toContain('        location / {')
  })
})
