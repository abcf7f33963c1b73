export type { CheckpointStorageErrorReason } from './checkpoint-storage-error.ts';
export { CheckpointStorageError } from './checkpoint-storage-error.ts';
export { fileFingerprint } from './file-fingerprint.ts';
export type { IndexedDbCheckpointStoreOptions } from './indexed-db-checkpoint-store.ts';
export { indexedDbCheckpointStore } from './indexed-db-checkpoint-store.ts';
export type { LocalStorageCheckpointStoreOptions } from './local-storage-checkpoint-store.ts';
export { localStorageCheckpointStore } from './local-storage-checkpoint-store.ts';
