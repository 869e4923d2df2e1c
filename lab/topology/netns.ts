/**
 * A real network link for clients: a network namespace joined to the host by
 * a veth pair, with a rate limit (and a delay, where the kernel has netem) on
 * both ends, so a client run inside it is slow because its link is.
 *
 * Linux only, and only as root with iproute2's `ip` and `tc` (Debian package
 * `iproute2`): {@link detectNetns} says whether this machine can, and which
 * queueing disciplines it has. `netem` (delay, and rate) is a kernel module
 * some kernels lack (`tc qdisc add ... netem` then fails with "qdisc kind is
 * unknown"); `tbf` (token bucket filter, rate only) is nearly always there.
 * Without netem the link has a real rate and no added delay, and
 * {@link NetLink.notes} says so. Sources: ip-netns(8), veth(4), tc-tbf(8),
 * tc-netem(8), iproute2 6.1.
 *
 * Everything a link creates lives in names the run chose (`lab-<pid>-<n>`
 * for the namespace, `lh<pid>x<n>` / `lc<pid>x<n>` for the veth ends) and a
 * private /30 of 10.213.0.0/16 (RFC 1918) that no interface of the host has;
 * nothing is routed anywhere else, and the host never forwards. Every link is
 * registered until removed: {@link NetLink.close} on a normal end, and
 * {@link removeAllLinksNow} (synchronous, run on the process's `exit`, which
 * the lab's SIGINT/SIGTERM/SIGHUP handlers reach through `process.exit`) on
 * an error or an interruption.
 */
import { execFile, execFileSync } from 'node:child_process'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** What this machine allows. */
export interface NetnsCapability {
  /** Whether a namespace with a veth pair can be made here. */
  ok: boolean
  /** Why not, in words naming what to do (absent when ok). */
  reason?: string
  /** `tc qdisc ... netem` works: delay (and rate) can be added. */
  netem: boolean
  /** `tc qdisc ... tbf` works: a rate limit can be added. */
  tbf: boolean
}

/** What a link should add, per direction. */
export interface LinkOptions {
  /** Rate limit each way, kbit/s (1 kbit = 1000 bit); absent: no limit. */
  rateKbit?: number
  /** Delay added each way, ms (the round trip gains twice this); needs netem. */
  delayMs?: number
}

/** A namespace joined to the host by a veth pair. */
export interface NetLink {
  /** The namespace's name, for `ip netns exec <ns> ...`. */
  ns: string
  /** The host's end: its name and address (a server the clients reach listens here). */
  hostIf: string
  hostAddress: string
  /** The namespace's end: its name and address (the clients' source address). */
  nsIf: string
  nsAddress: string
  /** What the link really adds: the rate (kbit/s each way) and delay (ms each way) set up, undefined for none. */
  rateKbit: number | undefined
  delayMs: number | undefined
  /** The queueing discipline used: `netem`, `tbf`, or none. */
  qdisc: 'netem' | 'tbf' | 'none'
  /** What the link could not do as asked (e.g. no netem: no delay), one sentence each. */
  notes: string[]
  /** The argv prefix that runs a command inside the namespace: `['ip', 'netns', 'exec', ns]`. */
  execPrefix: string[]
  /** Removes the namespace and the veth pair; idempotent. */
  close(): Promise<void>
}

/** The tool paths (settable for tests of the "not installed" path). */
export const TOOLS = { ip: 'ip', tc: 'tc' }

const live = new Map<string, { ns: string; hostIf: string }>()
let counter = 0
let exitHooked = false

async function ip(args: string[]): Promise<void> {
  await run(TOOLS.ip, args, { timeout: 10_000 })
}

function tcArgs(ns: string | undefined, dev: string, qdisc: string[]): [string, string[]] {
  const tc = ['qdisc', 'replace', 'dev', dev, 'root', ...qdisc]
  return ns ? [TOOLS.ip, ['netns', 'exec', ns, TOOLS.tc, ...tc]] : [TOOLS.tc, tc]
}

function firstLine(err: unknown): string {
  const e = err as { stderr?: string; message?: string; code?: string }
  if (e.code === 'ENOENT') return 'not found'
  return (e.stderr || e.message || String(err)).trim().split('\n')[0] ?? ''
}

/**
 * tbf's settings for a rate (tc-tbf(8)): `burst` at least 10 ms of traffic
 * and never under two full frames (3 028 bytes), or the bucket cannot pass
 * one packet; `latency 100ms` bounds the queue.
 */
export function tbfArgs(rateKbit: number): string[] {
  const burst = Math.max(3028, Math.ceil((rateKbit * 1000) / 8 / 100))
  return ['tbf', 'rate', `${rateKbit}kbit`, 'burst', String(burst), 'latency', '100ms']
}

