import { describe, expect, it } from 'vitest'
import { validateScenario } from '../../lab/core/scenario.js'
import { workPath } from '../../lab/run/level.js'
import { route } from '../../lab/servers/workload.js'
import reload from '../../scenarios/graceful-reload/scenario.js'
import recycling from '../../scenarios/worker-recycling/scenario.js'
import { requestKinds } from '../../lab/core/mix.js'
import { makePlan } from '../../lab/core/plan.js'
import { gunicornArgs, gunicornConfig } from '../../lab/engines/gunicorn.js'
import { nginxConf, nginxProxyConfig } from '../../lab/engines/nginx.js'
import { resolveTopology } from '../../lab/engines/registry.js'
import { uvicornArgs, uvicornConfig } from '../../lab/engines/uvicorn.js'
import { uwsgiArgs, uwsgiConfig } from '../../lab/engines/uwsgi.js'
import preload from '../../scenarios/preload/scenario.js'
import proxyHeaders from '../../scenarios/proxy-headers/scenario.js'
import rateLimiting from '../../scenarios/rate-limiting/scenario.js'

describe('deploys and leaks in scenarios', () => {
  it('accepts graceful-reload with a restart, a HUP, a USR2 and a proxy-reload topology', () => {
    const v = validateScenario(reload, 'graceful-reload')
    expect(v.ok).toBe(true)
    if (!v.ok) return
    expect(Object.values(v.value.topologies).map((t) => t.deploy?.how)).toEqual(['restart', 'hup', 'usr2', 'proxy-reload'])
  })

  it('refuses a deploy the lab does not know', () => {
    const v = validateScenario({ ...reload, topologies: { t: { server: { model: 'prefork' }, deploy: { at_s: 1, how: 'winch' } } } })
    expect(v).toEqual({ ok: false, problems: [`topologies.t.deploy.how: "winch" is not allowed; expected 'restart', 'hup', 'usr2' or 'proxy-reload'`] })
  })

  it('puts leak_kb in the /work path only when it is set', () => {
    const v = validateScenario(recycling, 'worker-recycling')
    expect(v.ok).toBe(true)
    if (!v.ok) return
    expect(workPath(v.value.workloads['leak-512k']!)).toBe('/work?io_ms=20&cpu_ms=0&bytes=1024&leak_kb=512')
    expect(workPath({ ...v.value.workloads['leak-512k']!, leak_kb: 0 })).toBe('/work?io_ms=20&cpu_ms=0&bytes=1024')
  })

  it("passes max_requests to uWSGI as --max-requests and refuses jitter there (uWSGI 2.0 has no --max-requests-delta)", () => {
    const s = validateScenario(recycling, 'worker-recycling')
    if (!s.ok) throw new Error(s.problems.join('\n'))
    const server = s.value.topologies['uwsgi-max-requests']!.server
    const args = uwsgiArgs(uwsgiConfig(server, 'wsgi_app:application', 41000))
    expect(args.slice(args.indexOf('--max-requests'), args.indexOf('--max-requests') + 2)).toEqual(['--max-requests', '40'])
    expect(uwsgiArgs(uwsgiConfig({ ...server, max_requests: 0 }, 'wsgi_app:application', 41000))).not.toContain('--max-requests')
    expect(() => resolveTopology({ server: { ...server, max_requests_jitter: 10 } }, 'python')).toThrow('server.max_requests_jitter: uWSGI 2.0 has no jitter')
  })

  it('routes leak_kb to the built-in servers and answers 400 above its bound', () => {
    expect(route('GET', '/work?leak_kb=512')).toMatchObject({ kind: 'work', leakKb: 512 })
    expect(route('GET', '/work?leak_kb=10241')).toMatchObject({ kind: 'error', status: 400 })
  })
})

