/**
 * Free ports on the loopback interface.
 */
import net from 'node:net'

/**
 * A free TCP port on 127.0.0.1: binds port 0, reads the port the kernel chose,
 * closes, returns it. The caller then binds it; another process could take it
 * in between, which is unlikely with the kernel's randomized ephemeral ports.
 */
export async function freePort(): Promise<number> {
  const probe = net.createServer()
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject)
    probe.listen({ port: 0, host: '127.0.0.1', exclusive: true }, resolve)
  })
  const { port } = probe.address() as net.AddressInfo
  await new Promise((resolve) => probe.close(resolve))
  return port
}
