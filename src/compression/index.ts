// Public API of the compression layer: ClickHouse compressed-block framing (native protocol,
// HTTP compress/decompress), LZ4 block and frame formats, ZSTD, and the checksums they use.

export {
  CompressionError, CompressionErrorCodes, type CompressionErrorName,
} from './compression-error.js';
export { cityHash128, cityHash128Equals, cityHash128Into, type CityHash128Value } from './city-hash-128.js';
export { xxhash32, XxHash32 } from './xxhash32.js';
export { lz4Compress, lz4CompressBound, lz4CompressInto, lz4Decompress, lz4DecompressInto } from './lz4-block.js';
export {
  LZ4_FRAME_MAGIC, Lz4FrameDecoder, Lz4FrameEncoder, lz4FrameDecode, lz4FrameEncode,
  type Lz4FrameBlockSize, type Lz4FrameDecoderOptions, type Lz4FrameEncoderOptions,
} from './lz4-frame.js';
export { initZstd, isZstdReady, zstdCompress, zstdDecompress } from './zstd.js';
export {
  CHECKSUM_SIZE, COMPRESSED_BLOCK_HEADER_SIZE, COMPRESSION_HEADER_SIZE, CompressedBlockReader, MAX_COMPRESSED_SIZE,
  METHOD_BYTE, decodeCompressedBlockAt, decodeCompressedBlockBody, decodeCompressedStream, encodeCompressedBlock,
  parseCompressedBlockHeader,
  type CompressedBlockHeader, type CompressedBlockLimits, type CompressionMethod,
} from './compressed-block.js';
