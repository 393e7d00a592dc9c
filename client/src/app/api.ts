/**
 * Reading the REST API's answers: a success is parsed with its shared contract
 * (`@drawbridge/shared`, protocol/), a refusal is read through the one shared error shape and
 * thrown as an `ApiRequestError` carrying what the server said. Owns: reading answers.
 * Must not touch: what is sent (each concern's module builds its request), credentials.
 */
import { type Contract, ErrorReply, type LimitName } from '@drawbridge/shared'

/** A request that did not succeed: `status` 0 means the server could not be reached. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly limit?: LimitName,
    readonly retryAfterSeconds?: number,
  ) {
    super(message)
  }
}

/** A refusal's body, read leniently: what cannot be read is left out. */
export async function readErrorReply(response: Response): Promise<ErrorReply> {
  const body: unknown = await response.json().catch(() => undefined)
  return ErrorReply.safeParse(body ?? {}).data ?? {}
}

/** The error a refusal stands for: the server's words (else its status) and when to retry. */
export async function refusalOf(response: Response): Promise<ApiRequestError> {
  const details = await readErrorReply(response)
  const header = Number(response.headers.get('retry-after'))
  const retryAfter = details.retryAfterSeconds ?? (Number.isFinite(header) && header > 0 ? header : undefined)
  return new ApiRequestError(
    response.status,
    details.error ?? `The server answered ${response.status}.`,
    details.limit,
    retryAfter,
  )
}

/** A successful answer's body, checked against `contract`; a refusal or another shape throws. */
export async function readReply<T>(response: Response, contract: Contract<T>): Promise<T> {
  if (!response.ok) throw await refusalOf(response)
  const parsed = contract.safeParse(await response.json().catch(() => undefined))
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''
  throw new ApiRequestError(
    response.status,
    `Unexpected answer from the server (${where}${issue?.message ?? 'unreadable'}).`,
  )
}

/** An answer without a body (204) or whose body is not needed; a refusal throws. */
export async function expectSuccess(response: Response): Promise<void> {
  if (!response.ok) throw await refusalOf(response)
}
