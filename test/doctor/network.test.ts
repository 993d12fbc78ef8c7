import net from 'node:net'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { clockSkewSeconds, dnsCheck, httpsCheck, keyCheck, tcpCheck, tlsCheck } from '../../src/doctor/checks/network.js'
import type { DoctorEnv } from '../../src/doctor/types.js'
import { check, codes, fakeKey, hasOpenssl, makeEnv, shown, tempHome, type TempDirs } from './helpers.js'
import { makeCerts, startApi, startProxy, type ApiServer, type Certs, type Proxy } from './tls-fixtures.js'

const openssl = hasOpenssl()
let certs: Certs
let dirs: TempDirs
beforeAll(() => {
  if (openssl) certs = makeCerts()
})
beforeEach(() => {
  dirs = tempHome()
})
afterEach(() => dirs.cleanup())

const GOOD = fakeKey('api03', 31)
const FORBIDDEN = fakeKey('api03', 32)
const WRONG = fakeKey('api03', 33)

describe.runIf(openssl)('TLS against a local server', () => {
  const servers: ApiServer[] = []
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()))
  })
  const serve = async (key: string, cert: string) => {
    const s = await startApi({ key, cert }, { goodKey: GOOD, forbiddenKey: FORBIDDEN })
    servers.push(s)
    return s
  }

  it('GIVEN a self-signed certificate WHEN probed THEN DEPTH_ZERO_SELF_SIGNED_CERT is reported as not trusted', async () => {
    const api = await serve(certs.selfKey, certs.selfCert)
    const r = await check(tlsCheck, makeEnv(dirs), { apiUrl: api.url })
    expect(r.state).toBe('error')
    expect(r.facts.errorCode).toBe('DEPTH_ZERO_SELF_SIGNED_CERT')
    expect(codes(r)).toEqual(['tls.untrusted'])
  })

  it('GIVEN an inspection proxy that sends its root along WHEN probed THEN SELF_SIGNED_CERT_IN_CHAIN and the issuer are named', async () => {
    const api = await serve(certs.leafKey, certs.leafCert + certs.caCert)
    const r = await check(tlsCheck, makeEnv(dirs), { apiUrl: api.url })
    expect(r.facts.errorCode).toBe('SELF_SIGNED_CERT_IN_CHAIN')
    expect(r.summary).toContain('Corp Inspection Root')
    expect(r.summary).toContain('TLS inspection')
    expect(r.fix?.commands.join('\n')).toContain('NODE_EXTRA_CA_CERTS')
  })

  it('GIVEN a chain up to an issuing CA whose company root is unknown WHEN probed THEN UNABLE_TO_GET_ISSUER_CERT_LOCALLY', async () => {
    const api = await serve(certs.interLeafKey, certs.interLeafCert + certs.interCert)
    const r = await check(tlsCheck, makeEnv(dirs), { apiUrl: api.url })
    expect(r.facts.errorCode).toBe('UNABLE_TO_GET_ISSUER_CERT_LOCALLY')
    expect(codes(r)).toEqual(['tls.untrusted'])
    expect(r.details).toEqual(['certificate: CN=127.0.0.1', 'issuer 1: CN=Corp Issuing CA, O=Corp Security'])
  })

  it('GIVEN only a leaf signed by an unknown root WHEN probed THEN UNABLE_TO_VERIFY_LEAF_SIGNATURE, also a sign of inspection', async () => {
    const api = await serve(certs.leafKey, certs.leafCert)
    const r = await check(tlsCheck, makeEnv(dirs), { apiUrl: api.url })
    expect(r.facts.errorCode).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE')
    expect(codes(r)).toEqual(['tls.untrusted'])
  })

  it('GIVEN the company root is trusted WHEN probed THEN ok and verified', async () => {
    const api = await serve(certs.leafKey, certs.leafCert)
    const r = await check(tlsCheck, makeEnv(dirs, {}, { extraCa: certs.caCert }), { apiUrl: api.url })
    expect(r.state).toBe('ok')
    expect(r.facts).toMatchObject({ authorized: true, errorCode: null })
  })

  it('GIVEN an untrusted certificate WHEN the HTTPS request is made THEN it fails with the verification code', async () => {
    const api = await serve(certs.leafKey, certs.leafCert + certs.caCert)
    const r = await check(httpsCheck, makeEnv(dirs), { apiUrl: api.url })
    expect(r.state).toBe('error')
    expect(r.facts.error).toBe('SELF_SIGNED_CERT_IN_CHAIN')
    expect(codes(r)).toEqual(['tls.untrusted'])
  })

  it('GIVEN a trusted API WHEN the HTTPS request is made without a key THEN ok: the API answered 401 as expected', async () => {
    const api = await serve(certs.leafKey, certs.leafCert)
    const r = await check(httpsCheck, makeEnv(dirs, {}, { extraCa: certs.caCert }), { apiUrl: api.url })
    expect(r.state).toBe('ok')
    expect(r.facts).toMatchObject({ status: 401, via: null })
    expect(api.requests.at(-1)?.key).toBeUndefined() // no key sent by the plain HTTPS check
  })

  describe('through a CONNECT proxy', () => {
    let proxy: Proxy
    afterEach(async () => proxy?.close())

    it('GIVEN HTTPS_PROXY WHEN the HTTPS and TLS checks run THEN both go through the proxy', async () => {
      proxy = await startProxy()
      const api = await serve(certs.leafKey, certs.leafCert)
      const env = makeEnv(dirs, { HTTPS_PROXY: proxy.url }, { extraCa: certs.caCert })
      const https = await check(httpsCheck, env, { apiUrl: api.url })
      expect(https.state).toBe('ok')
      expect(https.summary).toContain(`through ${proxy.url}`)
      const tls = await check(tlsCheck, env, { apiUrl: api.url })
      expect(tls.state).toBe('ok')
      expect(tls.facts.via).toBe(proxy.url)
      expect(proxy.requests.map((r) => r.path)).toEqual([`127.0.0.1:${api.port}`, `127.0.0.1:${api.port}`])
      const tcp = await check(tcpCheck, env, { apiUrl: api.url })
      expect(tcp.summary).toContain(`proxy ${proxy.url}`)
    })

    it('GIVEN lower-case https_proxy and NO_PROXY for another host WHEN requested THEN the proxy is still used', async () => {
      proxy = await startProxy()
      const api = await serve(certs.leafKey, certs.leafCert)
      const env = makeEnv(dirs, { https_proxy: proxy.url, NO_PROXY: 'internal.example.com' }, { extraCa: certs.caCert })
      expect((await check(httpsCheck, env, { apiUrl: api.url })).state).toBe('ok')
      expect(proxy.requests).toHaveLength(1)
    })

    it('GIVEN NO_PROXY covering the API host WHEN requested THEN the proxy is bypassed', async () => {
      proxy = await startProxy()
      const api = await serve(certs.leafKey, certs.leafCert)
      const env = makeEnv(dirs, { HTTPS_PROXY: proxy.url, NO_PROXY: '127.0.0.1' }, { extraCa: certs.caCert })
      expect((await check(httpsCheck, env, { apiUrl: api.url })).state).toBe('ok')
      expect(proxy.requests).toHaveLength(0)
    })

    it('GIVEN a proxy that wants credentials WHEN they are in the URL THEN they are sent and masked in the report', async () => {
      const auth = `Basic ${Buffer.from('alice:pa ss').toString('base64')}`
      proxy = await startProxy({ requireAuth: auth })
      const api = await serve(certs.leafKey, certs.leafCert)
      const withCreds = proxy.url.replace('http://', 'http://alice:pa%20ss@')
      const ok = await check(httpsCheck, makeEnv(dirs, { HTTPS_PROXY: withCreds }, { extraCa: certs.caCert }), { apiUrl: api.url })
      expect(ok.state).toBe('ok')
      expect(shown(ok)).not.toContain('pa%20ss')
      const tls = await check(tlsCheck, makeEnv(dirs, { HTTPS_PROXY: proxy.url }, { extraCa: certs.caCert }), { apiUrl: api.url })
      expect(codes(tls)).toEqual(['proxy.auth_required'])
    })
  })

  describe('--check-key', () => {
    const env = (key: string) => makeEnv(dirs, { ANTHROPIC_API_KEY: key }, { extraCa: certs.caCert })

    it('GIVEN the option is off WHEN checked THEN skipped and nothing is sent', async () => {
      const api = await serve(certs.leafKey, certs.leafCert)
      const r = await check(keyCheck, env(GOOD), { apiUrl: api.url })
      expect(r.state).toBe('skipped')
      expect(api.requests).toHaveLength(0)
    })

    it('GIVEN a key the API accepts WHEN checked THEN ok (200)', async () => {
      const api = await serve(certs.leafKey, certs.leafCert)
      const r = await check(keyCheck, env(GOOD), { apiUrl: api.url, checkKey: true })
      expect(r.state).toBe('ok')
      expect(r.facts.status).toBe(200)
      expect(api.requests[0]).toEqual({ path: '/v1/models', key: GOOD })
    })

    it('GIVEN a rotated key WHEN checked THEN error key.rejected (401)', async () => {
      const api = await serve(certs.leafKey, certs.leafCert)
      const r = await check(keyCheck, env(WRONG), { apiUrl: api.url, checkKey: true })
      expect(r.state).toBe('error')
      expect(codes(r)).toEqual(['key.rejected'])
      expect(shown(r)).not.toContain(WRONG.slice(13, 40))
    })

    it('GIVEN a key of a restricted account WHEN checked THEN error key.forbidden (403) with the API message', async () => {
      const api = await serve(certs.leafKey, certs.leafCert)
      const r = await check(keyCheck, env(FORBIDDEN), { apiUrl: api.url, checkKey: true })
      expect(codes(r)).toEqual(['key.forbidden'])
      expect(r.details.join('\n')).toContain('credit balance is too low')
    })

    it('GIVEN a good key with a trailing newline WHEN checked THEN the cleaned key is tested and the hidden characters still count', async () => {
      const api = await serve(certs.leafKey, certs.leafCert)
      const r = await check(keyCheck, env(`${GOOD}\r\n`), { apiUrl: api.url, checkKey: true })
      expect(r.state).toBe('error')
      expect(r.summary).toBe('with its hidden characters removed, the API accepts the key (HTTP 200)')
      expect(codes(r)).toEqual(['api_key.hidden_characters'])
    })
  })

  it('GIVEN a server clock ten minutes ahead WHEN requested THEN clock skew is an error', async () => {
    const api = await startApi({ key: certs.leafKey, cert: certs.leafCert }, { skewSeconds: 600 })
    servers.push(api)
    const r = await check(httpsCheck, makeEnv(dirs, {}, { extraCa: certs.caCert }), { apiUrl: api.url })
    expect(r.state).toBe('error')
    expect(codes(r)).toEqual(['clock.skew'])
    expect(r.facts.clockSkewSeconds).toBeGreaterThan(590)
    expect(r.details.join('\n')).toContain('behind')
  })
})

