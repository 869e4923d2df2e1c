import { describe, expect, it } from 'vitest'
import { deployLoss } from '../../lab/core/deploy-loss.js'

const ev = (t: number, kind: string, message = '') => ({ t, kind, message })

describe('deployLoss', () => {
  it('counts every slot empty between a restart’s two marks: 0.55 s of a 2.5 s window is 22 %', () => {
    const events = [ev(1, 'deploy', 'deploy: stopping the server to start the new version'), ev(1.55, 'deploy', 'deploy: new version serving after a 550 ms gap')]
    expect(deployLoss(events, { fromS: 0.31, toS: 2.81 }, 4)).toBeCloseTo(0.55 / 2.5, 10)
  })

  it('counts one slot from each worker’s exit to the next boot in a graceful reload: 0.94 slot-seconds of 4 × 2.5', () => {
    const events = [ev(1, 'deploy', 'deploy: SIGHUP to the master (graceful reload)'), ev(1.15, 'worker-exit'), ev(1.15, 'worker-exit'), ev(1.15, 'worker-exit'), ev(1.16, 'worker-exit'), ev(1.28, 'worker-spawn'), ev(1.38, 'worker-spawn'), ev(1.41, 'worker-spawn'), ev(1.48, 'worker-spawn')]
    expect(deployLoss(events, { fromS: 0.31, toS: 2.81 }, 4)).toBeCloseTo((0.13 + 0.23 + 0.26 + 0.32) / 10, 10)
  })

  it('counts only what falls inside the window, and nothing without events', () => {
    const events = [ev(0, 'deploy', 'deploy: stopping the server'), ev(1, 'deploy', 'deploy: new version serving')]
    expect(deployLoss(events, { fromS: 0.5, toS: 2.5 }, 4)).toBeCloseTo(0.25, 10)
    expect(deployLoss([], { fromS: 0.5, toS: 2.5 }, 4)).toBe(0)
  })
})
