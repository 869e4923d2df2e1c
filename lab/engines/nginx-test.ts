/**
 * `nginx -t` for a student's config (docs/exercises.md): nginx's own verdict
 * before anything starts. Split from lab/engines/nginx.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { capture } from './common.js'
import { nginxArgs, nginxConf, type NginxConfig } from './nginx.js'

/**
 * `nginx -t` on a config in a fresh temp prefix (removed afterwards): nginx's
 * own verdict, e.g. `unknown directive "proxy_request_bufering" in
 * /tmp/lab-nginx-test-x/location.conf:3`.
 * @param executable - nginx's path (as detected)
 * @returns `ok` and nginx's output (stderr), trimmed
 */
export async function nginxTest(c: NginxConfig, executable: string): Promise<{ ok: boolean; output: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lab-nginx-test-'))
  try {
    writeFileSync(path.join(dir, 'nginx.conf'), nginxConf(c))
    if (c.location !== undefined) writeFileSync(path.join(dir, 'location.conf'), c.location)
    const r = await capture(executable, ['-t', ...nginxArgs(dir)])
    return { ok: r.code === 0, output: (r.stderr + r.stdout).trim().replaceAll(`${dir}/`, './') }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
