// Types for the undici modules the doctor imports directly. Importing them instead of the package index keeps
// fetch, WebSocket, the mocks and the caches out of the one-file bundle (half its size, and less for Node 18 to load).
declare module 'undici/lib/dispatcher/env-http-proxy-agent.js' {
  import type { EnvHttpProxyAgent } from 'undici'
  const Agent: typeof EnvHttpProxyAgent
  export default Agent
}

declare module 'undici/lib/dispatcher/dispatcher.js' {
  const Dispatcher: { prototype: object }
  export default Dispatcher
}

declare module 'undici/lib/api/index.js' {
  /** request, stream, pipeline, upgrade, connect: the methods undici's index puts on Dispatcher.prototype */
  const api: Record<string, unknown>
  export default api
}