/** netem's settings: a delay each way, and its own rate when one is asked (tc-netem(8): `rate` since iproute2 3.3). */
export function netemArgs(opts: LinkOptions): string[] {
  return ['netem', 'delay', `${opts.delayMs ?? 0}ms`, ...(opts.rateKbit ? ['rate', `${opts.rateKbit}kbit`] : []), 'limit', '10000']
}

/**
 * Whether this machine can make links: root, `ip` present, a namespace can
 * be made and a veth pair put in it, and which qdiscs the kernel has (tried
 * on a veth pair inside a probe namespace, which is removed again). Probed
 * once per process.
 */
export function detectNetns(): Promise<NetnsCapability> {
  detected ??= probe()
  return detected
}

let detected: Promise<NetnsCapability> | undefined

async function probe(): Promise<NetnsCapability> {
  const no = (reason: string): NetnsCapability => ({ ok: false, reason, netem: false, tbf: false })
  if (process.platform !== 'linux') return no(`network namespaces are Linux only (this is ${process.platform})`)
  if (process.getuid?.() !== 0) return no('not root: network namespaces and tc need root (run the lab as root, e.g. in a container)')
  try {
    await run(TOOLS.ip, ['-V'], { timeout: 5000 })
    await run(TOOLS.tc, ['-V'], { timeout: 5000 })
  } catch (err) {
    return no(`iproute2 is missing (ip or tc ${firstLine(err)}): apt install iproute2`)
  }
  const ns = `lab-probe-${process.pid}-${counter++}`
  // registered like a link (its veth pair lives inside it, so there is no host end to delete)
  live.set(ns, { ns, hostIf: '' })
  hookExit()
  try {
    await ip(['netns', 'add', ns])
  } catch (err) {
    live.delete(ns)
    return no(`cannot create a network namespace: ${firstLine(err)}`)
  }
  try {
    await ip(['-n', ns, 'link', 'add', 'pa', 'type', 'veth', 'peer', 'name', 'pb'])
    const works = async (qdisc: string[]) => {
      try {
        const [cmd, args] = tcArgs(ns, 'pa', qdisc)
        await run(cmd, args, { timeout: 5000 })
        return true
      } catch {
        return false
      }
    }
    const netem = await works(netemArgs({ delayMs: 1 }))
    const tbf = await works(tbfArgs(1000))
    return { ok: true, netem, tbf }
  } catch (err) {
    return no(`cannot create a veth pair: ${firstLine(err)}`)
  } finally {
    await removeLink(ns, '')
  }
}

/** Addresses in use on the host, to keep a link's /30 clear of them. */
async function hostAddresses(): Promise<string> {
  const { stdout } = await run(TOOLS.ip, ['-4', '-o', 'addr', 'show'], { timeout: 5000 })
  return stdout
}

/**
 * Creates a namespace and a veth pair with a private /30, applies the rate
 * (and delay) on both ends, and registers it for teardown.
 * @throws Error when a step fails (whatever was created is removed first), or when a delay is asked and rate or delay cannot be set at all
 */
