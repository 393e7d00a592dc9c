/**
 * Browser tests in Debian's Chromium (never a downloaded browser) against the real server, which
 * the global setup builds the client for and starts on a free port with a fresh database.
 */
import { defineConfig } from '@playwright/test'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './support/chromium'

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  workers: 1,
  // One retry in CI: a test that needed it is reported as flaky, not hidden.
  retries: process.env.CI ? 1 : 0,
  reporter: [['list']],
  outputDir: './test-results',
  globalSetup: './support/globalSetup.ts',
  use: {
    headless: true,
    // The PWA's service worker precaches ~7 MB per new context; only the specs about offline use
    // (offline, assets) turn it on (`test.use({ serviceWorkers: 'allow' })`). A quarter off every other test.
    serviceWorkers: 'block',
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
    },
  },
})
