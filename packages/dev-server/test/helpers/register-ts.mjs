// `node --import ./register-ts.mjs file.ts` runs TypeScript sources of this monorepo.
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
