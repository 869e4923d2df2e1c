/**
 * The run's TLS certificate: a self-signed ECDSA P-256 certificate for
 * `127.0.0.1` (subjectAltName `IP:127.0.0.1`), valid one day, written by the
 * `openssl` command (Debian's `openssl`, OpenSSL 3) into an engine's temp
 * folder and removed with it. Node's crypto can make keys but not X.509
 * certificates, hence the command. Never committed, never outside the folder.
 * Clients do not verify it (autocannon connects with `rejectUnauthorized:
 * false`, lab/engines/common.ts `httpGet` likewise): it proves nothing about
 * identity, it only makes the handshake and the encryption real.
 */
import { execFileSync } from 'node:child_process'
import path from 'node:path'

/** File names of the certificate and key inside the folder. */
export const TLS_FILES = { cert: 'cert.pem', key: 'key.pem' } as const

/**
 * Writes `cert.pem` and `key.pem` into `dir`.
 * @returns their absolute paths
 * @throws Error when `openssl` is missing or fails (its stderr in the message)
 */
export function writeSelfSignedCert(dir: string): { cert: string; key: string } {
  const cert = path.join(dir, TLS_FILES.cert)
  const key = path.join(dir, TLS_FILES.key)
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
        '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert],
      { stdio: ['ignore', 'ignore', 'pipe'], timeout: 15_000 },
    )
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim()
    throw new Error(`could not make the run's TLS certificate with openssl (apt install openssl): ${stderr || (err as Error).message}`)
  }
  return { cert, key }
}
