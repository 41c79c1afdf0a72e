export { StreamStorage } from './stream-storage.js';
export { MemoryStorage, type MemoryStorageOptions } from './memory-storage.js';
export type { StreamStorageOptions, TtlSpec } from './storage-options.js';
export type { StreamReadOptions } from './stream-read.js';
