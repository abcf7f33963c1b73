#!/usr/bin/env node
// Copies each example file into the guides that quote it. A guide quotes a file with a marker
// line followed by a fenced code block:
//
//   <!-- example: examples/node.ts -->
//   ```ts
//   (the file's exact content)
//   ```
//
// Paths are relative to docs/. apps/docs-examples/test/guides.test.ts fails while a block
// differs from its file; run `node scripts/sync-doc-examples.mjs` to bring them back in step.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const docs = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs');
const BLOCK = /<!-- example: (\S+) -->\n```(\w*)\n[\s\S]*?```\n/g;

let changed = 0;
for (const name of readdirSync(docs).filter((f) => f.endsWith('.md'))) {
  const path = join(docs, name);
  const text = readFileSync(path, 'utf8');
  const next = text.replace(BLOCK, (_, file, lang) => {
    const content = readFileSync(join(docs, file), 'utf8');
    return `<!-- example: ${file} -->\n\`\`\`${lang}\n${content}${content.endsWith('\n') ? '' : '\n'}\`\`\`\n`;
  });
  if (next !== text) {
    writeFileSync(path, next);
    changed++;
    console.log(`updated docs/${name}`);
  }
}
console.log(
  changed === 0 ? 'all guides already quote the examples verbatim' : `${changed} guide(s) updated`,
);
