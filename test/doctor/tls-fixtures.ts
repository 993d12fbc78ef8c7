// Local servers for the network checks: certificates made with openssl at test time (a "company inspection" CA, a
// leaf it signs, and a self-signed leaf), an HTTPS server that answers like the API, and a CONNECT proxy that records
// what went through it.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import net from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'

/** ca signs leaf and inter; inter signs interLeaf; self is self-signed */
export type Certs = { caCert: string; leafKey: string; leafCert: string; interCert: string; interLeafKey: string; interLeafCert: string; selfKey: string; selfCert: string }

export function makeCerts(): Certs {
  const dir = mkdtempSync(path.join(tmpdir(), 'doctor-certs-'))
  const f = (n: string) => path.join(dir, n)
  const ssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' })
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
  try {
    ssl('req', '-x509', ...ec, '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '2', '-subj', '/CN=Corp Inspection Root/O=Corp Security')
    ssl('req', ...ec, '-keyout', f('leaf.key'), '-out', f('leaf.csr'), '-subj', '/CN=127.0.0.1')
    writeFileSync(f('ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n')
    ssl('x509', '-req', '-in', f('leaf.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('leaf.pem'), '-days', '2', '-extfile', f('ext.cnf'))
    writeFileSync(f('ca-ext.cnf'), 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n')
    ssl('req', ...ec, '-keyout', f('inter.key'), '-out', f('inter.csr'), '-subj', '/CN=Corp Issuing CA/O=Corp Security')
    ssl('x509', '-req', '-in', f('inter.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('inter.pem'), '-days', '2', '-extfile', f('ca-ext.cnf'))
    ssl('req', ...ec, '-keyout', f('ileaf.key'), '-out', f('ileaf.csr'), '-subj', '/CN=127.0.0.1')
    ssl('x509', '-req', '-in', f('ileaf.csr'), '-CA', f('inter.pem'), '-CAkey', f('inter.key'), '-CAcreateserial', '-out', f('ileaf.pem'), '-days', '2', '-extfile', f('ext.cnf'))
    ssl('req', '-x509', ...ec, '-keyout', f('self.key'), '-out', f('self.pem'), '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1')
    const read = (n: string) => readFileSync(f(n), 'utf8')
    return {
      caCert: read('ca.pem'),
      leafKey: read('leaf.key'),
      leafCert: read('leaf.pem'),
      interCert: read('inter.pem'),
      interLeafKey: read('ileaf.key'),
      interLeafCert: read('ileaf.pem'),
      selfKey: read('self.key'),
      selfCert: read('self.pem'),
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export type ApiServer = { url: string; port: number; requests: { path: string; key: string | undefined }[]; close(): Promise<void> }

export type ApiBehaviour = {
  goodKey?: string
  forbiddenKey?: string
  /** seconds to add to the Date header (clock skew) */
  skewSeconds?: number
}

/** an HTTPS server that answers GET /v1/models like the API */
export function startApi(tls: { key: string; cert: string }, behaviour: ApiBehaviour = {}): Promise<ApiServer> {
  const requests: ApiServer['requests'] = []
  const server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const key = req.headers['x-api-key'] as string | undefined
    requests.push({ path: req.url ?? '', key })
    const date = new Date(Date.now() + (behaviour.skewSeconds ?? 0) * 1000).toUTCString()
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', date })
      res.end(JSON.stringify(body))
    }
    if (!key) return send(401, { type: 'error', error: { type: 'authentication_error', message: 'x-api-key header is required' } })
    if (key === behaviour.goodKey) return send(200, { data: [{ id: 'claude-sonnet-4-5' }] })
    if (key === behaviour.forbiddenKey) return send(403, { type: 'error', error: { type: 'permission_error', message: 'Your credit balance is too low to access the Anthropic API.' } })
    return send(401, { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } })
  })
  return listen(server, requests, 'https')
}

function listen<T extends { path: string }>(server: http.Server | https.Server | net.Server, requests: T[], scheme: string): Promise<{ url: string; port: number; requests: T[]; close(): Promise<void> }> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port
      resolve({
        url: `${scheme}://127.0.0.1:${port}`,
        port,
        requests,
        close: () =>
          new Promise<void>((r) => {
            ;(server as http.Server).closeAllConnections?.()
            server.close(() => r())
          }),
      })
    })
  })
}

export type Proxy = { url: string; port: number; requests: { path: string; auth: string | undefined }[]; close(): Promise<void> }

/** a tiny CONNECT proxy; with `requireAuth` it answers 407 unless Proxy-Authorization matches */
export function startProxy(options: { requireAuth?: string } = {}): Promise<Proxy> {
  const requests: Proxy['requests'] = []
  const sockets = new Set<net.Socket>()
  const server = http.createServer((_req, res) => {
    res.writeHead(405)
    res.end()
  })
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    sockets.add(client)
    const auth = req.headers['proxy-authorization']
    requests.push({ path: req.url ?? '', auth })
    if (options.requireAuth && auth !== options.requireAuth) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\nContent-Length: 0\r\n\r\n')
      return
    }
    const [host, port] = (req.url ?? '').split(':')
    const upstream = net.connect(Number(port), host as string, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    sockets.add(upstream)
    upstream.on('error', () => client.destroy())
    client.on('error', () => upstream.destroy())
  })
  return listen(server, requests, 'http').then((s) => ({
    ...s,
    close: () => {
      for (const sock of sockets) sock.destroy()
      return s.close()
    },
  }))
}
