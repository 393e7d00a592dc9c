/**
 * Accounts in the browser (issue 5), with a server configured for Supabase Auth. A signed-in
 * session is placed where supabase-js keeps it (its localStorage key), holding a JWT signed with
 * the server's secret — the same token Supabase would issue — so no live Supabase is needed.
 */
import { randomUUID } from 'node:crypto'
import type { Page } from '@playwright/test'
import { SignJWT } from 'jose'
import { createTestDatabase } from '../integration/support/databases'
import { spawnServer } from '../integration/support/servers'
import { expect, test } from './support/test'
import './support/testHook'

const SECRET = 'e2e-jwt-secret-that-is-long-enough-1234'
const SUPABASE_URL = 'http://127.0.0.1:9' // never contacted: the session is already there

async function signIn(page: Page, email: string, id: string = randomUUID()): Promise<void> {
  const user = {
    id,
    email,
    aud: 'authenticated',
    role: 'authenticated',
    app_metadata: {},
    user_metadata: {},
  }
  const accessToken = await new SignJWT({ email, role: 'authenticated' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(user.id)
    .setAudience('authenticated')
    .setIssuer(`${SUPABASE_URL}/auth/v1`)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(SECRET))
  const session = {
    access_token: accessToken,
    refresh_token: 'unused',
    token_type: 'bearer',
    expires_in: 3600,
    expires_at: Math.floor(Date.now() / 1000) + 3600,
    user,
  }
  // supabase-js keeps the session under sb-<project ref>-auth-token; the ref is the host's first label.
  await page.addInitScript(
    (value) => localStorage.setItem('sb-127-auth-token', value),
    JSON.stringify(session),
  )
}

test('a signed-in owner makes a private board that admits only the members they invite', async ({
  browser,
}) => {
  const database = await createTestDatabase('pglite')
  const server = await spawnServer(database, {
    SUPABASE_URL,
    SUPABASE_ANON_KEY: 'anon-key',
    SUPABASE_JWT_SECRET: SECRET,
  })
  try {
    const adaId = randomUUID()
    const ada = await (await browser.newContext()).newPage()
    await signIn(ada, 'ada@example.com', adaId)
    await ada.goto(server.url)
    await expect(ada.getByText('Signed in as')).toContainText('ada@example.com')
    await ada.getByRole('button', { name: 'New private board' }).click()
    await ada.waitForURL(/\/r\/[A-Za-z0-9_-]+$/)
    await ada.waitForFunction(() => window.__drawbridge?.editor !== undefined)
    const boardUrl = ada.url()

    const eve = await (await browser.newContext()).newPage()
    await signIn(eve, 'eve@example.com')
    await eve.goto(boardUrl)
    await expect(eve.getByRole('heading', { name: 'This board is private' })).toBeVisible()

    const stranger = await (await browser.newContext()).newPage()
    await stranger.goto(boardUrl)
    await expect(stranger.getByRole('heading', { name: 'This board is private' })).toBeVisible()

    await ada.getByRole('button', { name: 'Share' }).click()
    await expect(ada.getByLabel('Private: only members can open it')).toBeChecked()
    await ada.getByPlaceholder('name@example.com').fill('eve@example.com')
    await ada.getByRole('button', { name: 'Invite' }).click()
    await expect(ada.getByText('eve@example.com · editor')).toBeVisible()

    await eve.reload()
    await eve.waitForFunction(() => window.__drawbridge?.editor !== undefined)
    await expect(eve.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected')
    // History on a private board asks with the member's sign-in too (it used to be refused, 401).
    await eve.getByRole('button', { name: 'History' }).click()
    await eve.getByRole('button', { name: 'Save version' }).click()
    const saveDialog = eve.getByRole('dialog', { name: 'Save a version' })
    await saveDialog.getByLabel('Version name').fill('Eve was here')
    await saveDialog.getByLabel('Version name').press('Enter')
    await expect(eve.getByRole('button', { name: /^Eve was here —/ })).toBeVisible()
    await eve.keyboard.press('Escape')

    await ada.goto(server.url)
    await expect(ada.getByTestId('my-boards').getByRole('listitem')).toHaveCount(1)

    // On another device, without the owner key, the account alone makes Ada the owner.
    const adaElsewhere = await (await browser.newContext()).newPage()
    await signIn(adaElsewhere, 'ada@example.com', adaId)
    await adaElsewhere.goto(boardUrl)
    await adaElsewhere.waitForFunction(() => window.__drawbridge?.editor !== undefined)
    await adaElsewhere.getByRole('button', { name: 'Share' }).click()
    await expect(
      adaElsewhere.getByTestId('link-viewer').getByRole('button', { name: 'Rotate' }),
    ).toBeVisible()
  } finally {
    server.child.kill('SIGTERM')
    await server.exited
    await database.drop()
  }
})
