// Types for the two undici modules the doctor imports directly. Importing them instead of the package index keeps
// fetch, WebSocket, the mocks and the caches out of the one-file bundle (half its size, and less for Node 18 to load).
declare module 'undici/lib/dispatcher/env-http-proxy-agent.js' {
  import type { EnvHttpProxyAgent } from 'undici'
  const Agent: typeof EnvHttpProxyAgent
  export default Agent
}

declare module 'undici/lib/api/api-request.js' {
  import type { Dispatcher } from 'undici'
  /** Dispatcher.prototype.request, unattached: call it with the dispatcher as `this` */
  function request(this: Dispatcher, options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData>
  export default request
}
