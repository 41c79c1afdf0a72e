// Constants of the LZ4 frame format
// (https://github.com/lz4/lz4/blob/dev/doc/lz4_Frame_format.md), the container used for
// HTTP `Content-Encoding: lz4` (clickhouse-connect compresses inserts with it by default):
//
//   magic 0x184D2204 | FLG | BD | [content size u64] | [dict id u32] | HC
//   blocks: u32 size (high bit = stored uncompressed, 0 = end mark) | data | [xxh32 of data]
//   [xxh32 of the whole content]
//
// Skippable frames (magic 0x184D2A50..5F, u32 size, data) may appear between frames.

export const LZ4_FRAME_MAGIC = 0x184d2204;
export const LZ4_LEGACY_MAGIC = 0x184c2102;
export const LZ4_SKIPPABLE_MAGIC_MIN = 0x184d2a50;
export const LZ4_SKIPPABLE_MAGIC_MAX = 0x184d2a5f;

// FLG bits.
export const FLG_VERSION_MASK = 0xc0;
export const FLG_VERSION_01 = 0x40;
export const FLG_BLOCK_INDEPENDENT = 0x20;
export const FLG_BLOCK_CHECKSUM = 0x10;
export const FLG_CONTENT_SIZE = 0x08;
export const FLG_CONTENT_CHECKSUM = 0x04;
export const FLG_RESERVED = 0x02;
export const FLG_DICT_ID = 0x01;

/** Block data size limits selectable in BD bits 6-4. */
export type Lz4FrameBlockSize = 65536 | 262144 | 1048576 | 4194304;

/** BD byte for a block size (code 4..7 in bits 6-4). */
export function blockSizeCode(size: Lz4FrameBlockSize): number {
  switch (size) {
    case 65536: return 4 << 4;
    case 262144: return 5 << 4;
    case 1048576: return 6 << 4;
    case 4194304: return 7 << 4;
  }
}

/** Block size for a BD byte, or undefined when the code or the reserved bits are invalid. */
export function blockSizeOfBd(bd: number): Lz4FrameBlockSize | undefined {
  if ((bd & 0x8f) !== 0) return undefined;
  switch (bd >>> 4) {
    case 4: return 65536;
    case 5: return 262144;
    case 6: return 1048576;
    case 7: return 4194304;
    default: return undefined;
  }
}

/** Matches of linked blocks reach back at most this far into earlier blocks. */
export const LZ4_WINDOW_SIZE = 65536;

/** High bit of a block size: the block is stored uncompressed. */
export const BLOCK_UNCOMPRESSED_FLAG = 0x80000000;

export function writeU32LE(b: Uint8Array, p: number, v: number): void {
  b[p] = v;
  b[p + 1] = v >>> 8;
  b[p + 2] = v >>> 16;
  b[p + 3] = v >>> 24;
}
