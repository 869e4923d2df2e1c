/**
 * `lab doctor`'s section on network links for slow clients
 * (docs/network-links.md): whether this machine can put slow readers and
 * senders in a network namespace behind a rate-limited veth link, with which
 * queueing disciplines (tbf: rate; netem: delay, and rate), and what to do
 * when it cannot. The facts come from lab/topology/netns.ts `detectNetns`,
 * passed in, so this part is pure and tests give it any machine.
 */
import { t } from '../core/i18n.js'
import type { NetnsCapability } from '../topology/netns.js'

/** What a level asking for a link gets on a machine with this capability: `link` (with or without delay) or `paced`. */
export function linkOutcome(cap: NetnsCapability): 'link-with-delay' | 'link-rate-only' | 'paced' {
  if (!cap.ok || (!cap.tbf && !cap.netem)) return 'paced'
  return cap.netem ? 'link-with-delay' : 'link-rate-only'
}

/**
 * The section's lines: a heading with yes/no, the qdiscs found, and either
 * what a linked level gets here or what to do (run as root, install
 * iproute2). The reason `detectNetns` gives is its own English sentence.
 */
export function formatLinks(cap: NetnsCapability): string[] {
  const qdiscs = [...(cap.tbf ? ['tbf'] : []), ...(cap.netem ? ['netem'] : [])]
  const out = [t('doctor.linksTitle')]
  const outcome = linkOutcome(cap)
  if (outcome === 'paced') {
    out.push(`  ${t('doctor.linksNo', { reason: cap.ok ? t('doctor.linksNoQdisc') : (cap.reason ?? '') })}`)
    out.push(`  ${t('doctor.linksPaced')}`)
    out.push(`  ${t('doctor.linksFix')}`, '    apt-get install -y iproute2')
    return out
  }
  out.push(`  ${t('doctor.linksYes', { qdiscs: qdiscs.join(', ') })}`)
  out.push(`  ${outcome === 'link-with-delay' ? t('doctor.linksDelay') : t('doctor.linksRateOnly')}`)
  return out
}
