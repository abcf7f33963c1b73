import { existsSync, readdirSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// One project per workspace package; `extends: true` makes each inherit the
// `source` resolve condition so tests run against src/ with no build step.
const roots = ['packages', 'apps', 'bench'].flatMap((dir) =>
  dir === 'bench'
    ? existsSync('bench/package.json')
      ? ['bench']
      : []
    : existsSync(dir)
      ? readdirSync(dir)
          .map((name) => `${dir}/${name}`)
          .filter((p) => existsSync(`${p}/package.json`))
      : [],
);

// The Chromium end-to-end suites run on their own (`pnpm test:e2e`, one file at a time): next
// to the rest of the suite on a 2-core machine they would be starved into timeouts.
// OSSUP_TEST_SET=unit leaves them out, OSSUP_TEST_SET=e2e runs only them; unset runs all.
const E2E = new Set(['apps/web-uploader', 'apps/docs-examples']);
const testSet = process.env.OSSUP_TEST_SET;
const selected = roots.filter((root) =>
  testSet === 'unit' ? !E2E.has(root) : testSet === 'e2e' ? E2E.has(root) : true,
);

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    projects: selected.map((root) => ({
      extends: true,
      test: {
        name: root.split('/').pop(),
        root,
        include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
        testTimeout: 60_000,
        hookTimeout: 60_000,
      },
    })),
  },
});
