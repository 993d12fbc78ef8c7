// AWS credentials (Bedrock users paste them): access key ids, secret access keys and session tokens.
import type { Detector } from '../types.js'
import { groupRange, regexFinder } from '../util.js'

export const awsAccessKeyId: Detector = {
  id: 'aws-access-key-id',
  kind: 'aws-access-key-id',
  secret: true,
  description: 'AWS access key id (AKIA long-term, ASIA temporary, ABIA, ACCA)',
  keywords: ['akia', 'asia', 'abia', 'acca'],
  find: regexFinder(/(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}/g, 'aws-access-key-id', (m, text) =>
    /[A-Z0-9]/.test(text[m.index - 1] ?? '') ? null : undefined,
  ),
  truePositives: [
    { text: 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE', secret: 'IOSFODNN7EXAMPLE' },
    { text: '"AccessKeyId": "ASIAY34FZKBOKMUTVV7A"', secret: 'Y34FZKBOKMUTVV7A' },
  ],
  falsePositives: ['AKIA', 'AKIAEXAMPLE', 'akiaiosfodnn7example', 'ASIA-Pacific region', 'MALAKIAIOSFODNN7EXAMPLE1'],
}

const SECRET_RE = /(?:aws_?)?secret_?access_?key(["']?[ \t]{0,8}[:=][ \t]{0,8}["']?)([A-Za-z0-9/+]{30,}={0,2})/dgi

export const awsSecretAccessKey: Detector = {
  id: 'aws-secret-access-key',
  kind: 'aws-secret-access-key',
  secret: true,
  description: 'AWS secret access key assigned to aws_secret_access_key / SecretAccessKey',
  keywords: ['secret_access_key', 'secretaccesskey', 'secret_accesskey', 'secretaccess_key'],
  find: regexFinder(SECRET_RE, 'aws-secret-access-key', (m) => {
    const [start, end] = groupRange(m, 2)!
    return { start, end }
  }),
  truePositives: [
    { text: 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
    { text: '"SecretAccessKey": "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"', secret: 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY' },
    { text: 'export AWS_SECRET_ACCESS_KEY=Zm9vYmFyYmF6cXV4cXV1eHh5ejEyMzQ1Njc4OTA', secret: 'Zm9vYmFyYmF6cXV4cXV1eHh5ejEyMzQ1Njc4OTA' },
  ],
  falsePositives: ['aws_secret_access_key is not set', 'AWS_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY', 'SecretAccessKey: null'],
}

const SESSION_NAMED_RE =
  /(?:aws_?session_?token|aws_?security_?token|sessiontoken|x-amz-security-token)(["']?[ \t]{0,8}[:=][ \t]{0,8}["']?)([A-Za-z0-9/+]{16,}={0,2})/dgi
const SESSION_SHAPE_RE = /(?:IQoJb3JpZ2lu|FwoGZXIvYXdz|FQoGZXIvYXdz)[A-Za-z0-9/+]{20,}={0,2}/g
const named = regexFinder(SESSION_NAMED_RE, 'aws-session-token', (m) => {
  const [start, end] = groupRange(m, 2)!
  return { start, end }
})
const shaped = regexFinder(SESSION_SHAPE_RE, 'aws-session-token')

const SESSION = 'IQoJb3JpZ2luX2VjEXAMPLEtokenBODYaCXVzLWVhc3QtMSJHMEUCIQD0123456789abcdefABCDEF/+xyz'

export const awsSessionToken: Detector = {
  id: 'aws-session-token',
  kind: 'aws-session-token',
  secret: true,
  description: 'AWS session token (named, or by its IQoJb3JpZ2lu / FwoGZXIvYXdz shape)',
  keywords: ['session_token', 'sessiontoken', 'security_token', 'securitytoken', 'x-amz-security-token', 'iqojb3jpz2lu', 'fwogzxivyxdz', 'fqogzxivyxdz'],
  find: (text) => {
    const a = named(text)
    const b = shaped(text)
    if (!a.length) return b
    if (!b.length) return a
    const all = [...a, ...b].sort((x, y) => x.start - y.start)
    const out = []
    let lastEnd = 0
    for (const m of all) if (m.start >= lastEnd) (out.push(m), (lastEnd = m.end))
    return out
  },
  truePositives: [
    { text: `aws_session_token = ${SESSION}`, secret: SESSION.slice(12) },
    { text: `token was ${SESSION} (expired)`, secret: SESSION.slice(12) },
    { text: '"SessionToken": "AQoDYXdzEJr1K2mVyZ3Rva2VuEXAMPLE0123456789"', secret: 'AQoDYXdzEJr1K2mVyZ3Rva2VuEXAMPLE0123456789' },
  ],
  falsePositives: ['The security token included in the request is invalid.', 'aws_session_token not found', 'SessionToken: null'],
}
