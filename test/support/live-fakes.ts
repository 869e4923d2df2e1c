/**
 * Fakes for the demo server's tests (unit and Chromium e2e): a topology that
 * starts no process (its one "process" is the test's own, so the sampler has
 * something to read) and, for a prefork id, a master that reports one busy worker.
 */
import type { RunningTopology } from '../../lab/topology/topology.js'

/** A topology starter for `startLiveServer({ start })`: nothing runs; the fake driver answers. */
export const fakeTopology = async (id: string): Promise<RunningTopology> => ({
  id,
  url: `http://127.0.0.1:${id === 'prefork' ? 1 : 2}`,
  engines: { server: id === 'prefork' ? 'node-prefork' : 'node-event-loop', proxy: null },
  processes: () => [{ pid: process.pid, role: id === 'prefork' ? 'master' : 'server' }],
  events: () => [],
  stop: async () => {},
  ...(id === 'prefork' ? { status: async () => [{ pid: 11, busy: true, requests: 3 }] } : {}),
})
