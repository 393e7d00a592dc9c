/**
 * `pnpm mcp <board-url>`: a board's MCP endpoint for clients that only speak stdio. Messages from
 * stdin go to `<server>/mcp` over Streamable HTTP with the board link as the bearer (and
 * `DRAWBRIDGE_SUPABASE_TOKEN`, if set, as `X-Supabase-Token`); the server's answers go to stdout.
 * Nothing else is ever written to stdout (it is the protocol); diagnostics go to stderr.
 * Owns: the bridge process. Must not touch: the server's internals (it is only an HTTP client).
 */
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js'
import {
  InitializeResultSchema,
  isJSONRPCRequest,
  type JSONRPCMessage,
} from '@modelcontextprotocol/sdk/types.js'

/** `https://host/r/<linkId>` (a board link as the share dialog gives it) → the endpoint and the link id. */
export function parseBoardUrl(raw: string): { endpoint: URL; linkId: string } {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new Error(`not a URL: ${JSON.stringify(raw)} (expected a board link such as https://host/r/<link>)`)
  }
  const match = /^(.*)\/r\/([A-Za-z0-9_-]{22,64})\/?$/.exec(url.pathname)
  if (!match) throw new Error(`not a board link: ${raw} (expected …/r/<link>)`)
  return { endpoint: new URL(`${match[1]}/mcp`, url.origin), linkId: match[2]! }
}

function say(text: string): void {
  process.stderr.write(`drawbridge-mcp: ${text}\n`)
}

export async function runBridge(boardUrl: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const { endpoint, linkId } = parseBoardUrl(boardUrl)
  const headers: Record<string, string> = { authorization: `Bearer ${linkId}` }
  if (env.DRAWBRIDGE_SUPABASE_TOKEN) headers['x-supabase-token'] = env.DRAWBRIDGE_SUPABASE_TOKEN
  const remote = new StreamableHTTPClientTransport(endpoint, { requestInit: { headers } })
  const local = new StdioServerTransport()
  const initializeIds = new Set<string | number>()
  let closing = false
  const closeBoth = async () => {
    if (closing) return
    closing = true
    await remote.terminateSession().catch(() => undefined)
    await Promise.allSettled([remote.close(), local.close()])
    process.exit(0)
  }

  local.onmessage = (message: JSONRPCMessage) => {
    if (isJSONRPCRequest(message) && message.method === 'initialize') initializeIds.add(message.id)
    remote.send(message).catch((error: Error) => {
      say(error.message)
      // A request must be answered, or the client waits for ever.
      if (isJSONRPCRequest(message)) {
        void local.send({
          jsonrpc: '2.0',
          id: message.id,
          error: { code: -32000, message: `Drawbridge: ${error.message}` },
        })
      }
    })
  }
  remote.onmessage = (message: JSONRPCMessage) => {
    // The protocol version agreed at initialize goes on every later HTTP request, as the SDK's Client does.
    if (
      'id' in message &&
      message.id !== undefined &&
      initializeIds.delete(message.id) &&
      'result' in message
    ) {
      const result = InitializeResultSchema.safeParse(message.result)
      if (result.success) remote.setProtocolVersion(result.data.protocolVersion)
    }
    void local.send(message)
  }
  remote.onerror = (error) => say(`server: ${error.message}`)
  local.onerror = (error) => say(`stdin: ${error.message}`)
  local.onclose = () => void closeBoth()
  process.stdin.on('end', () => void closeBoth())
  await remote.start()
  await local.start()
  say(`bridging stdio to ${endpoint.href}`)
}

const isMain = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))
if (isMain) {
  const boardUrl = process.argv[2]
  if (!boardUrl) {
    say('usage: pnpm mcp <board-url>   (a board link such as https://host/r/<link>)')
    process.exit(2)
  }
  runBridge(boardUrl).catch((error: Error) => {
    say(error.message)
    process.exit(1)
  })
}
