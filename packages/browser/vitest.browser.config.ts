import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import {
  devServerClearFault,
  devServerFault,
  devServerInfo,
  devServerObject,
  pageClose,
  pageEval,
  pageOpen,
  pageReload,
} from './test-browser/server-commands.ts';

// Browser tests of @ossup/browser in real headless Chromium: Debian's /usr/bin/chromium,
// never a browser downloaded by Playwright (`npx playwright install` is not used anywhere).
// Run with `pnpm --filter @ossup/browser test:browser`.
const CHROMIUM = '/usr/bin/chromium';

export default defineConfig({
  // `source` first so workspace packages resolve to src/ with no build; the rest are Vite's
  // default client conditions, which setting `conditions` would otherwise drop.
  resolve: { conditions: ['source', 'module', 'browser', 'development|production'] },
  test: {
    name: 'browser:chromium',
    include: ['test-browser/**/*.browser.test.ts'],
    globalSetup: ['test-browser/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      provider: playwright({
        launchOptions: {
          executablePath: CHROMIUM,
          args: [
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
            '--disable-quic',
          ],
        },
      }),
      instances: [{ browser: 'chromium' }],
      commands: {
        pageOpen,
        pageEval,
        pageReload,
        pageClose,
        devServerInfo,
        devServerFault,
        devServerClearFault,
        devServerObject,
      },
    },
  },
});
