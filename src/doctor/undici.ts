// undici's proxy-aware agent without the rest of the package (see undici-internal.d.ts). undici's own index does the
// same Object.assign: ProxyAgent tunnels with `connect()` and callers use `request()` from Dispatcher.prototype.
import api from 'undici/lib/api/index.js'
import Dispatcher from 'undici/lib/dispatcher/dispatcher.js'
import EnvHttpProxyAgent from 'undici/lib/dispatcher/env-http-proxy-agent.js'

Object.assign(Dispatcher.prototype, api)

export { EnvHttpProxyAgent }
