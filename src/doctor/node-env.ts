// The real DoctorEnv: this machine's environment, files, programs and network. Tests build it with a temporary
// HOME, their own variables and an extra trusted CA, or replace parts of it.
import { spawn } from 'node:child_process'
import { promises as dns } from 'node:dns'
import { constants as fsConstants, promises as fs } from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import net from 'node:net'
import os from 'node:os'
import tls from 'node:tls'
import { proxySettings } from './proxy.js'
import { EnvHttpProxyAgent } from './undici.js'
import type { CertInfo, DoctorEnv, ExecOptions, ExecResult, HttpRequest, HttpResponse, TlsProbeResult } from './types.js'
import { abortable, maskUrlCredentials } from './util.js'

export type NodeEnvOptions = {
  env?: Record<string, string | undefined>
  homedir?: string
  cwd?: string
  platform?: NodeJS.Platform
  /** PEM trusted in addition to the system store (tests; real users have NODE_EXTRA_CA_CERTS, read by Node itself) */
  extraCa?: string
  now?: () => number
}

const OUTPUT_CAP = 256 * 1024

function exec(file: string, args: string[], options: ExecOptions, env: Record<string, string | undefined>, platform: NodeJS.Platform): Promise<ExecResult> {
  return new Promise((resolve) => {
    const windowsShim = platform === 'win32' && /\.(cmd|bat)$/i.test(file)
    let child: ReturnType<typeof spawn>
    try {
      child = windowsShim
        ? spawn(`"${file}"`, args.map((a) => `"${a}"`), { shell: true, stdio: ['ignore', 'pipe', 'pipe'], env, windowsHide: true })
        : spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], env, windowsHide: true, detached: platform !== 'win32' })
    } catch (err) {
      resolve({ code: null, stdout: '', stderr: '', timedOut: false, error: (err as Error).message })
      return
    }
    let stdout = ''
    let stderr = ''
    let timedOut = false
    let done = false
    const kill = () => {
      try {
        // the whole process group: a shell script's children hold the pipes open otherwise
        if (platform !== 'win32' && child.pid) process.kill(-child.pid, 'SIGKILL')
        else child.kill('SIGKILL')
      } catch {
        /* already gone */
      }
    }
    const finish = (result: ExecResult) => {
      if (done) return
      done = true
      clearTimeout(timer)
      options.signal?.removeEventListener('abort', onAbort)
      resolve(result)
    }
    const onAbort = () => {
      timedOut = true
      kill()
      finish({ code: null, stdout, stderr, timedOut })
    }
    const timer = setTimeout(onAbort, options.timeoutMs)
    options.signal?.addEventListener('abort', onAbort, { once: true })
    child.stdout?.setEncoding('utf8')
    child.stderr?.setEncoding('utf8')
    child.stdout?.on('data', (d: string) => {
      if (stdout.length < OUTPUT_CAP) stdout += d
    })
    child.stderr?.on('data', (d: string) => {
      if (stderr.length < OUTPUT_CAP) stderr += d
    })
    child.on('error', (err: NodeJS.ErrnoException) => finish({ code: null, stdout, stderr, timedOut, error: err.code ?? err.message }))
    child.on('close', (code) => finish({ code, stdout, stderr, timedOut }))
  })
}

function withTimeout(timeoutMs: number, signal?: AbortSignal): { signal: AbortSignal; dispose(): void } {
  const ctrl = new AbortController()
  const timer = setTimeout(() => ctrl.abort(Object.assign(new Error(`timed out after ${timeoutMs} ms`), { code: 'ETIMEDOUT' })), timeoutMs)
  const onAbort = () => ctrl.abort(signal?.reason)
  if (signal?.aborted) ctrl.abort(signal.reason)
  else signal?.addEventListener('abort', onAbort, { once: true })
  return {
    signal: ctrl.signal,
    dispose() {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
    },
  }
}

