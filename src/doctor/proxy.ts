// Which proxy a request to a URL takes, with the same rules as undici's EnvHttpProxyAgent (lower-case variables
// first, NO_PROXY by host suffix and optional port, `*` for everything). Pure apart from reading the env record.
import type { DoctorEnv } from './types.js'
import { getVar } from './util.js'

export type ProxySettings = { httpProxy: string; httpsProxy: string; noProxy: string }

export function proxySettings(env: DoctorEnv): ProxySettings {
  const pick = (lower: string, upper: string) => env.env[lower] ?? getVar(env, upper) ?? ''
  const httpProxy = pick('http_proxy', 'HTTP_PROXY')
  return {
    httpProxy,
    httpsProxy: pick('https_proxy', 'HTTPS_PROXY') || httpProxy,
    noProxy: pick('no_proxy', 'NO_PROXY'),
  }
}

export function bypassesProxy(noProxy: string, hostname: string, port: number): boolean {
  const entries = noProxy.split(/[,\s]/).filter(Boolean)
  if (entries.length === 0) return false
  if (noProxy.trim() === '*') return true
  const host = hostname.toLowerCase()
  return entries.some((entry) => {
    const parsed = /^(.+):(\d+)$/.exec(entry)
    const name = (parsed ? (parsed[1] as string) : entry).replace(/^\*?\./, '').toLowerCase()
    const entryPort = parsed ? Number(parsed[2]) : 0
    if (entryPort && entryPort !== port) return false
    return host === name || host.endsWith(`.${name}`)
  })
}

/** the proxy URL a request to `url` goes through, or null for a direct connection */
export function proxyFor(env: DoctorEnv, url: URL): string | null {
  const s = proxySettings(env)
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80)
  const hostname = url.hostname.replace(/^\[|\]$/g, '')
  if (bypassesProxy(s.noProxy, hostname, port)) return null
  const proxy = url.protocol === 'https:' ? s.httpsProxy : s.httpProxy
  return proxy || null
}
