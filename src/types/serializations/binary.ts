/**
 * Per-type binary serializations: Native (whole columns) and RowBinary (row by row).
 * The native TCP protocol, the Native and RowBinary formats and clickhouse-connect all go through here.
 */
export { BinaryReader, BinaryWriter, NeedMoreData, MAX_BINARY_SIZE } from './buffer.js';
export {
  type AggregateStateCodec,
  type NativeCodecOptions,
  readNativeColumn,
  readNativeData,
  readNativePrefix,
  writeNativeColumn,
  writeNativeData,
  writeNativePrefix,
} from './native-column.js';
export { LC_KEYS_VERSION } from './low-cardinality.js';
export { type RowValueReader, type RowValueWriter, bindRowBinaryReader, bindRowBinaryWriter } from './row-binary.js';
export { readBigLE, writeBigLE, swapUuidHalves } from './wire-values.js';
