/**
 * Columns hold data; they do not know their DataType (ClickHouse's IColumn): a Block pairs each column with
 * its type. Physical layouts are few and typed-array based so hot loops stay monomorphic:
 *
 *   NumericColumn  one typed array (Int8..UInt64 incl. BigInt64Array, Float32/64; also Bool, Date, Date32,
 *                  DateTime, DateTime64 (Float64 ticks), IPv4, Enum8/16, Decimal up to 18 digits, Interval)
 *   BigNumColumn   bigint[] for 128/256-bit integers and Decimal over 18 digits
 *   StringColumn   UTF-8 bytes + n+1 offsets (String; LowCardinality(String) is stored materialised)
 *   FixedColumn    width-byte cells (FixedString(N), UUID in text byte order, IPv6)
 *   NullableColumn null map (1 = NULL) + inner column
 *   ArrayColumn    n+1 offsets into the inner column (Array; Map = Array(Tuple(K, V)))
 *   TupleColumn    one column per element
 *   ConstColumn    one value standing for `length` rows (literals, constant folding)
 *   ObjectColumn   opaque JS values (aggregate function states)
 *   NothingColumn  only a row count
 */

export type NumericArray =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

export type NumericArrayCtor =
  | Int8ArrayConstructor
  | Uint8ArrayConstructor
  | Int16ArrayConstructor
  | Uint16ArrayConstructor
  | Int32ArrayConstructor
  | Uint32ArrayConstructor
  | Float32ArrayConstructor
  | Float64ArrayConstructor
  | BigInt64ArrayConstructor
  | BigUint64ArrayConstructor;

export class NumericColumn<A extends NumericArray = NumericArray> {
  readonly kind = 'numeric' as const;
  constructor(readonly data: A) {}
  get length(): number {
    return this.data.length;
  }
  /** True for BigInt64Array / BigUint64Array storage: values read as bigint. */
  get isBig(): boolean {
    return this.data instanceof BigInt64Array || this.data instanceof BigUint64Array;
  }
}

export class BigNumColumn {
  readonly kind = 'bignum' as const;
  constructor(readonly data: bigint[]) {}
  get length(): number {
    return this.data.length;
  }
}

export class StringColumn {
  readonly kind = 'string' as const;
  /** offsets[i]..offsets[i+1] are row i's bytes in chars; offsets.length = rows + 1, offsets[0] = 0. */
  constructor(
    readonly chars: Uint8Array,
    readonly offsets: Uint32Array,
  ) {}
  get length(): number {
    return this.offsets.length - 1;
  }
  byteLength(i: number): number {
    return this.offsets[i + 1]! - this.offsets[i]!;
  }
  bytesAt(i: number): Uint8Array {
    return this.chars.subarray(this.offsets[i]!, this.offsets[i + 1]!);
  }
  stringAt(i: number): string {
    return decodeUtf8(this.chars, this.offsets[i]!, this.offsets[i + 1]!);
  }
}

export class FixedColumn {
  readonly kind = 'fixed' as const;
  constructor(
    readonly data: Uint8Array,
    readonly width: number,
  ) {}
  get length(): number {
    return this.width === 0 ? 0 : this.data.length / this.width;
  }
  bytesAt(i: number): Uint8Array {
    return this.data.subarray(i * this.width, (i + 1) * this.width);
  }
}

export class NullableColumn {
  readonly kind = 'nullable' as const;
  /** nulls[i] = 1 when row i is NULL; the inner value at a NULL row is the type's default. */
  constructor(
    readonly nulls: Uint8Array,
    readonly inner: Column,
  ) {}
  get length(): number {
    return this.nulls.length;
  }
}

export class ArrayColumn {
  readonly kind = 'array' as const;
  /** offsets.length = rows + 1, offsets[0] = 0; row i's elements are inner[offsets[i] .. offsets[i+1]). */
  constructor(
    readonly offsets: Uint32Array,
    readonly inner: Column,
  ) {}
  get length(): number {
    return this.offsets.length - 1;
  }
}

export class TupleColumn {
  readonly kind = 'tuple' as const;
  constructor(
    readonly columns: Column[],
    readonly rows: number,
  ) {}
  get length(): number {
    return this.rows;
  }
}

export class ConstColumn {
  readonly kind = 'const' as const;
  /** `inner` has exactly one row. */
  constructor(
    readonly inner: Column,
    readonly rows: number,
  ) {}
  get length(): number {
    return this.rows;
  }
}

export class ObjectColumn {
  readonly kind = 'object' as const;
  constructor(readonly data: unknown[]) {}
  get length(): number {
    return this.data.length;
  }
}

export class NothingColumn {
  readonly kind = 'nothing' as const;
  constructor(readonly rows: number) {}
  get length(): number {
    return this.rows;
  }
}

export type Column =
  | NumericColumn
  | BigNumColumn
  | StringColumn
  | FixedColumn
  | NullableColumn
  | ArrayColumn
  | TupleColumn
  | ConstColumn
  | ObjectColumn
  | NothingColumn;

// ------------------------------------------------------------------ UTF-8

const decoder = new TextDecoder('utf-8');
const encoder = new TextEncoder();

/** Decodes bytes [start, end) as UTF-8; short ASCII runs avoid the TextDecoder call overhead. */
export function decodeUtf8(bytes: Uint8Array, start: number, end: number): string {
  const n = end - start;
  if (n <= 16) {
    let ascii = true;
    for (let i = start; i < end; i++) {
      if (bytes[i]! >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      let s = '';
      for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]!);
      return s;
    }
  }
  return decoder.decode(bytes.subarray(start, end));
}

export function encodeUtf8(s: string): Uint8Array {
  return encoder.encode(s);
}

export const utf8Encoder = encoder;
