import { describe, expect, it } from 'vitest'
import { socketBufferBytes, tcpBufferMax } from '../support/kernel.js'
import { missingLine, underCi } from '../support/tools.js'

describe('what a test that needs a tool says when it is missing', () => {
  it('names the tool, why it is missing and the apt-get command', () => {
    expect(missingLine([{ name: 'gunicorn', found: false, packages: ['gunicorn'], problem: 'no gunicorn in /nonexistent' }])).toBe(
      'gunicorn is missing (no gunicorn in /nonexistent); install it with: apt-get install -y gunicorn',
    )
  })

  it('names several tools with their packages once each', () => {
    const line = missingLine([
      { name: 'gunicorn', found: false, packages: ['gunicorn'] },
      { name: 'flask', found: false, packages: ['python3-flask', 'gunicorn'] },
    ])
    expect(line).toBe('gunicorn, flask are missing; install them with: apt-get install -y gunicorn python3-flask')
  })

  it('counts CI as set unless it is empty, 0 or false', () => {
    expect([undefined, '', '0', 'false', 'FALSE'].map((CI) => underCi({ CI }))).toEqual([false, false, false, false, false])
    expect(['true', '1', 'yes'].map((CI) => underCi({ CI }))).toEqual([true, true, true])
  })
})

describe('socket buffer sizes from /proc', () => {
  const proc = (rmem: string, wmem: string) => (file: string) => (file.endsWith('tcp_rmem') ? rmem : wmem)

  it('reads the autotuning maximum, the third field', () => {
    expect(tcpBufferMax('rmem', proc('4096\t131072\t33554432\n', ''))).toBe(33_554_432)
    expect(tcpBufferMax('wmem', proc('', '4096 16384 4194304\n'))).toBe(4_194_304)
  })

  it('counts a send and a receive buffer per hop', () => {
    expect(socketBufferBytes(2, proc('4096 131072 33554432', '4096 16384 4194304'))).toBe(2 * (33_554_432 + 4_194_304))
  })

  it('refuses a file that does not hold three byte counts', () => {
    expect(() => tcpBufferMax('rmem', proc('4096 131072', ''))).toThrow('/proc/sys/net/ipv4/tcp_rmem: expected three byte counts (min default max)')
  })
})