describe('the operations scenarios: preload, rate-limiting, proxy-headers', () => {
  const valid = (input: unknown, name: string) => {
    const v = validateScenario(input, name)
    if (!v.ok) throw new Error(v.problems.join('\n'))
    return v.value
  }

  it('validate, each with a topology that changes only the setting the lesson is about', () => {
    expect(valid(preload, 'preload').topologies.preload?.server.preload).toBe(true)
    expect(valid(rateLimiting, 'rate-limiting').topologies['limit-req']?.proxy?.limit_req).toEqual({ rate_per_s: 2, burst: 2, nodelay: true, status: 429 })
    expect(valid(proxyHeaders, 'proxy-headers').topologies['uvicorn-trust-all']?.server.forwarded_allow_ips).toBe('*')
  })

  it("sends a mix entry's client as &client= on its path, the key nginx's limit_req counts by", () => {
    const w = valid(rateLimiting, 'rate-limiting').workloads['abuser-and-normal']!
    expect(requestKinds(w).map((k) => k.path)).toEqual(['/work?io_ms=50&cpu_ms=0&bytes=1024', '/work?io_ms=300&cpu_ms=0&bytes=1024&client=abuser'])
  })

  it('writes limit_req_zone keyed by $arg_client, and limit_req with burst, nodelay and the status', () => {
    const p = valid(rateLimiting, 'rate-limiting').topologies['limit-req']!.proxy!
    const conf = nginxConf({ ...nginxProxyConfig(p, [41000], 41001), user: null })
    expect(conf).toContain('limit_req_zone $arg_client zone=lab_limit:1m rate=2r/s;')
    expect(conf).toContain('limit_req zone=lab_limit burst=2 nodelay;')
    expect(conf).toContain('limit_req_status 429;')
    const none = nginxConf({ ...nginxProxyConfig(valid(rateLimiting, 'rate-limiting').topologies['no-limit']!.proxy!, [41000], 41001), user: null })
    expect(none).not.toContain('limit_req')
  })

  it('writes limit_conn_zone keyed by $arg_client, and limit_conn with its count and status, only when asked', () => {
    const t = valid(rateLimiting, 'rate-limiting').topologies
    const conf = nginxConf({ ...nginxProxyConfig(t['limit-conn']!.proxy!, [41000], 41001), user: null })
    expect(conf).toContain('limit_conn_zone $arg_client zone=lab_conn:1m;')
    expect(conf).toContain('limit_conn lab_conn 1;')
    expect(conf).toContain('limit_conn_status 429;')
    expect(nginxConf({ ...nginxProxyConfig(t['limit-req']!.proxy!, [41000], 41001), user: null })).not.toContain('limit_conn')
  })

  it('measures the unloaded baseline on the normal clients alone at their own rate, the other topologies on the mix at twice it', () => {
    const s = valid(rateLimiting, 'rate-limiting')
    const p = makePlan(s)
    if (!p.ok) throw new Error(p.problems.join())
    const levels = p.value.levels.map((l) => `${l.topology}/${l.workload}@${l.openLoop?.ratePerSecond}`)
    expect(levels).toEqual(['unloaded/normal-alone@30', 'no-limit/abuser-and-normal@60', 'limit-req/abuser-and-normal@60', 'limit-req-delay/abuser-and-normal@60', 'limit-conn/abuser-and-normal@60'])
  })

  it('passes --preload and --forwarded-allow-ips to Gunicorn, and --proxy-headers --forwarded-allow-ips to Uvicorn, only when asked', () => {
    const s = valid(preload, 'preload')
    expect(gunicornArgs(gunicornConfig(s.topologies.preload!.server, 'big_app:application', 41000))).toContain('--preload')
    expect(gunicornArgs(gunicornConfig(s.topologies['per-worker-import']!.server, 'big_app:application', 41000))).not.toContain('--preload')
    const h = valid(proxyHeaders, 'proxy-headers').topologies
    const args = gunicornArgs(gunicornConfig(h['gunicorn-trust-none']!.server, 'whoami_app:application', 41000))
    expect(args.slice(args.indexOf('--forwarded-allow-ips'), args.indexOf('--forwarded-allow-ips') + 2)).toEqual(['--forwarded-allow-ips', '192.0.2.1'])
    expect(gunicornArgs(gunicornConfig(h['gunicorn-default']!.server, 'whoami_app:application', 41000))).not.toContain('--forwarded-allow-ips')
    expect(uvicornArgs(uvicornConfig(h['uvicorn-trust-all']!.server, 'whoami_app:app', 41000)).join(' ')).toContain('--proxy-headers --forwarded-allow-ips *')
  })

  it('runs limit_req and limit_conn on the built-in proxy under --stack node and on nginx under --stack python', () => {
    const topo = (t: unknown) => valid({ name: 't', title: 't', summary: 't', topologies: { t }, workloads: { w: {} }, load: { connections: [1] } }, 't').topologies.t!
    const limited = topo({ server: { model: 'prefork' }, proxy: { limit_req: { rate_per_s: 1 }, limit_conn: { connections: 1 } } })
    expect(resolveTopology(limited, 'node').proxy?.name).toBe('node-reverse-proxy')
    expect(resolveTopology(limited, 'python').proxy?.name).toBe('nginx')
    const s = valid(rateLimiting, 'rate-limiting')
    for (const [name, t] of Object.entries(s.topologies)) {
      expect([name, resolveTopology(t, 'node').proxy?.name]).toEqual([name, 'node-reverse-proxy'])
      expect([name, resolveTopology(t, 'python').proxy?.name]).toEqual([name, 'nginx'])
    }
  })

  it('refuses the operations settings on engines that do not have them', () => {
    const topo = (t: unknown) => valid({ name: 't', title: 't', summary: 't', topologies: { t }, workloads: { w: {} }, load: { connections: [1] } }, 't').topologies.t!
    expect(() => resolveTopology(topo({ server: { model: 'prefork' }, proxy: { engine: 'caddy', limit_req: { rate_per_s: 1 } } }), 'node')).toThrow("proxy.limit_req: only nginx and node-reverse-proxy limit requests; this proxy is caddy: pin proxy.engine: 'nginx' or 'node-reverse-proxy'")
    expect(() => resolveTopology(topo({ server: { model: 'prefork' }, proxy: { engine: 'apache', limit_conn: { connections: 1 } } }), 'node')).toThrow('proxy.limit_conn: only nginx and node-reverse-proxy limit connections; this proxy is apache')
    expect(() => resolveTopology(topo({ server: { model: 'prefork', preload: true } }), 'node')).toThrow('server.preload: only gunicorn preloads the app; this server is node-prefork')
    expect(() => resolveTopology(topo({ server: { model: 'prefork', forwarded_allow_ips: '*' } }), 'node')).toThrow('server.forwarded_allow_ips: only gunicorn and uvicorn read it')
    expect(() => topo({ server: { model: 'prefork', forwarded_allow_ips: 'everyone' } })).toThrow("forwarded_allow_ips")
  })
})
