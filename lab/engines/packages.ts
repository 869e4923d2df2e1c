/**
 * Install lines per platform for the Debian packages the registry names
 * (lab/engines/registry.ts `packagesOf`), for `lab doctor` on laptops that
 * are not Debian: Fedora/RHEL (`dnf`) and macOS (Homebrew, with Python
 * packages from pip in a venv, used through `LAB_ENGINE_PATH`; docs/laptops.md).
 *
 * Names: Debian's from packages.debian.org (trixie); Fedora's from
 * packages.fedoraproject.org (Fedora 41: python3-gunicorn, python3-uvicorn,
 * httpd, python3-mod_wsgi, uwsgi-plugin-python3, ...); Homebrew's formulae
 * from formulae.brew.sh (nginx, caddy, uwsgi, httpd, python). They were not
 * checked against those sites from this machine (it reaches only Debian's
 * mirror and the npm registry): docs/laptops.md says so.
 */

/** Where a Debian package comes from elsewhere: a dnf package, a Homebrew formula, a pip distribution. */
export interface Elsewhere {
  dnf?: string
  brew?: string
  pip?: string
}

/** Debian package → its name on Fedora, Homebrew and PyPI (absent: none there, or not needed). */
export const ELSEWHERE: Readonly<Record<string, Elsewhere>> = {
  nginx: { dnf: 'nginx', brew: 'nginx' },
  caddy: { dnf: 'caddy', brew: 'caddy' },
  apache2: { dnf: 'httpd', brew: 'httpd' },
  'libapache2-mod-wsgi-py3': { dnf: 'python3-mod_wsgi', pip: 'mod_wsgi' },
  uwsgi: { dnf: 'uwsgi', brew: 'uwsgi' },
  'uwsgi-plugin-python3': { dnf: 'uwsgi-plugin-python3' },
  python3: { dnf: 'python3', brew: 'python' },
  gunicorn: { dnf: 'python3-gunicorn', pip: 'gunicorn' },
  uvicorn: { dnf: 'python3-uvicorn', pip: 'uvicorn' },
  'python3-uvloop': { dnf: 'python3-uvloop', pip: 'uvloop' },
  'python3-httptools': { dnf: 'python3-httptools', pip: 'httptools' },
  'python3-gevent': { dnf: 'python3-gevent', pip: 'gevent' },
  'python3-werkzeug': { dnf: 'python3-werkzeug', pip: 'werkzeug' },
  'python3-flask': { dnf: 'python3-flask', pip: 'flask' },
  'python3-django': { dnf: 'python3-django', pip: 'django' },
  'python3-fastapi': { dnf: 'python3-fastapi', pip: 'fastapi' },
  'python3-quart': { dnf: 'python3-quart', pip: 'quart' },
}

/** The three install lines for some Debian packages. */
export interface InstallLines {
  apt: string
  dnf: string
  /** Homebrew formulae, then the pip distributions into the venv `~/lab-venv` (docs/laptops.md). */
  brew: string
}

/**
 * The apt, dnf and Homebrew lines that install `packages` (Debian names).
 * A package with no known counterpart keeps its Debian name on dnf and is left out on Homebrew.
 */
export function installLines(packages: readonly string[]): InstallLines {
  const uniq = [...new Set(packages)]
  const pick = (k: keyof Elsewhere) => [...new Set(uniq.flatMap((p) => (ELSEWHERE[p]?.[k] ? [ELSEWHERE[p]?.[k] as string] : [])))]
  const dnf = [...new Set(uniq.map((p) => ELSEWHERE[p]?.dnf ?? p))]
  const brew = pick('brew')
  const pip = pick('pip')
  const brewLine = [brew.length ? `brew install ${brew.join(' ')}` : '', pip.length ? `~/lab-venv/bin/pip install ${pip.join(' ')}` : ''].filter(Boolean).join(' && ')
  return { apt: `apt-get install -y ${uniq.join(' ')}`, dnf: `dnf install -y ${dnf.join(' ')}`, brew: brewLine || '(nothing from Homebrew)' }
}
