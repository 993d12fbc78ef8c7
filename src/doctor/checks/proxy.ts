// Proxy and certificate settings: HTTPS_PROXY / HTTP_PROXY / NO_PROXY in both cases (credentials in them masked),
// which proxy requests to the API take, and NODE_EXTRA_CA_CERTS pointing at a readable PEM bundle.
import { X509Certificate } from 'node:crypto'
import { proxyFor } from '../proxy.js'
import type { Check, CheckResult, DoctorEnv, Finding, Fix } from '../types.js'
import { errorCode, getVar, isWindows, maskUrlCredentials, plural, readIfExists, tilde } from '../util.js'

const PROXY_VARS = ['HTTPS_PROXY', 'HTTP_PROXY', 'ALL_PROXY', 'NO_PROXY'] as const

type CaBundle = { ok: true; certificates: number; subjects: string[] } | { ok: false; problem: 'missing' | 'unreadable' | 'not_pem'; detail: string }

export async function inspectCaBundle(env: DoctorEnv, path: string): Promise<CaBundle> {
  let text: string | null
  try {
    text = await readIfExists(env, path)
  } catch (err) {
    return { ok: false, problem: 'unreadable', detail: errorCode(err) ?? 'read failed' }
  }
  if (text === null) return { ok: false, problem: 'missing', detail: 'no such file' }
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []
  if (blocks.length === 0) {
    const der = /^\s*\x30/.test(text)
    return { ok: false, problem: 'not_pem', detail: der ? 'looks like a binary (DER) certificate; PEM text is needed' : 'no "-----BEGIN CERTIFICATE-----" block' }
  }
  const subjects: string[] = []
  for (const b of blocks.slice(0, 5)) {
    try {
      const cn = /CN=([^\n,]+)/.exec(new X509Certificate(b).subject)
      subjects.push(cn ? (cn[1] as string) : 'certificate')
    } catch {
      return { ok: false, problem: 'not_pem', detail: 'a certificate block in it cannot be parsed' }
    }
  }
  return { ok: true, certificates: blocks.length, subjects }
}

export const proxyCheck: Check = {
  id: 'proxy',
  title: 'Proxy and certificates',
  timeoutMs: 3_000,
  async run(env, ctx): Promise<CheckResult> {
    const details: string[] = []
    const findings: Finding[] = []
    const facts: Record<string, unknown> = {}
    let state: CheckResult['state'] = 'ok'
    let fix: Fix | undefined
    const worse = (s: 'warning' | 'error') => {
      if (state === 'ok' || (state === 'warning' && s === 'error')) state = s
    }
    const seen: Record<string, string> = {}
    for (const upper of PROXY_VARS) {
      const lower = upper.toLowerCase()
      const names = isWindows(env) ? [upper] : [lower, upper]
      const values = names.map((n) => [n, n === upper ? getVar(env, n) : env.env[n]] as const).filter(([, v]) => v !== undefined && v !== '')
      for (const [n, v] of values) {
        const value = v as string
        if (upper === 'NO_PROXY') {
          details.push(`${n}=${value}`)
          seen[n] = value
          continue
        }
        const masked = maskUrlCredentials(value)
        seen[n] = masked
        let note = ''
        try {
          const u = new URL(value)
          if (u.username || u.password) note = ' (with credentials, masked)'
          if (!['http:', 'https:'].includes(u.protocol)) {
            worse(upper === 'ALL_PROXY' ? 'warning' : 'error')
            findings.push({ code: 'proxy.unsupported_scheme', severity: upper === 'ALL_PROXY' ? 'warning' : 'error' })
            note += ` (${u.protocol.replace(':', '')}:// is not used by Node: only http:// and https:// proxies work)`
          }
        } catch {
          worse('error')
          findings.push({ code: 'proxy.invalid_url', severity: 'error' })
          note = ' (not a URL: write it as http://host:port)'
          fix = { text: `Write ${n} as a full URL, e.g. http://proxy.example.com:8080.`, commands: [] }
        }
        details.push(`${n}=${masked}${note}`)
      }
      if (values.length === 2 && values[0]?.[1] !== values[1]?.[1]) {
        worse('warning')
        findings.push({ code: 'proxy.case_mismatch', severity: 'warning' })
        details.push(`  ${lower} and ${upper} differ: Node and curl read ${lower} first, other tools ${upper}`)
      }
    }
    facts.variables = seen
    const api = new URL(ctx.options.apiUrl)
    const proxy = proxyFor(env, api)
    facts.apiProxy = proxy ? maskUrlCredentials(proxy) : null
    const anyProxy = Object.keys(seen).some((k) => !/no_proxy/i.test(k))
    if (anyProxy) details.push(proxy ? `requests to ${api.host} go through ${maskUrlCredentials(proxy)}` : `requests to ${api.host} go direct (NO_PROXY, or no proxy for https)`)

    const tlsOff = getVar(env, 'NODE_TLS_REJECT_UNAUTHORIZED')
    if (tlsOff === '0') {
      worse('warning')
      findings.push({ code: 'proxy.tls_verification_disabled', severity: 'warning' })
      details.push('NODE_TLS_REJECT_UNAUTHORIZED=0 turns off certificate checks for every Node program: unsafe; use NODE_EXTRA_CA_CERTS instead')
    }
    const caPath = getVar(env, 'NODE_EXTRA_CA_CERTS')
    if (caPath) {
      const ca = await inspectCaBundle(env, caPath)
      facts.extraCaCerts = ca.ok ? { path: tilde(env, caPath), certificates: ca.certificates } : { path: tilde(env, caPath), problem: ca.problem }
      if (ca.ok) details.push(`NODE_EXTRA_CA_CERTS=${tilde(env, caPath)}: ${plural(ca.certificates, 'certificate')} (${ca.subjects.join(', ')})`)
      else {
        worse('error')
        findings.push({ code: 'proxy.ca_unusable', severity: 'error' })
        details.push(`NODE_EXTRA_CA_CERTS=${tilde(env, caPath)}: ${ca.detail}`)
        fix = {
          text:
            ca.problem === 'not_pem'
              ? 'Export your company root certificate as PEM (Base-64) and point NODE_EXTRA_CA_CERTS at that file.'
              : 'Point NODE_EXTRA_CA_CERTS at a PEM file that exists and you can read (ask IT for the company root certificate).',
          commands: ca.problem === 'not_pem' && !isWindows(env) ? [`openssl x509 -inform der -in ${tilde(env, caPath)} -out ~/company-root.pem`, 'export NODE_EXTRA_CA_CERTS=~/company-root.pem'] : [],
        }
      }
    }
    if (!anyProxy && !caPath && tlsOff !== '0') return { state, summary: 'no proxy configured (direct connection)', details, facts, findings }
    const summary =
      state === 'ok'
        ? [anyProxy ? (proxy ? `proxy ${maskUrlCredentials(proxy)}` : 'proxy configured, API bypasses it') : 'no proxy', caPath ? 'extra CA certificates readable' : ''].filter(Boolean).join('; ')
        : 'proxy or certificate settings have problems'
    return { state, summary, details, facts, findings, ...(fix ? { fix } : {}) }
  },
}
