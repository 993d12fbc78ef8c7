// The way to the API, layer by layer: DNS, TCP, TLS (who signed the certificate: a company proxy re-signing traffic
// shows up as SELF_SIGNED_CERT_IN_CHAIN or UNABLE_TO_GET_ISSUER_CERT_LOCALLY), HTTP through the configured proxy,
// the clock against the server's Date header, and (only with --check-key) whether the API accepts the key.
import { cleanKey, analyzeKey } from '../key.js'
import { proxyFor } from '../proxy.js'
import { scrub } from '../scrub.js'
import type { Check, CheckResult, DoctorEnv, Finding, Fix, TlsProbeResult } from '../types.js'
import { errorCode, errorMessage, getVar, hasVar, isRecord, isWindows, maskUrlCredentials, parseJson } from '../util.js'

const target = (apiUrl: string) => {
  const u = new URL(apiUrl)
  return { url: u, host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port) || (u.protocol === 'https:' ? 443 : 80) }
}

const isIp = (host: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':')

function isPrivate(address: string): boolean {
  return /^(10\.|127\.|0\.|192\.168\.|169\.254\.|172\.(1[6-9]|2\d|3[01])\.)/.test(address) || address === '::1' || /^f[cd]/i.test(address)
}

/** what a connection error code means, in words */
export function connectionHint(code: string): string {
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the name does not resolve (see DNS)'
  if (code === 'ECONNREFUSED') return 'refused: nothing listens there, or a firewall rejects the connection'
  if (code === 'ETIMEDOUT' || code === 'ABORT_ERR' || code === 'UND_ERR_CONNECT_TIMEOUT') return 'no answer: a firewall or VPN drops the traffic'
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET') return 'the connection was cut: a firewall or security software ends it'
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'no route to the network: offline or VPN'
  return code
}

/** verification codes that mean "someone in between signs the traffic" (TLS inspection) or a missing company root */
export const UNTRUSTED_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_UNTRUSTED',
])

function caFix(env: DoctorEnv, issuer: string): Fix {
  const has = hasVar(env, 'NODE_EXTRA_CA_CERTS')
  const commands = isWindows(env)
    ? ['[Environment]::SetEnvironmentVariable("NODE_EXTRA_CA_CERTS", "C:\\path\\to\\company-root.pem", "User")']
    : env.platform === 'darwin'
      ? ['security find-certificate -a -p /Library/Keychains/System.keychain > ~/company-roots.pem', 'export NODE_EXTRA_CA_CERTS=~/company-roots.pem']
      : ['export NODE_EXTRA_CA_CERTS=/path/to/company-root.pem']
  return {
    text: has
      ? `The file in NODE_EXTRA_CA_CERTS does not hold the root that signed this certificate (${issuer || 'unknown issuer'}). Add that root (ask IT), or disable TLS inspection for api.anthropic.com.`
      : `Something between you and the API re-signs TLS (a company proxy or security software; issuer: ${issuer || 'unknown'}). Get its root certificate as PEM from IT and point NODE_EXTRA_CA_CERTS at it (also in your shell startup file), or ask IT to exempt api.anthropic.com.`,
    commands,
  }
}

