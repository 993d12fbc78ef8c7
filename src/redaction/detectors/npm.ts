// npm access tokens (npm_...) and `_authToken=` lines of .npmrc.
import type { Detector } from '../types.js'
import { groupRange, isReference, regexFinder } from '../util.js'

const RE = /(?:npm_[A-Za-z0-9]{30,}|_authToken[ \t]{0,4}=[ \t]{0,4}([^\s"'#;]+))/dg

export const npmToken: Detector = {
  id: 'npm-token',
  kind: 'npm-token',
  secret: true,
  description: 'npm access token (npm_...) or an .npmrc _authToken value',
  keywords: ['npm_', '_authtoken'],
  find: regexFinder(RE, 'npm-token', (m) => {
    const value = m[1]
    if (value === undefined) return undefined
    if (isReference(value) || value.length < 8) return null
    const [start, end] = groupRange(m, 1)!
    return { start, end }
  }),
  truePositives: [
    { text: 'NPM_TOKEN=npm_EXAMPLE0123456789abcdefghijklmnopqrstu', secret: 'EXAMPLE0123456789abcdefghijklmnopqrstu' },
    { text: '//registry.npmjs.org/:_authToken=0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0', secret: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0' },
  ],
  falsePositives: ['//registry.npmjs.org/:_authToken=${NPM_TOKEN}', 'npm_config_prefix=/usr/local', 'npm_token'],
}