function tcpConnect(host: string, port: number, options: { timeoutMs: number; signal?: AbortSignal }) {
  const started = Date.now()
  return new Promise<{ address: string; port: number; ms: number }>((resolve, reject) => {
    const t = withTimeout(options.timeoutMs, options.signal)
    const socket = net.connect({ host, port })
    const fail = (err: unknown) => {
      t.dispose()
      socket.destroy()
      reject(err)
    }
    t.signal.addEventListener('abort', () => fail(t.signal.reason), { once: true })
    socket.once('error', fail)
    socket.once('connect', () => {
      t.dispose()
      const address = socket.remoteAddress ?? host
      socket.end()
      socket.destroy()
      resolve({ address, port, ms: Date.now() - started })
    })
  })
}

const name = (x: Record<string, string | string[] | undefined> | undefined): string => {
  if (!x) return ''
  const pick = (k: string) => {
    const v = x[k]
    return Array.isArray(v) ? v.join('+') : v
  }
  return ['CN', 'O', 'OU']
    .map((k) => (pick(k) ? `${k}=${pick(k)}` : ''))
    .filter(Boolean)
    .join(', ')
}

function chainOf(socket: tls.TLSSocket): CertInfo[] {
  const chain: CertInfo[] = []
  let cert = socket.getPeerCertificate(true) as tls.DetailedPeerCertificate | undefined
  const seen = new Set<string>()
  while (cert && cert.raw && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256)
    const subject = name(cert.subject as unknown as Record<string, string>)
    const issuer = name(cert.issuer as unknown as Record<string, string>)
    chain.push({ subject, issuer, validFrom: cert.valid_from, validTo: cert.valid_to, selfSigned: subject === issuer })
    cert = cert.issuerCertificate
  }
  return chain
}

/** opens a CONNECT tunnel through an HTTP(S) proxy and hands back the raw socket */
function connectTunnel(proxyUrl: string, host: string, port: number, signal: AbortSignal, extraCa?: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const proxy = new URL(proxyUrl)
    const headers: Record<string, string> = { host: `${host}:${port}` }
    if (proxy.username || proxy.password) {
      headers['proxy-authorization'] = `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}`
    }
    const mod = proxy.protocol === 'https:' ? https : http
    const req = mod.request({
      host: proxy.hostname.replace(/^\[|\]$/g, ''),
      port: Number(proxy.port) || (proxy.protocol === 'https:' ? 443 : 80),
      method: 'CONNECT',
      path: `${host}:${port}`,
      headers,
      signal,
      ...(extraCa && proxy.protocol === 'https:' ? { ca: [...tls.rootCertificates, extraCa] } : {}),
    })
    req.once('connect', (res, socket) => {
      if (res.statusCode === 200) resolve(socket)
      else {
        socket.destroy()
        reject(Object.assign(new Error(`the proxy answered ${res.statusCode} ${res.statusMessage ?? ''} to CONNECT`.trim()), { code: `PROXY_${res.statusCode}` }))
      }
    })
    req.once('error', reject)
    req.end()
  })
}

