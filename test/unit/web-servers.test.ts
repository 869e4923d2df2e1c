/**
 * The config files the lab writes for Apache httpd and Caddy as reverse
 * proxies (lab/engines/apache.ts, caddy.ts). Nothing here starts an engine.
 */
import { describe, expect, it } from 'vitest'
import { proxySchema } from '../../lab/core/scenario.js'
import { apacheConf, apacheProxyConfig, parseApacheVersion } from '../../lab/engines/apache.js'
import { caddyfile, caddyProxyConfig, parseCaddyVersion } from '../../lab/engines/caddy.js'
import { nginxConf, nginxProxyConfig } from '../../lab/engines/nginx.js'
import { reverseProxyConfig } from '../../lab/engines/node-reverse-proxy.js'

const proxy = (extra: Record<string, unknown> = {}) => proxySchema.parse({ model: 'reverse-proxy', ...extra })

describe('apache', () => {
  it('reads the version from apache2 -v', () => {
    expect(parseApacheVersion('Server version: Apache/2.4.62 (Debian)\nServer built: ...')).toBe('2.4.62')
  })

  it('listens on 127.0.0.1 only and keeps its pid file, error log and mutexes in its own folder', () => {
    const conf = apacheConf({ port: 8080, upstreams: [9001], dir: '/tmp/lab-apache-x', user: null })
    expect(conf).toContain('Listen 127.0.0.1:8080')
    expect(conf).toContain('ServerRoot "/tmp/lab-apache-x"')
    expect(conf).toContain('DefaultRuntimeDir "/tmp/lab-apache-x"')
    expect(conf).toContain('Mutex file:/tmp/lab-apache-x default')
    expect(conf).toMatch(/^PidFile httpd\.pid$/m)
    expect(conf).not.toMatch(/\/etc\//)
    expect(conf).not.toMatch(/^User /m)
  })

  it('runs mpm_event with mod_proxy_http and puts every upstream in a balancer', () => {
    const conf = apacheConf({ port: 8080, upstreams: [9001, 9002], dir: '/d', user: null })
    expect(conf).toContain('LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so')
    expect(conf).toContain('LoadModule proxy_http_module /usr/lib/apache2/modules/mod_proxy_http.so')
    expect(conf).toContain('BalancerMember http://127.0.0.1:9001 route=127.0.0.1:9001')
    expect(conf).toContain('BalancerMember http://127.0.0.1:9002 route=127.0.0.1:9002')
    expect(conf).toContain('ProxyPass / balancer://app/')
  })

  it('balances by request count for round-robin and by requests in flight for least-conn', () => {
    const rr = apacheConf(apacheProxyConfig(proxy({ balance: 'round-robin' }), [1], 2, '/d'))
    const lc = apacheConf(apacheProxyConfig(proxy({ balance: 'least-conn' }), [1], 2, '/d'))
    expect(rr).toContain('ProxySet lbmethod=byrequests')
    expect(lc).toContain('ProxySet lbmethod=bybusyness')
  })

  it('serves /static/ itself and never passes it upstream', () => {
    const conf = apacheConf(apacheProxyConfig(proxy({ static_dir: 'static' }), [1], 2, '/d', '/scen'))
    expect(conf).toContain('ProxyPass /static/ !')
    expect(conf).toContain('Alias /static/ "/scen/static/"')
    expect(conf.indexOf('ProxyPass /static/ !')).toBeLessThan(conf.indexOf('ProxyPass / balancer'))
  })

  it('runs its children as www-data when asked to, because Apache refuses to serve as root', () => {
    expect(apacheConf({ port: 1, upstreams: [2], dir: '/d', user: 'www-data' })).toMatch(/^User www-data\nGroup www-data$/m)
  })

  it('refuses a micro-cache, which the lab does not configure on Apache', () => {
    expect(() => apacheProxyConfig(proxy({ cache_ttl_s: 1 }), [1], 2, '/d')).toThrow(/cache_ttl_s must be 0/)
  })
})

describe('caddy', () => {
  it('reads the version from caddy version, with or without a v and a hash', () => {
    expect(parseCaddyVersion('2.6.2')).toBe('2.6.2')
    expect(parseCaddyVersion('v2.7.6 h1:w0NymbG2m9PcvKWsrXO6EEkY9Ru4FJK8uQbYcev1p3A=')).toBe('2.7.6')
  })

  it('turns the admin endpoint and automatic HTTPS off and binds 127.0.0.1 only', () => {
    const text = caddyfile({ port: 8080, upstreams: [9001] })
    expect(text).toMatch(/^\tadmin off$/m)
    expect(text).toMatch(/^\tauto_https off$/m)
    expect(text).toContain('http://:8080 {')
    expect(text).toMatch(/^\tbind 127\.0\.0\.1$/m)
  })

  it('proxies to every upstream with the policy the part asks for', () => {
    const rr = caddyfile(caddyProxyConfig(proxy(), [9001, 9002], 8080))
    const lc = caddyfile(caddyProxyConfig(proxy({ balance: 'least-conn' }), [9001], 8080))
    expect(rr).toContain('reverse_proxy 127.0.0.1:9001 127.0.0.1:9002 {')
    expect(rr).toContain('lb_policy round_robin')
    expect(lc).toContain('lb_policy least_conn')
  })

  it('keeps its streaming default unless buffering is asked for by name', () => {
    expect(caddyfile(caddyProxyConfig(proxy(), [1], 2))).not.toMatch(/buffer_/)
    const buffered = caddyfile({ port: 1, upstreams: [2], bufferRequests: true, bufferResponses: true })
    expect(buffered).toMatch(/^\t\t\tbuffer_requests$/m)
    expect(buffered).toMatch(/^\t\t\tbuffer_responses$/m)
  })

  it('serves /static/ with file_server from the scenario folder', () => {
    const text = caddyfile(caddyProxyConfig(proxy({ static_dir: 'static' }), [1], 2, '/scen'))
    expect(text).toContain('handle_path /static/* {')
    expect(text).toContain('root * /scen/static')
    expect(text).toContain('file_server')
  })
})

describe('engine_buffering', () => {
  it('spools request bodies on Apache with proxy-sendcl, loading mod_env for SetEnv', () => {
    const on = apacheConf({ ...apacheProxyConfig(proxy({ engine: 'apache', engine_buffering: true }), [9001], 8080, '/d'), user: null })
    expect(on).toMatch(/^LoadModule env_module .*mod_env\.so$/m)
    expect(on).toMatch(/^SetEnv proxy-sendcl 1$/m)
    const off = apacheConf({ ...apacheProxyConfig(proxy({ engine: 'apache' }), [9001], 8080, '/d'), user: null })
    expect(off).not.toMatch(/proxy-sendcl/)
  })

  it('buffers requests and responses on Caddy only when asked', () => {
    expect(caddyfile(caddyProxyConfig(proxy({ engine: 'caddy', engine_buffering: true }), [9001], 8080))).toMatch(/buffer_requests\n\t+buffer_responses/)
    expect(caddyfile(caddyProxyConfig(proxy({ engine: 'caddy' }), [9001], 8080))).not.toMatch(/buffer_/)
  })
})

describe('tls', () => {
  it('has Apache load mod_ssl and read the certificate and key from its own folder', () => {
    const conf = apacheConf({ ...apacheProxyConfig(proxy({ engine: 'apache', tls: true }), [9001], 8080, '/tmp/lab-apache-x'), user: null })
    expect(conf).toMatch(/^LoadModule ssl_module .*mod_ssl\.so$/m)
    expect(conf).toMatch(/^SSLEngine on$/m)
    expect(conf).toContain('SSLCertificateFile "/tmp/lab-apache-x/cert.pem"')
    expect(conf).toContain('SSLCertificateKeyFile "/tmp/lab-apache-x/key.pem"')
    expect(apacheConf({ port: 8080, upstreams: [9001], dir: '/d', user: null })).not.toMatch(/SSLEngine/)
  })

  it('has Caddy serve an https site with the given certificate, choosing it for clients that send no SNI', () => {
    const file = caddyfile({ port: 8443, upstreams: [9001], tlsDir: '/tmp/lab-caddy-x' })
    expect(file).toMatch(/^https:\/\/:8443 \{$/m)
    expect(file).toContain('\ttls /tmp/lab-caddy-x/cert.pem /tmp/lab-caddy-x/key.pem')
    expect(file).toMatch(/^\tdefault_sni 127\.0\.0\.1$/m)
    expect(caddyfile({ port: 8080, upstreams: [9001] })).toMatch(/^http:\/\/:8080 \{$/m)
  })

  it('has nginx listen with ssl and the certificate from its prefix folder', () => {
    const conf = nginxConf({ ...nginxProxyConfig(proxy({ engine: 'nginx', tls: true }), [9001], 8443), user: null })
    expect(conf).toContain('listen 127.0.0.1:8443 ssl;')
    expect(conf).toContain('ssl_certificate cert.pem;')
    expect(conf).toContain('ssl_certificate_key key.pem;')
  })

  it('is refused by the built-in proxy, which speaks plain HTTP only', () => {
    expect(() => reverseProxyConfig(proxy({ tls: true }), [9001])).toThrow(/plain HTTP only/)
  })
})
