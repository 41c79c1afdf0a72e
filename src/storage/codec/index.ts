export { encodeColumns, encodeColumn, type EncodeOptions } from './column-encoder.js';
export { decodeColumns, decodeColumn, type DecodedColumns } from './column-decoder.js';
