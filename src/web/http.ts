// Small HTTP helpers shared by every route: bounded body reading, JSON answers, errors with codes.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { AppError } from '../errors.js'

export type RequestContext = { url: URL; requestId: string; params: Record<string, string> }
export type RouteHandler = (req: IncomingMessage, res: ServerResponse, ctx: RequestContext) => unknown | Promise<unknown>
export type Route = {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'HEAD'
  /** exact path, or a pattern with :name segments (e.g. /admin/incidents/:id) */
  path: string
  handler: RouteHandler
}

/** Reads the whole body; AppError 413 past `limit` bytes (the rest of the upload is not buffered). */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'])
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit)
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > limit) {
      req.resume()
      throw tooLarge(limit)
    }
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

const tooLarge = (limit: number) =>
  new AppError('BODY_TOO_LARGE', `The request body is larger than the ${Math.round(limit / 1024)} KB this endpoint accepts.`, 413)

/** Parses a JSON body, checking the content type first; AppError 415 / 400 with a message a person can act on. */
export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
  if (type !== 'application/json') {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the body as JSON with the header "Content-Type: application/json".', 415)
  }
  const raw = await readBody(req, limit)
  try {
    return JSON.parse(raw.toString('utf8'))
  } catch (e) {
    throw new AppError('MALFORMED_JSON', `The body is not valid JSON (${(e as Error).message}).`, 400)
  }
}

export const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body)
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers })
  res.end(text)
}

export function sendText(res: ServerResponse, status: number, text: string, contentType = 'text/plain; charset=utf-8', headers: Record<string, string> = {}) {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': contentType, 'content-length': Buffer.byteLength(text), ...headers })
  res.end(text)
}

/** JSON error body: { error: { code, message } } */
export function sendError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}) {
  sendJson(res, status, { error: { code, message } }, headers)
}
