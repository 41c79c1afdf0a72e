export { WriteAheadLog } from './write-ahead-log.js';
export type { AppendResult, Durability, LogRecord, WalLogger, WalOptions } from './log-record.js';
export { crc32c, crc32cUpdate } from './crc32c.js';
export { readCheckpoint, writeCheckpoint, INITIAL_CHECKPOINT, type CheckpointState } from './checkpoint.js';
