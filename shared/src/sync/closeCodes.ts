/**
 * WebSocket close codes the sync server uses, with the reason a client shows a person.
 * Shared so the server sends and the client explains the same named codes — no bare numbers.
 */
export const CloseCode = {
  /** RFC 6455: the frame was not a valid y-websocket message. */
  ProtocolError: 1002,
  /** RFC 6455: a message type the server does not accept. */
  UnsupportedData: 1003,
  /** RFC 6455: a frame above the size limit. */
  MessageTooBig: 1009,
  /** RFC 6455: the server is restarting; reconnect. */
  ServiceRestart: 1012,
  /** RFC 6455: the server is overloaded (e.g. the room's write buffer is full). */
  TryAgainLater: 1013,
  /** The peer did not answer pings. */
  Unresponsive: 4000,
  /** The client could not keep up with the room (send buffer over its bound). */
  SlowConsumer: 4001,
  /** The token was missing, forged or expired. */
  Unauthorized: 4401,
  /** The link's role does not allow this. */
  Forbidden: 4403,
  /** Unknown or revoked link. */
  LinkNotFound: 4404,
  /** The link expired. */
  LinkExpired: 4410,
  /** Too many messages or bytes from this connection. */
  RateLimited: 4429,
  /** The room was deleted by its owner. */
  RoomDeleted: 4411,
  /** One document update (or sync answer) above `MAX_UPDATE_BYTES`: nothing of it was applied. */
  UpdateTooLarge: 4413,
} as const

export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode]

const CLOSE_REASONS: Record<CloseCode, string> = {
  [CloseCode.ProtocolError]: 'The connection sent a malformed message.',
  [CloseCode.UnsupportedData]: 'The connection sent a message the server does not accept.',
  [CloseCode.MessageTooBig]: 'A message was too large.',
  [CloseCode.ServiceRestart]: 'The server is restarting. Reconnecting…',
  [CloseCode.TryAgainLater]: 'The server cannot take changes right now. Reconnecting…',
  [CloseCode.Unresponsive]: 'The connection stopped responding.',
  [CloseCode.SlowConsumer]: 'The connection could not keep up with the room.',
  [CloseCode.Unauthorized]: 'Your sign-in is missing or has expired.',
  [CloseCode.Forbidden]: 'This link does not allow that.',
  [CloseCode.LinkNotFound]: 'This link does not exist or has been revoked.',
  [CloseCode.LinkExpired]: 'This link has expired.',
  [CloseCode.RateLimited]: 'Too much traffic from this connection. Reconnecting shortly…',
  [CloseCode.RoomDeleted]: 'This board has been deleted by its owner.',
  [CloseCode.UpdateTooLarge]: 'A change was too large to save on this board, so it was not saved.',
}

/** A person-readable explanation of a close code (generic for codes we did not send). */
export function describeCloseCode(code: number): string {
  return (CLOSE_REASONS as Record<number, string>)[code] ?? `The connection closed (code ${code}).`
}

/** Close codes after which reconnecting through the same link cannot succeed. */
export function isFinalCloseCode(code: number): boolean {
  return (
    code === CloseCode.LinkNotFound ||
    code === CloseCode.LinkExpired ||
    code === CloseCode.RoomDeleted ||
    code === CloseCode.Unauthorized ||
    code === CloseCode.Forbidden
  )
}
