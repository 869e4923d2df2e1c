/** `lab doctor`'s network-link section (lab/commands/doctor-links.ts), with the machine's capability given, never probed. */
import { describe, expect, it } from 'vitest'
import { doctorCommand } from '../../lab/commands/doctor.js'
import { formatLinks, linkOutcome } from '../../lab/commands/doctor-links.js'
import { setLang } from '../../lab/core/i18n.js'
import type { NetnsCapability } from '../../lab/topology/netns.js'

const root: NetnsCapability = { ok: true, tbf: true, netem: true }
const noNetem: NetnsCapability = { ok: true, tbf: true, netem: false }
const notRoot: NetnsCapability = { ok: false, reason: 'not root: network namespaces and tc need root (run the lab as root, e.g. in a container)', tbf: false, netem: false }

describe('lab doctor’s network links', () => {
  it('says yes and names both qdiscs when the kernel has tbf and netem', () => {
    const text = formatLinks(root).join('\n')
    expect(linkOutcome(root)).toBe('link-with-delay')
    expect(text).toContain('yes: a network namespace with a veth pair can be made here; queueing disciplines: tbf, netem')
    expect(text).toContain('its rate and its delay')
    expect(text).not.toContain('apt-get install')
  })

  it('says a link gets its rate but no delay when the kernel has tbf and no netem', () => {
    const text = formatLinks(noNetem).join('\n')
    expect(linkOutcome(noNetem)).toBe('link-rate-only')
    expect(text).toContain('queueing disciplines: tbf\n')
    expect(text).toContain('no netem in this kernel')
  })

  it('says no with the reason, that levels run paced, and how to get links, when the lab is not root', () => {
    const text = formatLinks(notRoot).join('\n')
    expect(linkOutcome(notRoot)).toBe('paced')
    expect(text).toContain('no: not root: network namespaces and tc need root')
    expect(text).toContain('run paced by the lab instead')
    expect(text).toContain('run the lab as root on Linux')
    expect(text).toContain('    apt-get install -y iproute2')
  })

  it('counts a machine with namespaces but neither qdisc as one without links', () => {
    const bare: NetnsCapability = { ok: true, tbf: false, netem: false }
    expect(linkOutcome(bare)).toBe('paced')
    expect(formatLinks(bare).join('\n')).toContain('no: this kernel has neither tbf nor netem')
  })

  it('prints the section after the engines, from the detection it is given', async () => {
    let text = ''
    let asked = 0
    const code = await doctorCommand({ searchPath: ['/nonexistent-lab-path'], detectLinks: () => (asked++, Promise.resolve(notRoot)), write: (t) => (text += t) })
    expect(code).toBe(0)
    expect(asked).toBe(1)
    expect(text.indexOf('Network links for slow clients')).toBeGreaterThan(text.indexOf('looked up in /nonexistent-lab-path'))
    expect(text).toMatch(/no: not root.*\n.*paced/)
  })

  it('speaks the chosen language', () => {
    setLang('pt-BR')
    try {
      expect(formatLinks(noNetem).join('\n')).toContain('sem netem neste kernel')
      setLang('ru')
      expect(formatLinks(notRoot)[0]).toContain('Сетевые каналы')
    } finally {
      setLang('en')
    }
  })
})
