// A minimal durable checkpoint store for the crash test: one JSON file per checkpoint,
// written atomically (temporary file, then rename). The real one is `fileCheckpointStore`
// in @ossup/node, which @ossup/client cannot depend on (it depends on the client).
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type CheckpointStore,
  type CheckpointSummary,
  parseCheckpoint,
  serializeCheckpoint,
} from '@ossup/checkpoint-store';

export function jsonFileStore(dir: string): CheckpointStore {
  const path = (id: string) => join(dir, `${id}.json`);
  return {
    async get(id) {
      const text = await readFile(path(id), 'utf8').catch((e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') return undefined;
        throw e;
      });
      return text === undefined ? undefined : parseCheckpoint(text, id);
    },
    async set(cp) {
      await mkdir(dir, { recursive: true });
      const tmp = `${path(cp.id)}.${process.pid}.tmp`;
      await writeFile(tmp, serializeCheckpoint(cp), { mode: 0o600 });
      await rename(tmp, path(cp.id));
    },
    async delete(id) {
      await rm(path(id), { force: true });
    },
    async list() {
      const names = await readdir(dir).catch(() => [] as string[]);
      const out: CheckpointSummary[] = [];
      for (const name of names.filter((n) => n.endsWith('.json'))) {
        try {
          const cp = parseCheckpoint(await readFile(join(dir, name), 'utf8'));
          out.push({
            id: cp.id,
            target: cp.target,
            uploadId: cp.uploadId,
            updatedAt: cp.updatedAt,
          });
        } catch {
          // unreadable entries are skipped
        }
      }
      return out;
    },
  };
}