function tlsProbe(
  host: string,
  port: number,
  options: { timeoutMs: number; signal?: AbortSignal; proxy?: string | null },
  extraCa?: string,
): Promise<TlsProbeResult> {
  const started = Date.now()
  const t = withTimeout(options.timeoutMs, options.signal)
  const work = (async () => {
    const socket = options.proxy ? await connectTunnel(options.proxy, host, port, t.signal, extraCa) : undefined
    return await new Promise<TlsProbeResult>((resolve, reject) => {
      const servername = net.isIP(host) ? undefined : host
      const s = tls.connect({
        ...(socket ? { socket } : { host, port }),
        ...(servername ? { servername } : {}),
        rejectUnauthorized: false,
        ...(extraCa ? { ca: [...tls.rootCertificates, extraCa] } : {}),
      })
      t.signal.addEventListener('abort', () => s.destroy(), { once: true })
      s.once('error', reject)
      s.once('secureConnect', () => {
        let errorCode: string | null = null
        if (!s.authorized) errorCode = String(s.authorizationError ?? 'UNKNOWN')
        else {
          const identity = tls.checkServerIdentity(host, s.getPeerCertificate())
          if (identity) errorCode = (identity as NodeJS.ErrnoException).code ?? 'ERR_TLS_CERT_ALTNAME_INVALID'
        }
        const result: TlsProbeResult = {
          authorized: errorCode === null,
          errorCode,
          protocol: s.getProtocol(),
          chain: chainOf(s),
          ms: Date.now() - started,
          via: options.proxy ? maskUrlCredentials(options.proxy) : null,
        }
        s.end()
        s.destroy()
        socket?.destroy()
        resolve(result)
      })
    })
  })()
  return abortable(work, t.signal).finally(() => t.dispose())
}

async function httpRequest(env: DoctorEnv, req: HttpRequest, extraCa?: string): Promise<HttpResponse> {
  const started = Date.now()
  const tlsOptions = extraCa ? { ca: [...tls.rootCertificates, extraCa] } : {}
  const s = proxySettings(env)
  const agent = new EnvHttpProxyAgent({
    httpProxy: s.httpProxy,
    httpsProxy: s.httpsProxy,
    noProxy: s.noProxy,
    connect: { ...tlsOptions, timeout: req.timeoutMs },
    requestTls: tlsOptions,
    proxyTls: tlsOptions,
  })
  const t = withTimeout(req.timeoutMs, req.signal)
  try {
    const url = new URL(req.url)
    const res = await agent.request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: req.method,
      headers: req.headers,
      body: req.body,
      signal: t.signal,
      headersTimeout: req.timeoutMs,
      bodyTimeout: req.timeoutMs,
    })
    const text = await res.body.text()
    const headers: Record<string, string> = {}
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v
    return { status: res.statusCode, headers, body: text.slice(0, OUTPUT_CAP), ms: Date.now() - started }
  } finally {
    t.dispose()
    agent.destroy().catch(() => {})
  }
}

export function createNodeEnv(options: NodeEnvOptions = {}): DoctorEnv {
  const vars = options.env ?? { ...process.env }
  const platform = options.platform ?? process.platform
  const extraCa = options.extraCa
  const env: DoctorEnv = {
    env: vars,
    homedir: options.homedir ?? os.homedir(),
    cwd: options.cwd ?? process.cwd(),
    platform,
    arch: process.arch,
    osRelease: os.release(),
    nodeVersion: process.version,
    now: options.now ?? (() => Date.now()),
    fs: {
      readFile: (p) => fs.readFile(p, 'utf8'),
      async stat(p) {
        try {
          const s = await fs.stat(p)
          return { isFile: s.isFile(), isDirectory: s.isDirectory(), mode: s.mode, size: s.size, mtimeMs: s.mtimeMs }
        } catch {
          return null
        }
      },
      realpath: (p) => fs.realpath(p),
      async isExecutable(p) {
        try {
          const s = await fs.stat(p)
          if (!s.isFile()) return false
          if (platform === 'win32') return true
          await fs.access(p, fsConstants.X_OK)
          return true
        } catch {
          return false
        }
      },
      readdir: (p) => fs.readdir(p),
    },
    exec: (file, args, o) => exec(file, args, o, vars, platform),
    net: {
      async lookup(host, o) {
        const t = withTimeout(o.timeoutMs, o.signal)
        try {
          return await abortable(dns.lookup(host, { all: true }), t.signal)
        } finally {
          t.dispose()
        }
      },
      tcpConnect,
      tlsProbe: (host, port, o) => tlsProbe(host, port, o, extraCa),
      request: (req) => httpRequest(env, req, extraCa),
    },
  }
  return env
}
