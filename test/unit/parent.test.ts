import { describe, expect, it } from 'vitest'
import { watchParent } from '../../lab/commands/parent.js'

/** Polls until `check` holds or `ms` pass. */
async function waitFor(check: () => boolean, ms = 2000): Promise<boolean> {
  const end = Date.now() + ms
  while (Date.now() < end && !check()) await new Promise((r) => setTimeout(r, 5))
  return check()
}

describe('watching the parent process', () => {
  it('calls back once, with the old parent pid, when the parent pid changes', async () => {
    let ppid = 4242
    const gone: number[] = []
    const stop = watchParent((p) => gone.push(p), { intervalMs: 5, ppid: () => ppid })
    ppid = 1 // re-parented to init: the launcher died
    expect(await waitFor(() => gone.length > 0)).toBe(true)
    ppid = 7 // a later change is not news
    await new Promise((r) => setTimeout(r, 50))
    expect(gone).toEqual([4242])
    stop()
  })

  it('stays quiet while the parent lives, and after it is stopped', async () => {
    let ppid = 4242
    let calls = 0
    const stop = watchParent(() => calls++, { intervalMs: 5, ppid: () => ppid })
    let reads = 0
    const counting = watchParent(() => {}, { intervalMs: 5, ppid: () => (reads++, 4242) })
    expect(await waitFor(() => reads >= 5)).toBe(true) // several polls went by
    stop()
    ppid = 1
    await new Promise((r) => setTimeout(r, 50))
    expect(calls).toBe(0)
    counting()
  })
})
