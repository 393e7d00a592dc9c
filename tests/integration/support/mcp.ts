/**
 * MCP clients for tests: the SDK's own `Client` over `StreamableHTTPClientTransport`, with the
 * board link as the bearer, as Claude Code or Cursor would connect.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import type { WebsocketProvider } from 'y-websocket'

export async function connectMcp(
  baseUrl: string,
  linkId: string,
  clientName = 'Test Assistant',
  headers: Record<string, string> = {},
): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(new URL('/mcp', baseUrl), {
    requestInit: { headers: { authorization: `Bearer ${linkId}`, ...headers } },
  })
  const client = new Client({ name: clientName, version: '1.0.0' })
  await client.connect(transport)
  return { client, transport }
}

/** Calls a tool and returns its result with the text joined (tool errors are results, not throws). */
export async function callTool(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
): Promise<CallToolResult & { text: string }> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult
  const text = result.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n')
  return { ...result, text }
}

/** An AI peer as the room sees it: its awareness name, kind and cursor. */
export interface Presence {
  name: string
  kind: string
  cursor: { x: number; y: number } | null
}

export function aiPresences(provider: WebsocketProvider): Presence[] {
  const found: Presence[] = []
  for (const state of provider.awareness.getStates().values()) {
    const user = (state as { user?: { name: string; kind: string } }).user
    if (user?.kind === 'ai') found.push({ ...user, cursor: (state as { cursor: Presence['cursor'] }).cursor })
  }
  return found
}