export const dnsCheck: Check = {
  id: 'dns',
  title: 'DNS',
  timeoutMs: 8_000,
  async run(env, ctx): Promise<CheckResult> {
    const { url, host } = target(ctx.options.apiUrl)
    if (isIp(host)) return { state: 'skipped', summary: `${host} is an address, nothing to resolve` }
    const proxy = proxyFor(env, url)
    try {
      const addresses = await env.net.lookup(host, { timeoutMs: 5_000, signal: ctx.signal })
      const list = addresses.map((a) => a.address)
      const facts = { host, addresses: list.slice(0, 8) }
      if (host.endsWith('anthropic.com') && list.some(isPrivate)) {
        return {
          state: 'warning',
          summary: `${host} resolves to a private address (${list.join(', ')})`,
          details: ['A DNS filter or a hosts-file entry redirects the API; expected only with a deliberate internal gateway.'],
          facts,
          findings: [{ code: 'dns.private_address', severity: 'warning' }],
          fix: { text: 'Check /etc/hosts (C:\\Windows\\System32\\drivers\\etc\\hosts) and your DNS/VPN filter for an entry for api.anthropic.com.', commands: [] },
        }
      }
      return { state: 'ok', summary: `${host} → ${list.slice(0, 3).join(', ')}${list.length > 3 ? ` (+${list.length - 3})` : ''}`, facts }
    } catch (err) {
      const code = errorCode(err) ?? 'ERROR'
      if (proxy) {
        return {
          state: 'warning',
          summary: `${host} does not resolve here (${code}); fine if the proxy resolves it`,
          facts: { host, error: code, behindProxy: true },
          findings: [{ code: 'dns.failed_behind_proxy', severity: 'info' }],
        }
      }
      return {
        state: 'error',
        summary: `${host} does not resolve (${code})`,
        details: ['No DNS answer: offline, a VPN or firewall blocks the name, or the company network needs a proxy.'],
        facts: { host, error: code },
        findings: [{ code: 'dns.failed', severity: 'error' }],
        fix: { text: 'Check the connection and VPN; on a company network, set HTTPS_PROXY to the company proxy.', commands: isWindows(env) ? [`Resolve-DnsName ${host}`] : [`nslookup ${host}`] },
      }
    }
  },
}

export const tcpCheck: Check = {
  id: 'tcp',
  title: 'TCP connection',
  timeoutMs: 12_000,
  async run(env, ctx): Promise<CheckResult> {
    const { url, host, port } = target(ctx.options.apiUrl)
    const proxy = proxyFor(env, url)
    let toHost = host
    let toPort = port
    let label = `${host}:${port}`
    if (proxy) {
      try {
        const p = new URL(proxy)
        toHost = p.hostname.replace(/^\[|\]$/g, '')
        toPort = Number(p.port) || (p.protocol === 'https:' ? 443 : 80)
        label = `proxy ${maskUrlCredentials(proxy)}`
      } catch {
        return { state: 'skipped', summary: 'the proxy setting is not a URL (see "Proxy and certificates")' }
      }
    }
    try {
      const r = await env.net.tcpConnect(toHost, toPort, { timeoutMs: 8_000, signal: ctx.signal })
      return { state: 'ok', summary: `${label} reachable (${r.ms} ms)`, facts: { target: label, ms: r.ms, viaProxy: proxy !== null } }
    } catch (err) {
      const code = errorCode(err) ?? 'ERROR'
      return {
        state: 'error',
        summary: `cannot connect to ${label} (${code})`,
        details: [connectionHint(code)],
        facts: { target: label, error: code, viaProxy: proxy !== null },
        findings: [{ code: proxy ? 'tcp.proxy_unreachable' : 'tcp.failed', severity: 'error' }],
        fix: proxy
          ? { text: 'The proxy in HTTPS_PROXY does not answer: check its address and port (or whether you are on the company network / VPN).', commands: [] }
          : { text: `Outbound HTTPS to the API is blocked. Try without VPN, or ask IT to allow ${host}:${port} (or give you a proxy for HTTPS_PROXY).`, commands: [] },
      }
    }
  },
}

