// JSON Web Tokens: three base64url parts, header and payload both starting with eyJ ('{"').
import type { Detector } from '../types.js'
import { regexFinder } from '../util.js'

// The left boundary makes the engine try only the first eyJ of a run, which keeps the scan linear.
const RE = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g

const JWT_BODY = 'hbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJFWEFNUExFIiwiaWF0IjoxNTE2MjM5MDIyfQ.c2lnbmF0dXJlRVhBTVBMRQ'

export const jwt: Detector = {
  id: 'jwt',
  kind: 'jwt',
  secret: true,
  description: 'JSON Web Token (eyJ....eyJ....signature)',
  keywords: ['eyj'],
  find: regexFinder(RE, 'jwt'),
  truePositives: [
    { text: `id_token=eyJ${JWT_BODY}`, secret: JWT_BODY },
    { text: `"eyJ${JWT_BODY}"`, secret: JWT_BODY },
  ],
  falsePositives: ['eyJ is base64 for {"', 'eyJhbGciOiJIUzI1NiJ9 alone is just a header', 'eyJabc.eyJ'],
}
