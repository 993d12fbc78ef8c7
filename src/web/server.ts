// The one HTTP server of the process. Routes come from each part (classify API, Slack HTTP mode, doctor upload,
// events API, admin) and are matched here; every request gets an id, every error a code.
import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import { randomUUID } from 'node:crypto'
import type { Logger } from '../log.js'
import { AppError } from '../errors.js'
import { sendError, type Route, type RequestContext } from './http.js'

type Compiled = { route: Route; pattern: RegExp; keys: string[] }

function compile(route: Route): Compiled {
  const keys: string[] = []
  const source = route.path
    .split('/')
    .map((seg) => {
      if (seg.startsWith(':')) {
        keys.push(seg.slice(1))
        return '([^/]+)'
      }
      return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    })
    .join('/')
  return { route, pattern: new RegExp(`^${source}/?$`), keys }
}

export type HttpServer = {
  server: http.Server
  listen(port: number, host: string): Promise<number>
  /** stops accepting connections and waits for in-flight requests (up to `graceMs`) */
  close(graceMs?: number): Promise<void>
  addRoutes(routes: Route[]): void
}

export function createHttpServer(options: { log: Logger; routes?: Route[] }): HttpServer {
  const compiled: Compiled[] = []
  const addRoutes = (routes: Route[]) => compiled.push(...routes.map(compile))
  addRoutes(options.routes ?? [])
  const log = options.log

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const requestId = String(req.headers['x-request-id'] ?? '').slice(0, 64) || randomUUID()
    res.setHeader('x-request-id', requestId)
    const url = new URL(req.url ?? '/', 'http://localhost')
    const method = req.method === 'HEAD' ? 'GET' : req.method
    let pathMatched = false
    for (const c of compiled) {
      const m = c.pattern.exec(url.pathname)
      if (!m) continue
      pathMatched = true
      if (c.route.method !== method) continue
      const params: Record<string, string> = {}
      c.keys.forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1] ?? '')))
      const ctx: RequestContext = { url, requestId, params }
      try {
        await c.route.handler(req, res, ctx)
      } catch (err) {
        if (err instanceof AppError && err.status < 500) {
          if (!res.headersSent) sendError(res, err.status, err.code, err.message)
          else res.end()
          return
        }
        log.error({ err, requestId, path: url.pathname }, 'request failed')
        if (!res.headersSent) sendError(res, 500, 'INTERNAL', `Something went wrong on our side (request ${requestId}).`)
        else res.end()
      }
      return
    }
    if (pathMatched) sendError(res, 405, 'METHOD_NOT_ALLOWED', `${req.method} is not supported on ${url.pathname}.`)
    else sendError(res, 404, 'NOT_FOUND', `Nothing here: ${url.pathname}. Try GET /healthz or POST /api/classify.`)
  }

  const server = http.createServer((req, res) => void handle(req, res))
  server.keepAliveTimeout = 5_000
  server.headersTimeout = 10_000
  server.requestTimeout = 30_000

  return {
    server,
    addRoutes,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject)
        server.listen(port, host, () => {
          server.off('error', reject)
          const addr = server.address()
          resolve(typeof addr === 'object' && addr ? addr.port : port)
        })
      }),
    close: (graceMs = 10_000) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.closeAllConnections()
        }, graceMs)
        timer.unref()
        server.close(() => {
          clearTimeout(timer)
          resolve()
        })
        server.closeIdleConnections()
      }),
  }
}
