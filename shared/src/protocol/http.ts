/**
 * What every REST exchange shares, written once for the server and its clients: the one shape of
 * every refusal's body (and its lenient reader), and the request headers the API reads besides
 * `Authorization`. Owns: these. Must not touch: the network, routes.
 */
import { z } from 'zod'
import { absent } from './fields'
import { LimitName } from './plans'

/** The board owner's key (the secret `POST /api/rooms` returned) on owner-only routes. */
export const OWNER_KEY_HEADER = 'x-owner-key'
/** The board link a co-pilot job route is asked through (undo, export). */
export const LINK_ID_HEADER = 'x-link-id'

/**
 * Every refusal's body (4xx, 5xx), as the server sends it: what went wrong in words a person can
 * read; a refusal that passes with time (429, 503) may say when to try again, as `Retry-After`
 * does. The co-pilot's 429 adds which limit was hit (`AiLimitReply`).
 */
export const ApiError = z.object({ error: z.string(), retryAfterSeconds: z.number().optional() })
export type ApiError = z.infer<typeof ApiError>

/** Any refusal's body, read leniently (an old server, a proxy's page): every field may be missing. */
export const ErrorReply = z.object({
  error: absent(z.string()),
  limit: absent(LimitName),
  retryAfterSeconds: absent(z.number()),
})
export type ErrorReply = z.infer<typeof ErrorReply>
