/**
 * HTTP hygiene for every response: security headers (a CSP tldraw works under; no referrer, since
 * link ids in URLs are capabilities), CORS for an allow-list of origins, the client's address.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { LINK_ID_HEADER, OWNER_KEY_HEADER } from '@drawbridge/shared'

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // tldraw positions and themes its canvas with inline styles.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https:",
  "media-src 'self' data: blob: https:",
  "font-src 'self' data:",
  "connect-src 'self' ws: wss: data: blob:",
  "worker-src 'self' blob:",
  "manifest-src 'self'",
  // Embeds (YouTube, Figma, …) that people paste onto the board.
  'frame-src https:',
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ')

/** The client's address: the socket's, or the first X-Forwarded-For hop behind a trusted proxy. */
export function clientIp(request: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = request.headers['x-forwarded-for']
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim()
    if (first) return first
  }
  return request.socket.remoteAddress ?? 'unknown'
}

function isHttps(request: IncomingMessage, trustProxy: boolean): boolean {
  if ('encrypted' in request.socket && request.socket.encrypted) return true
  return trustProxy && request.headers['x-forwarded-proto'] === 'https'
}

export function setSecurityHeaders(
  request: IncomingMessage,
  response: ServerResponse,
  trustProxy: boolean,
): void {
  response.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY)
  response.setHeader('X-Content-Type-Options', 'nosniff')
  response.setHeader('Referrer-Policy', 'no-referrer')
  response.setHeader('X-Frame-Options', 'DENY')
  response.setHeader('Cross-Origin-Opener-Policy', 'same-origin')
  if (isHttps(request, trustProxy))
    response.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains')
}

/**
 * Sets CORS headers for an allowed origin; answers preflight requests itself (returns true).
 * Requests from other origins get no CORS headers, so browsers refuse them.
 */
export function handleCors(
  request: IncomingMessage,
  response: ServerResponse,
  allowedOrigins: string[],
): boolean {
  const origin = request.headers.origin
  if (origin && allowedOrigins.includes(origin)) {
    response.setHeader('Access-Control-Allow-Origin', origin)
    response.setHeader('Vary', 'Origin')
    response.setHeader(
      'Access-Control-Allow-Headers',
      `content-type, authorization, ${OWNER_KEY_HEADER}, ${LINK_ID_HEADER}`,
    )
    response.setHeader('Access-Control-Allow-Methods', 'GET, POST, PATCH, DELETE')
    response.setHeader('Access-Control-Max-Age', '600')
  }
  if (request.method === 'OPTIONS') {
    response.writeHead(origin && allowedOrigins.includes(origin) ? 204 : 403).end()
    return true
  }
  return false
}
