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

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    projects: roots.map((root) => ({
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