describe('DNS and TCP', () => {
  const failingLookup = (env: DoctorEnv): DoctorEnv => ({
    ...env,
    net: { ...env.net, lookup: async () => Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND api.anthropic.com'), { code: 'ENOTFOUND' })) },
  })

  it('GIVEN the name does not resolve WHEN checked THEN error dns.failed; behind a proxy only a warning', async () => {
    const direct = await check(dnsCheck, failingLookup(makeEnv(dirs)))
    expect(direct.state).toBe('error')
    expect(codes(direct)).toEqual(['dns.failed'])
    const proxied = await check(dnsCheck, failingLookup(makeEnv(dirs, { HTTPS_PROXY: 'http://proxy.corp:3128' })))
    expect(proxied.state).toBe('warning')
    expect(codes(proxied)).toEqual(['dns.failed_behind_proxy'])
  })

  it('GIVEN the API name resolves to a private address WHEN checked THEN a DNS-filter warning', async () => {
    const base = makeEnv(dirs)
    const r = await check(dnsCheck, { ...base, net: { ...base.net, lookup: async () => [{ address: '10.1.2.3', family: 4 }] } })
    expect(codes(r)).toEqual(['dns.private_address'])
  })

  it('GIVEN nothing listens on the port WHEN connecting THEN error tcp.failed with ECONNREFUSED', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port
        s.close(() => resolve(p))
      })
    })
    const r = await check(tcpCheck, makeEnv(dirs), { apiUrl: `https://127.0.0.1:${port}` })
    expect(r.state).toBe('error')
    expect(r.facts.error).toBe('ECONNREFUSED')
    expect(codes(r)).toEqual(['tcp.failed'])
  })

  it('GIVEN Date headers WHEN skew is computed THEN it is measured from the middle of the request', () => {
    const sent = Date.parse('2026-01-01T00:00:00Z')
    expect(clockSkewSeconds('Thu, 01 Jan 2026 00:05:00 GMT', sent, sent + 2000)).toBe(299)
    expect(clockSkewSeconds(undefined, sent, sent)).toBeNull()
    expect(clockSkewSeconds('garbage', sent, sent)).toBeNull()
  })
})
