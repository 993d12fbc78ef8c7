// --upload CODE: shows exactly what will be sent, asks for consent, redacts with the bot's own redaction module, and
// posts { code, report } to <server>/api/doctor through the user's proxy settings.
import { scrubDeep } from './scrub.js'
import type { DoctorEnv, DoctorReport, UploadPayload } from './types.js'
import { errorCode, errorMessage, isRecord, parseJson } from './util.js'

export type UploadIO = {
  write(text: string): void
  /** stdin is a terminal a person can answer on */
  interactive: boolean
  /** one line from stdin (without the newline); null at end of input */
  readLine(): Promise<string | null>
}

export type UploadOptions = { code: string; server: string; yes: boolean }

export type UploadOutcome =
  | { sent: true; ok: boolean; status: number; message: string }
  | { sent: false; reason: 'declined' | 'no_consent' | 'bad_server' | 'network'; message: string }

/** the payload after redaction, and what the redaction replaced */
export function preparePayload(code: string, report: DoctorReport): { payload: UploadPayload; remarks: { kind: string; count: number }[] } {
  const { value, remarks } = scrubDeep({ code: code.trim(), report })
  return { payload: value, remarks }
}

export function uploadUrl(server: string): URL {
  const u = new URL(server)
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error(`${u.protocol} is not http(s)`)
  u.pathname = `${u.pathname.replace(/\/+$/, '')}/api/doctor`
  u.search = ''
  u.hash = ''
  return u
}

function serverMessage(status: number, body: string): string {
  const parsed = parseJson(body)
  if (parsed.ok && isRecord(parsed.value)) {
    const v = parsed.value
    if (typeof v.message === 'string') return v.message
    if (isRecord(v.error) && typeof v.error.message === 'string') return `${v.error.message}${typeof v.error.code === 'string' ? ` (${v.error.code})` : ''}`
    if (typeof v.error === 'string') return v.error
  }
  const text = body.trim().slice(0, 300)
  return text || `HTTP ${status}`
}

export async function upload(env: DoctorEnv, report: DoctorReport, options: UploadOptions, io: UploadIO): Promise<UploadOutcome> {
  let url: URL
  try {
    url = uploadUrl(options.server)
  } catch (err) {
    const message = `Not sent: the server address "${options.server}" is not a URL (${errorMessage(err)}).`
    io.write(`${message}\n`)
    return { sent: false, reason: 'bad_server', message }
  }
  const { payload, remarks } = preparePayload(options.code, report)
  const body = JSON.stringify(payload)
  io.write(`\nThis is exactly what will be sent to ${url.toString()} (${body.length} bytes):\n\n${JSON.stringify(payload, null, 2)}\n\n`)
  io.write(remarks.length ? `Redacted before sending: ${remarks.map((r) => `${r.count} × [${r.kind}]`).join(', ')}\n` : 'Nothing in it needed redacting.\n')
  if (url.protocol === 'http:' && !['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) {
    io.write('Note: the server address is plain http://, so the report travels unencrypted.\n')
  }
  if (!options.yes) {
    if (!io.interactive) {
      const message = 'Not sent: there is no terminal to ask for your consent. Read the report above, then run the same command with --yes to send it.'
      io.write(`${message}\n`)
      return { sent: false, reason: 'no_consent', message }
    }
    io.write('Send it? [y/N] ')
    const answer = (await io.readLine()) ?? ''
    if (!/^\s*y(es)?\s*$/i.test(answer)) {
      const message = 'Not sent.'
      io.write(`${message}\n`)
      return { sent: false, reason: 'declined', message }
    }
  }
  try {
    const res = await env.net.request({ method: 'POST', url: url.toString(), headers: { 'content-type': 'application/json' }, body, timeoutMs: 30_000 })
    const ok = res.status >= 200 && res.status < 300
    const message = serverMessage(res.status, res.body)
    io.write(ok ? `Uploaded: ${message}\n` : `Upload refused (HTTP ${res.status}): ${message}\n`)
    return { sent: true, ok, status: res.status, message }
  } catch (err) {
    const message = `Upload failed: could not reach ${url.host} (${errorCode(err) ?? errorMessage(err)}).`
    io.write(`${message}\n`)
    return { sent: false, reason: 'network', message }
  }
}
