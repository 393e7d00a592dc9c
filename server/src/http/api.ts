/**
 * The REST API's route table. Routes live with their concern (rooms and links, owners, accounts,
 * versions, draw.io, assets, co-pilot, operations, MCP); what they may use is `ApiContext`
 * (`context.ts`) and the checks they share are in `guards.ts`. Must not touch: sockets' frames.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { mcpRoutes } from '../mcp/mcpRoutes'
import { accountRoutes } from './accountRoutes'
import { aiRoutes } from './aiRoutes'
import { assetRoutes } from './assetRoutes'
import type { ApiContext } from './context'
import { drawioRoutes } from './drawioRoutes'
import { opsRoutes } from './opsRoutes'
import { ownerRoutes } from './ownerRoutes'
import { roomRoutes } from './roomRoutes'
import { dispatch } from './router'
import { versionRoutes } from './versionRoutes'

const routes = [
  ...roomRoutes,
  ...ownerRoutes,
  ...accountRoutes,
  ...versionRoutes,
  ...drawioRoutes,
  ...assetRoutes,
  ...aiRoutes,
  ...opsRoutes,
  ...mcpRoutes,
]

export function handleApiRequest(context: ApiContext, request: IncomingMessage, response: ServerResponse) {
  return dispatch(routes, context, request, response)
}
