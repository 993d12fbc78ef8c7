// The checks in report order. Each is isolated and time-boxed by the runner; all are read-only.
import type { Check } from '../types.js'
import { apiKeyCheck } from './api-key.js'
import { authStatusCheck } from './auth-status.js'
import { claudeJsonCheck } from './claude-json.js'
import { cloudCheck } from './cloud.js'
import { credentialsCheck } from './credentials.js'
import { environmentCheck } from './environment.js'
import { installsCheck } from './installs.js'
import { keychainCheck } from './keychain.js'
import { dnsCheck, httpsCheck, keyCheck, tcpCheck, tlsCheck } from './network.js'
import { nodeCheck } from './node.js'
import { proxyCheck } from './proxy.js'
import { shellFilesCheck } from './shell-files.js'
import { sourcesCheck } from './sources.js'

export const ALL_CHECKS: readonly Check[] = [
  environmentCheck,
  nodeCheck,
  installsCheck,
  authStatusCheck,
  apiKeyCheck,
  sourcesCheck,
  shellFilesCheck,
  credentialsCheck,
  keychainCheck,
  claudeJsonCheck,
  cloudCheck,
  proxyCheck,
  dnsCheck,
  tcpCheck,
  tlsCheck,
  httpsCheck,
  keyCheck,
]
