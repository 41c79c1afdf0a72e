export * from './table-storage.js';
export { StreamStorage, MemoryStorage, type MemoryStorageOptions, type StreamStorageOptions, type StreamReadOptions, type TtlSpec } from './engines/index.js';
export { WriteAheadLog, type LogRecord, type WalOptions, type AppendResult, type Durability } from './log/index.js';
export { type PartitionFn, type PartitionAssignment, NO_PARTITION, newReadStats, type PartReadStats } from './parts/index.js';
export { encodeColumns, decodeColumns, encodeColumn, decodeColumn } from './codec/index.js';
