import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHttpServer, type HttpServer } from '../../src/web/server.js'
import { classifyRoutes, CLASSIFY_MAX_BYTES } from '../../src/web/classify-routes.js'
import { createLogger } from '../../src/log.js'

const FAKE_KEY = 'sk-ant-api03-' + 'Zx9'.repeat(31) + 'AA'

let http: HttpServer
let base: string
beforeAll(async () => {
  http = createHttpServer({ log: createLogger({ level: 'silent' }), routes: classifyRoutes({ clock: () => new Date('2026-11-24T12:00:00Z') }) })
  const port = await http.listen(0, '127.0.0.1')
  base = `http://127.0.0.1:${port}`
})
afterAll(() => http.close(100))

const post = (body: string, type = 'application/json') => fetch(`${base}/api/classify`, { method: 'POST', headers: { 'content-type': type }, body })

describe('POST /api/classify', () => {
  it('GIVEN a pasted 401 invalid x-api-key error WHEN posted THEN the diagnosis and a Markdown reply come back', async () => {
    const text = `API Error: 401 {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}`
    const res = await post(JSON.stringify({ text }))
    expect(res.status).toBe(200)
    const body = (await res.json()) as { diagnosis: { cause: string; evidence: { start: number; end: number; text: string }[] }; reply: string }
    expect(body.diagnosis.cause).toBe('invalid_api_key')
    for (const e of body.diagnosis.evidence) expect(text.slice(e.start, e.end)).toBe(e.text)
    expect(body.reply).toMatch(/\n1\. /)
  })

  it('GIVEN a paste holding an API key WHEN posted THEN the key is not echoed anywhere in the answer', async () => {
    const res = await post(JSON.stringify({ text: `export ANTHROPIC_API_KEY=${FAKE_KEY}\nError: 401 invalid x-api-key` }))
    const raw = await res.text()
    expect(res.status).toBe(200)
    expect(raw).not.toContain(FAKE_KEY.slice(14, 60))
  })

  it('GIVEN a platform override WHEN posted THEN the reply carries PowerShell commands', async () => {
    const res = await post(JSON.stringify({ text: 'Error: ANTHROPIC_API_KEY not found', platform: 'windows' }))
    const body = (await res.json()) as { reply: string }
    expect(body.reply).toMatch(/\$env:ANTHROPIC_API_KEY/)
  })

  it('GIVEN malformed JSON WHEN posted THEN 400 with code MALFORMED_JSON', async () => {
    const res = await post('{"text": ')
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('MALFORMED_JSON')
  })

  it('GIVEN JSON without text WHEN posted THEN 400 saying what is expected', async () => {
    const res = await post(JSON.stringify({ txt: 'x' }))
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/"text"/)
  })

  it('GIVEN a body over 64 KB WHEN posted THEN 413 with code BODY_TOO_LARGE', async () => {
    const res = await post(JSON.stringify({ text: 'x'.repeat(CLASSIFY_MAX_BYTES) }))
    expect(res.status).toBe(413)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('BODY_TOO_LARGE')
  })

  it('GIVEN a form body WHEN posted THEN 415 names the content type to use', async () => {
    const res = await post('text=hello', 'application/x-www-form-urlencoded')
    expect(res.status).toBe(415)
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/application\/json/)
  })

  it('GIVEN a GET on the classify route or an unknown path WHEN requested THEN 405 and 404 with codes', async () => {
    expect((await fetch(`${base}/api/classify`)).status).toBe(405)
    const res = await fetch(`${base}/nope`)
    expect(res.status).toBe(404)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND')
  })
})
