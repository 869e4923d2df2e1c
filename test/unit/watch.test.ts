import { describe, expect, it } from 'vitest'
import type { ProcessInfo } from '../../lab/engines/engine.js'
import { EventLog, processChanges, watchProcesses } from '../../lab/topology/watch.js'

const master: ProcessInfo = { pid: 10, role: 'master' }
const w = (pid: number, role: ProcessInfo['role'] = 'worker'): ProcessInfo => ({ pid, role })

describe('processChanges', () => {
  it('reports a worker that vanished as an exit and a new one as a spawn, exits first', () => {
    expect(processChanges([master, w(11), w(12)], [master, w(12), w(13)])).toEqual([
      { kind: 'worker-exit', pid: 11, role: 'worker' },
      { kind: 'worker-spawn', pid: 13, role: 'worker' },
    ])
  })

  it('reports nothing when the same processes are listed in another order', () => {
    expect(processChanges([master, w(11), w(12)], [w(12), master, w(11)])).toEqual([])
  })

  it("watches workers and servers but not masters and proxies (a master's end is its group's exit)", () => {
    expect(processChanges([master, w(20, 'proxy'), w(21, 'server')], [w(22, 'proxy')])).toEqual([{ kind: 'worker-exit', pid: 21, role: 'server' }])
  })
})

describe('EventLog', () => {
  it('keeps one exit per pid: the table sets the time, a later log line the message', () => {
    const log = new EventLog()
    log.fromTable({ kind: 'worker-exit', pid: 11, role: 'worker' }, 1000)
    log.fromLog({ kind: 'worker-exit', pid: 11, message: 'worker 11 killed by signal 9' }, 1040)
    expect(log.events()).toEqual([{ at: 1000, kind: 'worker-exit', pid: 11, message: 'worker 11 killed by signal 9' }])
  })

  it('keeps a log line seen first, and the table adds nothing for the same pid', () => {
    const log = new EventLog()
    log.fromLog({ kind: 'worker-spawn', pid: 13, message: 'worker 13 booted' }, 500)
    log.fromTable({ kind: 'worker-spawn', pid: 13, role: 'worker' }, 560)
    expect(log.events()).toEqual([{ at: 500, kind: 'worker-spawn', pid: 13, message: 'worker 13 booted' }])
  })

  it('records an exit only the table saw (a worker that ended with os._exit, which Gunicorn 20.1 does not log)', () => {
    const log = new EventLog()
    log.fromTable({ kind: 'worker-exit', pid: 11, role: 'worker' }, 700)
    expect(log.events()).toEqual([{ at: 700, kind: 'worker-exit', pid: 11, message: 'worker 11 exited (gone from the process table)' }])
  })

  it('keeps every timeout line, even two for the same pid', () => {
    const log = new EventLog()
    log.fromLog({ kind: 'worker-timeout', pid: 11, message: 'worker 11 timed out' }, 1)
    log.fromLog({ kind: 'worker-timeout', pid: 11, message: 'worker 11 timed out' }, 2)
    expect(log.events().map((e) => e.kind)).toEqual(['worker-timeout', 'worker-timeout'])
  })
})

describe('watchProcesses', () => {
  it('calls back with each change between successive listings, until stopped', async () => {
    const listings = [[master, w(11), w(12)], [master, w(12)], [master, w(12), w(14)]]
    let call = 0
    const seen: string[] = []
    const watch = watchProcesses(() => listings[Math.min(call++, listings.length - 1)] as ProcessInfo[], [master, w(11), w(12)], (c) => seen.push(`${c.kind} ${c.pid}`), 5)
    const deadline = Date.now() + 2000
    while (seen.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5))
    watch.stop()
    const calls = call
    await new Promise((r) => setTimeout(r, 30))
    expect(seen).toEqual(['worker-exit 11', 'worker-spawn 14'])
    expect(call).toBe(calls)
  })
})

describe('a watch polled out of turn', () => {
  it('reports a change at once, before its next tick', () => {
    let now: ProcessInfo[] = [master, w(11)]
    const seen: string[] = []
    const watch = watchProcesses(() => now, now, (c) => seen.push(`${c.kind} ${c.pid}`), 60_000)
    now = [master, w(12)]
    watch.poll()
    watch.stop()
    expect(seen).toEqual(['worker-exit 11', 'worker-spawn 12'])
  })
})