export async function createLink(opts: LinkOptions = {}): Promise<NetLink> {
  if (opts.rateKbit !== undefined && !(opts.rateKbit > 0)) throw new RangeError(`rate ${opts.rateKbit} kbit/s: expected > 0`)
  if (opts.delayMs !== undefined && !(opts.delayMs >= 0)) throw new RangeError(`delay ${opts.delayMs} ms: expected ≥ 0`)
  const cap = await detectNetns()
  if (!cap.ok) throw new Error(`no network namespace: ${cap.reason}`)
  const n = counter++
  const ns = `lab-${process.pid}-${n}`
  const hostIf = `lh${process.pid}x${n}`.slice(0, 15)
  const nsIf = `lc${process.pid}x${n}`.slice(0, 15)
  const used = await hostAddresses()
  let block = (process.pid * 7 + n * 13) % 16384
  while (used.includes(` 10.213.${block >> 6}.`)) block = (block + 1) % 16384
  const base = `10.213.${block >> 6}.${(block & 63) * 4}`
  const [a, b, c] = base.split('.')
  const hostAddress = `${a}.${b}.${c}.${(block & 63) * 4 + 1}`
  const nsAddress = `${a}.${b}.${c}.${(block & 63) * 4 + 2}`
  live.set(ns, { ns, hostIf })
  hookExit()
  const notes: string[] = []
  let qdisc: NetLink['qdisc'] = 'none'
  let delayMs: number | undefined
  let rateKbit: number | undefined
  try {
    await ip(['netns', 'add', ns])
    await ip(['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf, 'netns', ns])
    await ip(['addr', 'add', `${hostAddress}/30`, 'dev', hostIf])
    await ip(['link', 'set', hostIf, 'up'])
    await ip(['-n', ns, 'addr', 'add', `${nsAddress}/30`, 'dev', nsIf])
    await ip(['-n', ns, 'link', 'set', nsIf, 'up'])
    await ip(['-n', ns, 'link', 'set', 'lo', 'up'])
    ;({ qdisc, rateKbit, delayMs } = await shape(ns, hostIf, nsIf, cap, opts, notes))
  } catch (err) {
    await removeLink(ns, hostIf)
    throw new Error(`could not set up the network namespace ${ns}: ${firstLine(err)}`)
  }
  return {
    ns,
    hostIf,
    hostAddress,
    nsIf,
    nsAddress,
    rateKbit,
    delayMs,
    qdisc,
    notes,
    execPrefix: [TOOLS.ip, 'netns', 'exec', ns],
    close: () => removeLink(ns, hostIf),
  }
}

/**
 * Sets what the link adds on both ends (`tc qdisc replace`), the rate by tbf
 * or, with a delay and netem, both by netem. `notes` gains a sentence for what
 * cannot be done here.
 */
async function shape(ns: string, hostIf: string, nsIf: string, cap: NetnsCapability, opts: LinkOptions, notes: string[]): Promise<Pick<NetLink, 'qdisc' | 'rateKbit' | 'delayMs'>> {
  const wantsDelay = opts.delayMs !== undefined && opts.delayMs > 0
  if (wantsDelay && !cap.netem) notes.push(`no netem in this kernel ("qdisc kind is unknown"): the ${opts.delayMs} ms delay is not added; only the rate is real`)
  const args = wantsDelay && cap.netem ? netemArgs(opts) : opts.rateKbit && cap.tbf ? tbfArgs(opts.rateKbit) : undefined
  if (opts.rateKbit && !cap.tbf && !(wantsDelay && cap.netem)) notes.push(`no tbf in this kernel: the ${opts.rateKbit} kbit/s rate is not applied`)
  if (!args) return { qdisc: 'none', rateKbit: undefined, delayMs: undefined }
  // download (host → namespace) leaves by the host's end, upload by the namespace's
  for (const [where, dev] of [[undefined, hostIf], [ns, nsIf]] as const) {
    const [cmd, argv] = tcArgs(where, dev, args)
    await run(cmd, argv, { timeout: 10_000 })
  }
  const qdisc = args[0] as 'netem' | 'tbf'
  return { qdisc, rateKbit: opts.rateKbit, delayMs: qdisc === 'netem' ? opts.delayMs : undefined }
}

/**
 * Changes what a live link adds (a level's own rate and delay), in place:
 * the link's `rateKbit`, `delayMs`, `qdisc` and `notes` are replaced.
 * @throws Error when tc fails (the link stays registered for teardown)
 */
export async function reshapeLink(link: NetLink, opts: LinkOptions): Promise<void> {
  if (opts.rateKbit !== undefined && !(opts.rateKbit > 0)) throw new RangeError(`rate ${opts.rateKbit} kbit/s: expected > 0`)
  const notes: string[] = []
  try {
    Object.assign(link, await shape(link.ns, link.hostIf, link.nsIf, await detectNetns(), opts, notes), { notes })
  } catch (err) {
    throw new Error(`could not shape the link ${link.ns}: ${firstLine(err)}`)
  }
}

async function removeLink(ns: string, hostIf: string): Promise<void> {
  if (!live.has(ns)) return
  live.delete(ns)
  // deleting one end of a veth pair deletes both; the namespace goes when its name and last process do
  if (hostIf) await ip(['link', 'del', hostIf]).catch(() => {})
  await ip(['netns', 'del', ns]).catch(() => {})
}

/** Names of the links not yet removed. */
export function liveLinks(): string[] {
  return [...live.keys()]
}

/**
 * Removes every link now, synchronously (for an `exit` listener, where
 * nothing asynchronous runs any more); idempotent.
 */
export function removeAllLinksNow(): void {
  for (const { ns, hostIf } of live.values()) {
    for (const args of [...(hostIf ? [['link', 'del', hostIf]] : []), ['netns', 'del', ns]]) {
      try {
        execFileSync(TOOLS.ip, args, { stdio: 'ignore', timeout: 5000 })
      } catch {
        // gone already
      }
    }
  }
  live.clear()
}

function hookExit(): void {
  if (exitHooked) return
  exitHooked = true
  process.on('exit', removeAllLinksNow)
}
