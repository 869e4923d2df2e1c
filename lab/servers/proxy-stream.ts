/**
 * The built-in reverse proxy's two ways of taking an upstream's answer
 * (lab/servers/reverse-proxy.ts): read it whole, freeing the upstream before
 * the client has it (nginx `proxy_buffering on`), or stream it through at the
 * client's pace (`proxy_buffering off`). Both give up after `readTimeoutS`
 * seconds without data from the upstream (nginx `proxy_read_timeout`).
 */
import type http from 'node:http'

/** Reads a whole upstream body, giving up after `readTimeoutS` without data. */
export function readAll(upstream: http.IncomingMessage, request: http.ClientRequest, readTimeoutS: number): Promise<Buffer | 'error' | 'timeout'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    // one timer per response, pushed back on each chunk (refresh() keeps it, clear + set would make one per chunk)
    const timer = setTimeout(() => {
      request.destroy()
      resolve('timeout')
    }, readTimeoutS * 1000)
    upstream.on('data', (c: Buffer) => {
      chunks.push(c)
      timer.refresh()
    })
    upstream.on('end', () => {
      clearTimeout(timer)
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks))
    })
    upstream.on('error', () => {
      clearTimeout(timer)
      resolve('error')
    })
    upstream.on('aborted', () => {
      clearTimeout(timer)
      resolve('error')
    })
  })
}

/** Streams an upstream body to the client at the client's pace; the read timeout runs only while waiting for the upstream. */
export function streamThrough(upstream: http.IncomingMessage, request: http.ClientRequest, res: http.ServerResponse, readTimeoutS: number): Promise<boolean> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined
    let done = false
    const finish = (ok: boolean) => {
      if (done) return
      done = true
      clearTimeout(timer)
      resolve(ok)
    }
    const arm = () => {
      clearTimeout(timer)
      timer = setTimeout(() => {
        request.destroy()
        res.destroy()
        finish(false)
      }, readTimeoutS * 1000)
    }
    arm()
    upstream.on('data', (c: Buffer) => {
      if (res.write(c)) return arm()
      clearTimeout(timer) // the client is slow: the proxy is not waiting for the upstream
      upstream.pause()
      res.once('drain', () => {
        upstream.resume()
        arm()
      })
    })
    upstream.on('end', () => {
      res.end()
      finish(true)
    })
    upstream.on('error', () => {
      res.destroy()
      finish(false)
    })
    upstream.on('aborted', () => {
      res.destroy()
      finish(false)
    })
    res.on('close', () => {
      if (!res.writableFinished) {
        request.destroy() // the client left: let the upstream go
        finish(true)
      }
    })
  })
}

