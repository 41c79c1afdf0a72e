/**
 * The physical column encoding shared by the write-ahead log and part files. Little-endian throughout.
 *
 *   block    := u32 rows, u32 columnCount, column*
 *   column   := u8 tag, body
 *   NUMERIC  := u8 arrayKind, u32 length, pad to 8, length × element bytes (raw typed-array bytes)
 *   BIGNUM   := u8 signed, u32 length, pad to 8, length × 32 bytes (256-bit LE two's complement)
 *   STRING   := u32 length, u32 charBytes, u8 lengthWidth (1, 2 or 4), pad to lengthWidth,
 *               length × row byte lengths (LE, lengthWidth bytes each), chars
 *   FIXED    := u32 width, u32 length, length × width bytes
 *   NULLABLE := u32 length, length × u8 null map, column
 *   ARRAY    := u32 length, pad to 4, (length + 1) × u32 offsets (offsets[0] = 0), column
 *   TUPLE    := u32 rows, u32 elementCount, column*
 *   OBJECT   := u32 length, u32 byteLength, node:v8 structured-clone bytes of the value array
 *   NOTHING  := u32 rows
 *
 * String lengths rather than offsets: narrower, and they compress far better in part files.
 * Padding is relative to the start of the encoded buffer, so a decoder given an 8-aligned buffer can view numeric
 * data in place instead of copying it. ConstColumn is materialized before encoding.
 */

export const enum ColumnTag {
  Numeric = 1,
  BigNum = 2,
  String = 3,
  Fixed = 4,
  Nullable = 5,
  Array = 6,
  Tuple = 7,
  Object = 8,
  Nothing = 9,
}

/** Typed-array kinds in NUMERIC bodies; the numbers are part of the on-disk format. */
export const ARRAY_KINDS = [
  Int8Array,
  Uint8Array,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
] as const;

export function arrayKindOf(a: ArrayBufferView): number {
  const k = ARRAY_KINDS.findIndex((c) => a instanceof c);
  if (k < 0) throw new Error(`unsupported typed array ${a.constructor.name}`);
  return k;
}

export function align(pos: number, to: number): number {
  return (pos + to - 1) & ~(to - 1);
}
