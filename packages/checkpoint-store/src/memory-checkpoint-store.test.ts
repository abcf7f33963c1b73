import { describeCheckpointStore } from './conformance.ts';
import { memoryCheckpointStore } from './memory-checkpoint-store.ts';

describeCheckpointStore('memoryCheckpointStore', async () => {
  const entries = new Map<string, string>();
  return {
    store: memoryCheckpointStore({ entries }),
    writeRaw: async (id, text) => {
      entries.set(id, text);
    },
    readRaw: async (id) => entries.get(id),
  };
});
