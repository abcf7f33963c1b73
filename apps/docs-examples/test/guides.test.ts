import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLES, ROOT } from './support.ts';

// The guides quote the runnable examples verbatim (so the code a reader copies is the code the
// other tests run), link only to files that exist, and are all listed in docs/README.md.
const DOCS = join(ROOT, 'docs');
const guides = readdirSync(DOCS).filter((f) => f.endsWith('.md'));
const read = (path: string) => readFileSync(path, 'utf8');
const BLOCK = /<!-- example: (\S+) -->\n```\w*\n([\s\S]*?)```\n/g;

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === 'node_modules') return [];
    return e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)];
  });
}

describe('guides quote the examples verbatim', () => {
  const quoted = new Set<string>();
  for (const guide of guides) {
    const text = read(join(DOCS, guide));
    for (const [, file, content] of text.matchAll(BLOCK)) {
      quoted.add(join(DOCS, file!));
      it(`docs/${guide} quotes docs/${file} as it is`, () => {
        expect(existsSync(join(DOCS, file!))).toBe(true);
        // On failure: node scripts/sync-doc-examples.mjs
        expect(content).toBe(read(join(DOCS, file!)));
      });
    }
  }

  it('every example is quoted by a guide', () => {
    const examples = walk(EXAMPLES).filter((f) => /\.(ts|html)$/.test(f) && !f.endsWith('.d.ts'));
    expect(examples.length).toBeGreaterThan(5);
    expect(examples.filter((f) => !quoted.has(f)).map((f) => relative(ROOT, f))).toEqual([]);
  });
});

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function anchors(markdown: string): Set<string> {
  const out = new Set<string>();
  for (const [, heading] of markdown.replace(/```[\s\S]*?```/g, '').matchAll(/^#{1,6} (.+)$/gm)) {
    out.add(
      heading!
        .toLowerCase()
        .replace(/[^\p{L}\p{N} _-]/gu, '')
        .replace(/ /g, '-'),
    );
  }
  return out;
}

describe('links in the documentation resolve', () => {
  const files = [
    join(ROOT, 'README.md'),
    join(ROOT, 'CONTRIBUTING.md'),
    ...guides.map((g) => join(DOCS, g)),
    ...readdirSync(join(ROOT, 'packages'))
      .map((p) => join(ROOT, 'packages', p, 'README.md'))
      .filter(existsSync),
  ];
  for (const file of files) {
    it(relative(ROOT, file), () => {
      const text = read(file).replace(/```[\s\S]*?```/g, '');
      const broken: string[] = [];
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^(https?:|mailto:)/.test(target!)) continue;
        const [path, anchor] = target!.split('#') as [string, string | undefined];
        const resolved = path === '' ? file : join(dirname(file), path);
        if (!existsSync(resolved)) {
          broken.push(target!);
          continue;
        }
        if (anchor && statSync(resolved).isFile() && resolved.endsWith('.md')) {
          if (!anchors(read(resolved)).has(anchor)) broken.push(target!);
        }
      }
      expect(broken).toEqual([]);
    });
  }

  it('docs/README.md lists every guide', () => {
    const index = read(join(DOCS, 'README.md'));
    const missing = guides.filter((g) => g !== 'README.md' && !index.includes(`(./${g})`));
    expect(missing).toEqual([]);
  });
});
