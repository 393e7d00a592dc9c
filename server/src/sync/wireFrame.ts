/**
 * A message as the bytes of one WebSocket frame from the server: final, binary, unmasked (RFC 6455
 * §5.2). A server's frame is the same bytes for every client, so a broadcast frames its message
 * once and writes those bytes to each client's socket, where `ws` would frame it again per client
 * (a header buffer, its options, a two-part write). Only for sockets `ws` sends on without a queue:
 * no permessage-deflate (the server does not offer it) and no Blob messages. Pure: no sockets.
 */

const FINAL_BINARY = 0x82
const TWO_BYTE_LENGTH = 126
const EIGHT_BYTE_LENGTH = 127

/** The whole frame (header and `message`), ready to be written to a client's socket as it is. */
export function frameForWire(message: Uint8Array): Buffer {
  const length = message.byteLength
  const header = length < TWO_BYTE_LENGTH ? 2 : length <= 0xffff ? 4 : 10
  const frame = Buffer.allocUnsafe(header + length)
  frame[0] = FINAL_BINARY
  if (header === 2) frame[1] = length
  else if (header === 4) {
    frame[1] = TWO_BYTE_LENGTH
    frame.writeUInt16BE(length, 2)
  } else {
    frame[1] = EIGHT_BYTE_LENGTH
    frame.writeBigUInt64BE(BigInt(length), 2)
  }
  frame.set(message, header)
  return frame
}