export const tlsCheck: Check = {
  id: 'tls',
  title: 'TLS certificate',
  timeoutMs: 12_000,
  async run(env, ctx): Promise<CheckResult> {
    const { url, host, port } = target(ctx.options.apiUrl)
    if (url.protocol !== 'https:') return { state: 'skipped', summary: `${url.protocol} is not TLS` }
    const proxy = proxyFor(env, url)
    let r: TlsProbeResult
    try {
      r = await env.net.tlsProbe(host, port, { timeoutMs: 8_000, signal: ctx.signal, proxy })
    } catch (err) {
      const code = errorCode(err) ?? 'ERROR'
      const proxyAuth = code === 'PROXY_407'
      return {
        state: 'error',
        summary: proxyAuth
          ? 'the proxy wants a login (407 Proxy Authentication Required)'
          : `no TLS handshake with ${host}${proxy ? ` through ${maskUrlCredentials(proxy)}` : ''} (${code})`,
        details: [connectionHint(code), scrub(errorMessage(err)).slice(0, 300)].filter((d, i, all) => all.indexOf(d) === i),
        facts: { error: code, via: proxy ? maskUrlCredentials(proxy) : null },
        findings: [{ code: proxyAuth ? 'proxy.auth_required' : 'tls.failed', severity: 'error' }],
        fix: proxyAuth
          ? { text: 'Put the proxy user and password in the proxy URL (http://user:password@proxy:port), URL-encoded.', commands: [] }
          : code === 'ECONNRESET'
            ? { text: 'The connection is cut during the TLS handshake: a firewall or security software blocks it. Try without VPN or ask IT.', commands: [] }
            : { text: 'The API cannot be reached from here; the DNS and TCP lines say where it stops.', commands: [] },
      }
    }
    const leaf = r.chain[0]
    const root = r.chain[r.chain.length - 1]
    const issuer = leaf?.issuer ?? ''
    const facts = {
      authorized: r.authorized,
      errorCode: r.errorCode,
      protocol: r.protocol,
      issuer,
      root: root?.subject ?? null,
      chainLength: r.chain.length,
      via: r.via,
      extraCaCerts: hasVar(env, 'NODE_EXTRA_CA_CERTS'),
    }
    const details = r.chain.slice(0, 4).map((c, i) => `${i === 0 ? 'certificate' : `issuer ${i}`}: ${c.subject || '(no subject)'}${c.selfSigned ? ' (self-signed)' : ''}`)
    if (r.authorized) return { state: 'ok', summary: `${r.protocol ?? 'TLS'}, verified, issued by ${issuer || 'unknown'}${r.via ? ` (through ${r.via})` : ''}`, details, facts }
    const code = r.errorCode ?? 'UNKNOWN'
    const findings: Finding[] = []
    let summary: string
    let fix: Fix
    if (UNTRUSTED_CODES.has(code)) {
      findings.push({ code: 'tls.untrusted', severity: 'error' })
      summary = `not trusted: ${code}, issued by ${issuer || 'unknown'}: a sign of TLS inspection`
      fix = caFix(env, issuer)
    } else if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || code === 'HOSTNAME_MISMATCH') {
      findings.push({ code: 'tls.hostname_mismatch', severity: 'error' })
      summary = `the certificate is for another name (${leaf?.subject ?? 'unknown'}): a captive portal or a proxy answers instead`
      fix = { text: 'Log in to the network (hotel/guest Wi-Fi portal) or check the proxy settings.', commands: [] }
    } else if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
      findings.push({ code: 'tls.cert_time', severity: 'error' })
      summary = `certificate ${code === 'CERT_HAS_EXPIRED' ? 'expired' : 'not valid yet'}: check this computer's date and time`
      fix = { text: "Set the computer's clock automatically (network time), then retry.", commands: env.platform === 'linux' ? ['timedatectl set-ntp true'] : [] }
    } else {
      findings.push({ code: 'tls.untrusted', severity: 'error' })
      summary = `not trusted: ${code}, issued by ${issuer || 'unknown'}`
      fix = caFix(env, issuer)
    }
    return { state: 'error', summary, details, facts, findings, fix }
  },
}

/** `Date` header minus the local clock at the middle of the request, in seconds */
export function clockSkewSeconds(dateHeader: string | undefined, sentAt: number, receivedAt: number): number | null {
  if (!dateHeader) return null
  const server = Date.parse(dateHeader)
  if (Number.isNaN(server)) return null
  return Math.round((server - (sentAt + receivedAt) / 2) / 1000)
}

function apiError(body: string): { type: string | null; message: string | null } {
  const parsed = parseJson(body)
  if (!parsed.ok || !isRecord(parsed.value)) return { type: null, message: null }
  const e = parsed.value.error
  if (!isRecord(e)) return { type: null, message: null }
  return { type: typeof e.type === 'string' ? e.type : null, message: typeof e.message === 'string' ? scrub(e.message).slice(0, 300) : null }
}

