/**
 * Playwright's `test`, plus one automatic fixture: every browser context a test opens is closed when
 * it ends. Specs open their people's contexts with `browser.newContext()`, and the browser outlives
 * the test (one worker, one browser for the run), so without this each test's pages stayed open,
 * connected to the shared server and rendering, and every later test ran slower beside them.
 */
import { test as base } from '@playwright/test'

export { expect } from '@playwright/test'

export const test = base.extend<{ closeOpenedContexts: undefined }>({
  closeOpenedContexts: [
    async ({ browser }, use) => {
      const before = new Set(browser.contexts())
      await use(undefined)
      for (const context of browser.contexts()) if (!before.has(context)) await context.close()
    },
    { auto: true },
  ],
})
