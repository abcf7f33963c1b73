import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig } from 'vite';

// The page lives in src/ (index.html, main.ts); `vite build` writes dist/. Workspace packages
// resolve to their TypeScript sources (`source` condition), so no package build is needed.
export default defineConfig({
  root: fileURLToPath(new URL('./src', import.meta.url)),
  base: './',
  publicDir: false,
  clearScreen: false,
  resolve: { conditions: ['source', ...defaultClientConditions] },
  // Module workers share chunks with the page.
  worker: { format: 'es' },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
});