export const httpsCheck: Check = {
  id: 'https',
  title: 'HTTPS request',
  timeoutMs: 15_000,
  async run(env, ctx): Promise<CheckResult> {
    const { url } = target(ctx.options.apiUrl)
    const proxy = proxyFor(env, url)
    const via = proxy ? ` through ${maskUrlCredentials(proxy)}` : ''
    const endpoint = new URL('/v1/models', url).toString()
    const sentAt = env.now()
    try {
      const res = await env.net.request({ method: 'GET', url: endpoint, headers: { 'anthropic-version': '2023-06-01' }, timeoutMs: 10_000, signal: ctx.signal })
      const receivedAt = env.now()
      const skew = clockSkewSeconds(res.headers['date'], sentAt, receivedAt)
      const err = apiError(res.body)
      const html = /text\/html/i.test(res.headers['content-type'] ?? '')
      const facts = { status: res.status, ms: res.ms, via: proxy ? maskUrlCredentials(proxy) : null, clockSkewSeconds: skew, errorType: err.type }
      const findings: Finding[] = []
      const details: string[] = []
      let state: CheckResult['state'] = 'ok'
      let fix: Fix | undefined
      let summary: string
      if (res.status === 407) {
        state = 'error'
        findings.push({ code: 'proxy.auth_required', severity: 'error' })
        summary = `the proxy wants a login (HTTP 407)${via}`
        fix = { text: 'Put the proxy user and password in the proxy URL (http://user:password@proxy:port), URL-encoded.', commands: [] }
      } else if (err.type !== null && res.status !== 403) {
        summary = `the API answers${via} (HTTP ${res.status} without a key, as expected; ${res.ms} ms)`
      } else if (res.status === 403) {
        state = 'error'
        findings.push({ code: html || err.type === null ? 'https.blocked' : 'https.forbidden', severity: 'error' })
        summary = html || err.type === null ? `HTTP 403 from something that is not the API${via}: a proxy or firewall blocks it` : `HTTP 403 from the API before any key: ${err.message ?? err.type}`
        if (err.message) details.push(`API says: ${err.message}`)
        fix = html || err.type === null
          ? { text: 'Ask IT to allow api.anthropic.com (and claude.ai for login) through the proxy or firewall.', commands: [] }
          : { text: 'The API refuses this network or region; see the message. A VPN exit in a supported region or another network helps.', commands: [] }
      } else if (res.status >= 500) {
        state = 'warning'
        findings.push({ code: 'https.server_error', severity: 'warning' })
        summary = `HTTP ${res.status}${via}: the service has a problem (not your setup); see status.anthropic.com`
      } else {
        state = 'warning'
        findings.push({ code: 'https.unexpected', severity: 'warning' })
        summary = `HTTP ${res.status}${via} from something that does not answer like the API${html ? ' (an HTML page)' : ''}`
      }
      if (skew !== null && Math.abs(skew) > 60) {
        const big = Math.abs(skew) > 300
        if (big) state = 'error'
        else if (state === 'ok') state = 'warning'
        findings.push({ code: 'clock.skew', severity: big ? 'error' : 'warning' })
        details.push(`this computer's clock is ${Math.abs(skew)} s ${skew > 0 ? 'behind' : 'ahead of'} the server: tokens look expired or not yet valid`)
        fix ??= { text: "Turn on automatic date and time (network time) and retry.", commands: env.platform === 'linux' ? ['timedatectl set-ntp true'] : env.platform === 'darwin' ? ['sudo sntp -sS time.apple.com'] : ['w32tm /resync'] }
      } else if (skew !== null) details.push(`clock within ${Math.abs(skew)} s of the server`)
      return { state, summary, details, facts, findings, ...(fix ? { fix } : {}) }
    } catch (err) {
      const code = errorCode(err) ?? 'ERROR'
      const untrusted = UNTRUSTED_CODES.has(code)
      return {
        state: 'error',
        summary: `request failed${via}: ${code}${untrusted ? ' (certificate not trusted: TLS inspection)' : ''}`,
        details: [untrusted ? 'the certificate was not signed by a root this computer trusts' : connectionHint(code), scrub(errorMessage(err)).slice(0, 300)],
        facts: { error: code, via: proxy ? maskUrlCredentials(proxy) : null },
        findings: [{ code: untrusted ? 'tls.untrusted' : 'https.failed', severity: 'error' }],
        fix: untrusted ? caFix(env, '') : { text: 'The API cannot be reached from here; the DNS, TCP and TLS lines above say where it stops.', commands: [] },
      }
    }
  },
}

