// PEM private keys (RSA, EC, OPENSSH, PKCS#8, encrypted, PGP). A key cut off before its END line is still hidden
// up to the end of its base64 body. Scanned with indexOf, linear even with many BEGIN lines and no END.
import type { Detector, DetectorMatch } from '../types.js'
import { placeholder } from '../util.js'

const HEADER = /^-----BEGIN ([A-Z0-9 ]{0,40})-----/
const BODY_CHAR = /[A-Za-z0-9+/=\s\\:,-]/

function find(text: string): DetectorMatch[] {
  const out: DetectorMatch[] = []
  let from = 0
  // once the search for an END line fails from p, it fails from any later p: remember it per marker
  const noEndFrom = new Map<string, number>()
  for (;;) {
    const s = text.indexOf('-----BEGIN ', from)
    if (s < 0) break
    const h = HEADER.exec(text.slice(s, s + 60))
    if (!h || !h[1]!.includes('PRIVATE KEY')) {
      from = s + 11
      continue
    }
    const bodyStart = s + h[0].length
    const endMarker = `-----END ${h[1]}-----`
    let e = bodyStart < (noEndFrom.get(endMarker) ?? Infinity) ? text.indexOf(endMarker, bodyStart) : -1
    if (e >= 0) e += endMarker.length
    else {
      noEndFrom.set(endMarker, Math.min(noEndFrom.get(endMarker) ?? Infinity, bodyStart))
      e = bodyStart
      while (e < text.length && BODY_CHAR.test(text[e]!) && !text.startsWith('-----', e)) e++
      // keep the line break after a truncated body
      while (e > bodyStart && /\s/.test(text[e - 1]!)) e--
    }
    out.push({ start: s, end: e, kind: 'private-key', replacement: placeholder('private-key') })
    from = e
  }
  return out
}

const PEM_BODY = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQEXAMPLE\nq1w2e3r4t5y6u7i8o9p0EXAMPLEbodyLINE2abcdefghijklmnopqrstuv'

export const privateKey: Detector = {
  id: 'private-key',
  kind: 'private-key',
  secret: true,
  description: 'PEM private key block',
  keywords: ['private key'],
  find,
  truePositives: [
    { text: `key:\n-----BEGIN PRIVATE KEY-----\n${PEM_BODY}\n-----END PRIVATE KEY-----\nafter`, secret: PEM_BODY },
    { text: `"-----BEGIN RSA PRIVATE KEY-----\\n${PEM_BODY.replace('\n', '\\n')}\\n-----END RSA PRIVATE KEY-----\\n"`, secret: 'EXAMPLEbodyLINE2' },
    { text: `-----BEGIN OPENSSH PRIVATE KEY-----\n${PEM_BODY}\n(truncated)`, secret: PEM_BODY },
  ],
  falsePositives: [
    '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
    'Load the private key from disk',
    '-----BEGIN PUBLIC KEY-----',
  ],
}
