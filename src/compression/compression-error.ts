// The one error type of the compression layer. It carries ClickHouse's error code and name
// (Common/ErrorCodes.cpp) so the engine can map it straight onto DbError / an Exception packet.

/** ClickHouse error names this layer raises, with their codes. */
export const CompressionErrorCodes = {
  CANNOT_READ_ALL_DATA: 33,
  TOO_LARGE_SIZE_COMPRESSED: 39,
  CHECKSUM_DOESNT_MATCH: 40,
  UNKNOWN_COMPRESSION_METHOD: 89,
  CANNOT_COMPRESS: 270,
  CANNOT_DECOMPRESS: 271,
} as const;

export type CompressionErrorName = keyof typeof CompressionErrorCodes;

export class CompressionError extends Error {
  /** ClickHouse error name, e.g. `CHECKSUM_DOESNT_MATCH`. */
  override readonly name: CompressionErrorName;
  /** ClickHouse error code, e.g. 40. */
  readonly code: number;

  constructor(name: CompressionErrorName, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = name;
    this.code = CompressionErrorCodes[name];
  }
}
