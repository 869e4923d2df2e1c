import { describe, expect, it } from 'vitest'
import { binaryUpgrade, type UpgradeDeps } from '../../lab/engines/upgrade.js'

/** A fake process table: master 10 with workers 11 and 12; USR2 forks new master 20, whose workers come up at the third look. */
function table(opts: { newMasterComes: boolean; oldExits: boolean }) {
  const sent: string[] = []
  let looks = 0
  let usr2 = false
  let term = false
  const deps: UpgradeDeps = {
    children: (pid) => {
      if (pid === 10) return [11, 12, ...(usr2 && opts.newMasterComes ? [20] : [])]
      if (pid === 20) return ++looks >= 3 ? [21, 22] : []
      return []
    },
    isNewMaster: (pid, parent) => pid === 20 && parent === 10,
    alive: (pid) => !(pid === 10 && term && opts.oldExits),
    kill: (pid, signal) => {
      sent.push(`${signal} ${pid}`)
      if (signal === 'SIGUSR2') usr2 = true
      if (signal === 'SIGTERM') term = true
    },
  }
  return { deps, sent }
}

describe('binaryUpgrade', () => {
  it('sends USR2, waits for the new master and its workers, then TERM to the old master, and returns the new master', async () => {
    const { deps, sent } = table({ newMasterComes: true, oldExits: true })
    const marks: string[] = []
    expect(await binaryUpgrade(10, 2, 2000, (m) => marks.push(m), deps)).toBe(20)
    expect(sent).toEqual(['SIGUSR2 10', 'SIGTERM 10'])
    expect(marks).toHaveLength(3)
    expect(marks[1]).toMatch(/new master 20 serving with 2 workers; SIGTERM to the old master 10/)
  })

  it('never stops the old master when no new master comes up, and says so', async () => {
    const { deps, sent } = table({ newMasterComes: false, oldExits: true })
    await expect(binaryUpgrade(10, 2, 200, () => {}, deps)).rejects.toThrow('no new master with 2 workers appeared within 200 ms of SIGUSR2 to 10')
    expect(sent).toEqual(['SIGUSR2 10'])
  })

  it('fails when the old master outlives its TERM', async () => {
    const { deps } = table({ newMasterComes: true, oldExits: false })
    await expect(binaryUpgrade(10, 2, 200, () => {}, deps)).rejects.toThrow('the old master 10 did not exit within 200 ms of SIGTERM')
  })
})
