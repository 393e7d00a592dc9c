/**
 * `/mcp` in the server's route table: POST (JSON-RPC messages), GET (the server's event stream)
 * and DELETE (end the session) all go to the MCP endpoint. Owns: the mount only.
 */
import type { ApiContext } from '../http/context'
import type { Route } from '../http/router'

const MCP_ROUTE = /^\/mcp\/?$/

export const mcpRoutes: Route<ApiContext>[] = (['POST', 'GET', 'DELETE'] as const).map((method) => ({
  method,
  pattern: MCP_ROUTE,
  handle: (context, request, response) => context.mcp.handle(request, response),
}))
