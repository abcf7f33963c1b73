// SECURITY.md, claim by claim, where no other test of this package already proves it. (Secret
// hygiene: secret-hygiene.test.ts. The dev server: dev-server-security.test.ts. Integrity under
// corruption: soak.test.ts, whose bit flips are caught. Hostile responses: bad-input.test.ts.)
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHECKPOINT_VERSION, type Checkpoint } from '@ossup/checkpoint-store';
import { COMMANDS, commandHelp, mainHelp, VERSION } from '@ossup/cli';
import { fileCheckpointStore } from '@ossup/node';
import {
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_ELEMENTS,
  parseListPartsResult,
  XmlProtocolError,
} from '@ossup/xml-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/processes.ts';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'ossup-claims-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const checkpoint = (id: string): Checkpoint => ({
  version: CHECKPOINT_VERSION,
  id,
  uploadId: 'u',
  target: { endpoint: 'http://127.0.0.1:9000', bucket: 'b', key: 'k' },
  source: { fingerprint: 'f', size: 10 },
  partSize: 102400,
  parts: [],
  createdAt: '2024-05-01T00:00:00.000Z',
  updatedAt: '2024-05-01T00:00:00.000Z',
});

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('SECURITY.md claims', () => {
  it('"Checkpoint files are written ... with mode 0600 in a directory it creates with mode 0700"', async () => {
    const dir = join(work, 'new', 'nested', 'checkpoints');
    const store = fileCheckpointStore(dir);
    await store.set(checkpoint('a'.repeat(64)));
    expect((await stat(store.pathOf('a'.repeat(64)))).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    // An existing directory keeps its permissions (the wording says so).
    const existing = join(work, 'existing');
    await mkdir(existing, { mode: 0o750 });
    const other = fileCheckpointStore(existing);
    await other.set(checkpoint('b'.repeat(64)));
    expect((await stat(existing)).mode & 0o777).toBe(0o750);
    expect((await stat(other.pathOf('b'.repeat(64)))).mode & 0o777).toBe(0o600);
  });

  it('"Checkpoints hold no credentials": the schema written has no such field', async () => {
    const store = fileCheckpointStore(join(work, 'schema'));
    const withExtra = {
      ...checkpoint('c'.repeat(64)),
      accessKeySecret: 'S3CR3T',
      securityToken: 'T0K3N',
    };
    await store.set(withExtra as Checkpoint);
    const text = await readFile(store.pathOf('c'.repeat(64)), 'utf8');
    expect(text).not.toContain('S3CR3T');
    expect(text).not.toContain('T0K3N');
    expect(Object.keys(JSON.parse(text) as object).sort()).toEqual(
      [
        'createdAt',
        'id',
        'kind',
        'partSize',
        'parts',
        'source',
        'target',
        'updatedAt',
        'uploadId',
        'version',
      ].sort(),
    );
  });

  it('"Hostile XML is refused": deep nesting and element floods are typed errors', () => {
    const deep = `<ListPartsResult>${'<a>'.repeat(DEFAULT_MAX_DEPTH + 5)}${'</a>'.repeat(DEFAULT_MAX_DEPTH + 5)}</ListPartsResult>`;
    const flood = `<ListPartsResult>${'<b/>'.repeat(DEFAULT_MAX_ELEMENTS + 1)}</ListPartsResult>`;
    const doctype = '<!DOCTYPE x [<!ENTITY e "e">]><ListPartsResult>&e;</ListPartsResult>';
    for (const xml of [deep, flood, doctype]) {
      const error = thrown(() => parseListPartsResult(xml));
      expect(error).toBeInstanceOf(XmlProtocolError);
    }
  });

  it('"Secrets are not taken as command-line flags": no command or global option takes one', () => {
    // Every flag any help text documents, global ones included.
    const help = [mainHelp(COMMANDS, VERSION), ...COMMANDS.map((c) => commandHelp(c))].join('\n');
    const names = [...new Set(help.match(/--[a-z][a-z0-9-]*/g) ?? [])];
    expect(names.length).toBeGreaterThan(20);
    expect(names).toContain('--verbose');
    for (const name of names)
      expect(name).not.toMatch(/secret|password|token|access-key|credential/i);
  });

  it('the wording of SECURITY.md matches what the tests prove', async () => {
    const text = await readFile(join(repoRoot, 'SECURITY.md'), 'utf8');
    expect(text).toMatch(/mode 0600/);
    expect(text).toMatch(/directory it\s+creates with mode 0700/);
    expect(text).toMatch(/binds\s+to\s+127\.0\.0\.1\s+by\s+default/);
    expect(text).toMatch(/crc64-unavailable/);
  });
});
