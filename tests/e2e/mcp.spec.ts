/**
 * An MCP client on the board, as a person sees it (issue 21): "Claude Code" connects to `/mcp`
 * with the board's edit link and draws a Mermaid flowchart; Alice, in Chromium, sees its cursor
 * with the name "Claude Code (AI)" while it draws, has it among her collaborators, reads what it did
 * in the chat and takes it back with "Undo this".
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { BASE_URL, createRoom, openBoard, shapesOn } from './support/board'
import { expect, test } from './support/test'

const PEER_NAME = 'Claude Code (AI)'
const FLOWCHART = `flowchart TD
  A[Sign up] --> B[Verify email]
  B --> C{Verified?}
  C -->|yes| D[Welcome tour]
  C -->|no| E[Resend email]
  E --> B
  D --> F[First board]`

declare global {
  interface Window {
    /** Set by the test: a remote cursor's name tag said "Claude Code (AI)" on this page. */
    __sawMcpCursor?: boolean
  }
}

test('an MCP client draws as a named peer with a cursor, in the people list and the chat', async ({
  browser,
}, testInfo) => {
  const room = await createRoom()
  const alice = await (await browser.newContext()).newPage()
  await openBoard(alice, room.links.edit.id, 'Alice')
  await alice.evaluate(() => window.__drawbridge!.editor.setCamera?.({ x: 500, y: 350, z: 0.6 }))
  await alice.evaluate((name) => {
    window.__sawMcpCursor = false
    const check = () => {
      for (const tag of Array.from(document.querySelectorAll('.tl-nametag'))) {
        if (tag.textContent?.includes(name)) window.__sawMcpCursor = true
      }
    }
    new MutationObserver(check).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
    })
  }, PEER_NAME)

  const transport = new StreamableHTTPClientTransport(new URL('/mcp', BASE_URL()), {
    requestInit: { headers: { authorization: `Bearer ${room.links.edit.id}` } },
  })
  const client = new Client({ name: 'Claude Code', version: '2.0.0' })
  await client.connect(transport)

  // The peer is among Alice's collaborators (tldraw's people list) as soon as the session starts.
  await expect
    .poll(() =>
      alice.evaluate(() =>
        window.__drawbridge!.editor.getVisibleCollaborators().map((peer) => peer.userName),
      ),
    )
    .toContain(PEER_NAME)

  const drawing = client.callTool({ name: 'draw_diagram', arguments: { mermaid: FLOWCHART } })
  // While it draws, Alice sees its cursor and name move over the new shapes.
  await expect.poll(() => alice.evaluate(() => window.__sawMcpCursor)).toBe(true)
  const nametag = alice.locator('.tl-nametag', { hasText: PEER_NAME })
  await expect(nametag).toBeVisible()
  const result = (await drawing) as { isError?: boolean }
  expect(result.isError).toBeFalsy()
  await expect
    .poll(async () => (await shapesOn(alice)).filter((shape) => shape.type === 'geo').length)
    .toBe(6)
  await alice.screenshot({ path: testInfo.outputPath('mcp-peer-drawing.png') })

  // The chat says what it did, with "Undo this"; Alice takes it back.
  await alice.getByTestId('copilot-toggle').click()
  const message = alice.getByTestId('copilot-message').and(alice.locator('[data-kind="ai"]'))
  await expect(message).toContainText(PEER_NAME)
  await expect(message).toContainText('Drew 6 shapes and 6 arrows')
  await message.getByTestId('copilot-undo').click()
  await expect.poll(async () => (await shapesOn(alice)).length).toBe(0)

  // When the session ends, the peer leaves the room.
  await transport.terminateSession()
  await client.close()
  await expect(nametag).toHaveCount(0)
})
