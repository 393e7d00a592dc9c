/**
 * Harness, not product code: the reference y-websocket server for the benchmarks — stock
 * `setupWSConnection` from `@y/websocket-server` 0.1.1 (yjs 13, in memory, no persistence) behind a
 * `ws` WebSocketServer on a free loopback port. Prints `listening <url>`; exits on SIGTERM.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setupWSConnection } from '@y/websocket-server/utils'
import { WebSocketServer } from 'ws'

const http = createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'text/plain' }).end('reference y-websocket server\n')
})
const wss = new WebSocketServer({ noServer: true })
http.on('upgrade', (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, (ws) => setupWSConnection(ws, request))
})
http.listen(0, '127.0.0.1', () => {
  const { port } = http.address() as AddressInfo
  process.stdout.write(`listening http://127.0.0.1:${port}\n`)
})
const stop = () => {
  for (const client of wss.clients) client.terminate()
  http.closeAllConnections()
  http.close(() => process.exit(0))
}
process.once('SIGTERM', stop)
process.once('SIGINT', stop)
