import { describe, expect, it } from 'vitest'
import { formatDoctor, type DoctorRow } from '../../lab/commands/doctor.js'
import { ELSEWHERE, installLines } from '../../lab/engines/packages.js'
import { APPS, engines, packagesOf } from '../../lab/engines/registry.js'

const missing = (engine: string, install: string[]): DoctorRow => ({ engine, role: 'r', found: false, version: '', path: '', note: '', install, source: 'debian' })

describe('lab doctor’s install lines for other systems', () => {
  it('knows a Fedora name for every Debian package the registry names, and a Homebrew formula or pip distribution for each', () => {
    const debian = new Set([...engines().flatMap((e) => packagesOf(e)), ...Object.values(APPS).flatMap((a) => a.packages)])
    for (const p of debian) {
      expect(ELSEWHERE[p]?.dnf, p).toBeTruthy()
      if (p !== 'uwsgi-plugin-python3') expect(ELSEWHERE[p]?.brew ?? ELSEWHERE[p]?.pip, p).toBeTruthy()
    }
  })

  it('gives apt, dnf and Homebrew lines with each system’s own names', () => {
    expect(installLines(['gunicorn', 'python3-gevent'])).toEqual({
      apt: 'apt-get install -y gunicorn python3-gevent',
      dnf: 'dnf install -y python3-gunicorn python3-gevent',
      brew: '~/lab-venv/bin/pip install gunicorn gevent',
    })
    expect(installLines(['apache2', 'libapache2-mod-wsgi-py3'])).toEqual({
      apt: 'apt-get install -y apache2 libapache2-mod-wsgi-py3',
      dnf: 'dnf install -y httpd python3-mod_wsgi',
      brew: 'brew install httpd && ~/lab-venv/bin/pip install mod_wsgi',
    })
    expect(installLines(['nginx']).brew).toBe('brew install nginx')
  })

  it('prints the three lines for each missing engine, after the one apt line for them all', () => {
    const text = formatDoctor([missing('uvicorn', ['uvicorn', 'python3-uvloop', 'python3-httptools']), missing('nginx', ['nginx'])], ['/usr/bin'])
    expect(text).toContain('  apt-get install -y uvicorn python3-uvloop python3-httptools nginx\n')
    expect(text).toContain(
      [
        '  uvicorn',
        '    apt:  apt-get install -y uvicorn python3-uvloop python3-httptools',
        '    dnf:  dnf install -y python3-uvicorn python3-uvloop python3-httptools',
        '    brew: ~/lab-venv/bin/pip install uvicorn uvloop httptools',
        '  nginx',
        '    apt:  apt-get install -y nginx',
        '    dnf:  dnf install -y nginx',
        '    brew: brew install nginx',
      ].join('\n'),
    )
  })
})
