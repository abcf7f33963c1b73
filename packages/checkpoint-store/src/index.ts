export type {
  Checkpoint,
  CheckpointPart,
  CheckpointSource,
  CheckpointTarget,
} from './checkpoint.ts';
export { CHECKPOINT_KIND, CHECKPOINT_VERSION } from './checkpoint.ts';
export type { CheckpointErrorKind } from './checkpoint-error.ts';
export { CheckpointError } from './checkpoint-error.ts';
export type { CheckpointIdInput } from './checkpoint-id.ts';
export { checkpointId } from './checkpoint-id.ts';
export type { CheckpointStore, CheckpointSummary, CheckpointUnlock } from './checkpoint-store.ts';
export type { MemoryCheckpointStoreOptions } from './memory-checkpoint-store.ts';
export { memoryCheckpointStore } from './memory-checkpoint-store.ts';
export { parseCheckpoint, serializeCheckpoint } from './parse-checkpoint.ts';
export type { PruneCheckpointsOptions } from './prune-checkpoints.ts';
export { pruneCheckpoints } from './prune-checkpoints.ts';