export const keyCheck: Check = {
  id: 'api-key-check',
  title: 'API key accepted',
  timeoutMs: 15_000,
  async run(env, ctx): Promise<CheckResult> {
    if (!ctx.options.checkKey) return { state: 'skipped', summary: 'not tested (run with --check-key: one free request, GET /v1/models)' }
    const raw = getVar(env, 'ANTHROPIC_API_KEY')
    if (!raw) return { state: 'skipped', summary: 'ANTHROPIC_API_KEY is not set' }
    const a = analyzeKey(raw)
    // headers cannot carry line breaks; test what the key would be without its hidden characters, and say so
    const key = a.hidden.length ? cleanKey(raw) : raw
    const cleaned = a.hidden.length > 0
    const { url } = target(ctx.options.apiUrl)
    const endpoint = new URL('/v1/models', url).toString()
    let res
    try {
      res = await env.net.request({
        method: 'GET',
        url: endpoint,
        headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01' },
        timeoutMs: 10_000,
        signal: ctx.signal,
      })
    } catch (err) {
      return { state: 'warning', summary: `could not ask the API (${errorCode(err) ?? 'error'}); see the network lines`, facts: { error: errorCode(err) ?? 'error' } }
    }
    const err = apiError(res.body)
    const facts = { status: res.status, errorType: err.type, testedCleanedKey: cleaned, host: url.host }
    const prefix = cleaned ? 'with its hidden characters removed, ' : ''
    const details = err.message ? [`API says: ${err.type ?? 'error'}: ${err.message}`] : []
    if (res.status === 200) {
      return {
        state: cleaned ? 'error' : 'ok',
        summary: `${prefix}the API accepts the key (HTTP 200)`,
        details: cleaned ? ['the key itself is fine: remove the hidden characters where it is set'] : details,
        facts,
        ...(cleaned ? { findings: [{ code: 'api_key.hidden_characters', severity: 'error' as const }] } : {}),
      }
    }
    if (res.status === 401) {
      return {
        state: 'error',
        summary: `${prefix}the API rejects the key (HTTP 401${err.type ? ` ${err.type}` : ''})`,
        details: [...details, 'The key was deleted, rotated, or mistyped.'],
        facts,
        findings: [{ code: 'key.rejected', severity: 'error' }],
        fix: { text: 'Create a new key in the Anthropic Console (Settings → API keys), put it where the old one was set, and open a new terminal.', commands: [] },
      }
    }
    if (res.status === 403) {
      return {
        state: 'error',
        summary: `the key is valid but not allowed (HTTP 403${err.type ? ` ${err.type}` : ''})`,
        details: [...details, 'Billing, organisation policy, or a disabled organisation: an admin of the Console organisation can fix it, not a local change.'],
        facts,
        findings: [{ code: 'key.forbidden', severity: 'error' }],
        fix: { text: 'Check billing and the organisation in the Anthropic Console (Settings → Billing / Limits), or ask its admin.', commands: [] },
      }
    }
    if (res.status === 429) return { state: 'ok', summary: `${prefix}the key is valid (HTTP 429: rate limited right now)`, details, facts }
    return { state: 'warning', summary: `${prefix}unexpected answer: HTTP ${res.status}`, details, facts, findings: [{ code: 'key.unexpected', severity: 'warning' }] }
  },
}
