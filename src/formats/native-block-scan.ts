import { DbError } from '../errors/index.js';
import { decimalByteWidth, type DataType } from '../types/data-type.js';
import { parseDataType } from '../types/type-factory.js';
import { MAX_BINARY_SIZE } from '../types/serializations/buffer.js';
import { REVISION_WITH_CUSTOM_SERIALIZATION } from './native-block.js';

/**
 * Finds where a Native block ends without decoding it, resumably: the scan is a generator that yields the
 * number of bytes it needs whenever the input runs short, and continues from where it stopped once they
 * have arrived. A block arriving over the network in many chunks is therefore scanned once, in O(bytes),
 * and then decoded once, instead of re-parsing it from the start on every chunk.
 */

/** The bytes received so far; read again after every resume (the buffer may have been reallocated). */
export interface ScanSource {
  view(): Uint8Array;
}

export interface ScanOptions {
  readonly revision: number;
  readonly withBlockInfo: boolean;
  /** Largest block, in bytes, the scan accepts before calling the input corrupt. */
  readonly maxBytes: number;
}

/** Yields "need N bytes in total"; returns the block's length in bytes. */
export type BlockScan = Generator<number, number, void>;

class Cursor {
  pos = 0;
  constructor(
    readonly src: ScanSource,
    readonly maxBytes: number,
  ) {}

  /** Checks that `n` more bytes are a plausible request before the caller waits for them. */
  want(n: number): number {
    const need = this.pos + n;
    if (need > this.maxBytes) throw new DbError('TOO_LARGE_STRING_SIZE', `A Native block of more than ${this.maxBytes} bytes is not accepted (it would need ${need})`);
    return need;
  }
}

function* skip(c: Cursor, n: number): Generator<number, void, void> {
  const need = c.want(n);
  while (c.src.view().length < need) yield need;
  c.pos = need;
}

function* varuint(c: Cursor): Generator<number, number, void> {
  let result = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    while (c.src.view().length <= c.pos) yield c.want(1);
    const x = c.src.view()[c.pos++]!;
    result += (x & 0x7f) * mul;
    if (x < 0x80) return result;
    mul *= 128;
  }
  throw new DbError('INCORRECT_DATA', 'VarUInt is longer than 10 bytes');
}

function* u64(c: Cursor): Generator<number, number, void> {
  yield* skip(c, 8);
  const b = c.src.view();
  const p = c.pos - 8;
  const lo = (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16)) + b[p + 3]! * 0x1000000;
  const hi = (b[p + 4]! | (b[p + 5]! << 8) | (b[p + 6]! << 16)) + b[p + 7]! * 0x1000000;
  return hi * 0x1_0000_0000 + lo;
}

function* stringValue(c: Cursor): Generator<number, string, void> {
  const n = yield* varuint(c);
  if (n > MAX_BINARY_SIZE) throw new DbError('TOO_LARGE_STRING_SIZE', `Too large string size: ${n}`);
  yield* skip(c, n);
  return Buffer.from(c.src.view().subarray(c.pos - n, c.pos)).toString('utf8');
}

/** `count` length-prefixed strings; the inner loop runs without generator overhead while bytes last. */
function* strings(c: Cursor, count: number): Generator<number, void, void> {
  let left = count;
  while (left > 0) {
    const b = c.src.view();
    const end = b.length;
    let p = c.pos;
    // Where the string that did not fit would end: more than `end`, so waiting for it always progresses.
    let need = 0;
    while (left > 0) {
      let q = p;
      let len = 0;
      let mul = 1;
      let complete = false;
      while (q < end) {
        const x = b[q++]!;
        len += (x & 0x7f) * mul;
        if (x < 0x80) {
          complete = true;
          break;
        }
        mul *= 128;
        if (mul > 2 ** 63) throw new DbError('INCORRECT_DATA', 'VarUInt is longer than 10 bytes');
      }
      if (complete && len > MAX_BINARY_SIZE) throw new DbError('TOO_LARGE_STRING_SIZE', `Too large string size: ${len}`);
      if (!complete) {
        need = end + 1;
        break;
      }
      if (q + len > end) {
        need = q + len;
        break;
      }
      p = q + len;
      left--;
    }
    c.pos = p;
    if (left > 0) {
      c.want(need - p);
      yield need;
    }
  }
}

function fixedWidth(type: DataType): number | undefined {
  switch (type.kind) {
    case 'Int8': case 'UInt8': case 'Bool': case 'Enum8': case 'Nothing':
      return 1;
    case 'Int16': case 'UInt16': case 'Date': case 'Enum16':
      return 2;
    case 'Int32': case 'UInt32': case 'Float32': case 'Date32': case 'DateTime': case 'IPv4':
      return 4;
    case 'Int64': case 'UInt64': case 'Float64': case 'DateTime64': case 'Interval':
      return 8;
    case 'Int128': case 'UInt128': case 'UUID': case 'IPv6':
      return 16;
    case 'Int256': case 'UInt256':
      return 32;
    case 'Decimal':
      return decimalByteWidth(type.precision);
    case 'FixedString':
      return type.n;
    default:
      return undefined;
  }
}

function* prefix(c: Cursor, type: DataType): Generator<number, void, void> {
  switch (type.kind) {
    case 'LowCardinality':
      return yield* skip(c, 8);
    case 'Nullable':
    case 'SimpleAggregateFunction':
      return yield* prefix(c, type.inner);
    case 'Array':
      return yield* prefix(c, type.element);
    case 'Map':
      yield* prefix(c, type.key);
      return yield* prefix(c, type.value);
    case 'Tuple':
      for (const e of type.elements) yield* prefix(c, e);
      return;
    default:
      return;
  }
}

function* data(c: Cursor, type: DataType, rows: number): Generator<number, void, void> {
  if (rows === 0) return;
  const width = fixedWidth(type);
  if (width !== undefined) return yield* skip(c, rows * width);
  switch (type.kind) {
    case 'String':
      return yield* strings(c, rows);
    case 'Nullable':
      yield* skip(c, rows);
      return yield* data(c, type.inner, rows);
    case 'SimpleAggregateFunction':
      return yield* data(c, type.inner, rows);
    case 'Array':
    case 'Map': {
      yield* skip(c, rows * 8);
      const total = yield* lastOffset(c);
      if (type.kind === 'Array') return yield* data(c, type.element, total);
      yield* data(c, type.key, total);
      return yield* data(c, type.value, total);
    }
    case 'Tuple':
      for (const e of type.elements) yield* data(c, e, rows);
      return;
    case 'LowCardinality':
      return yield* lowCardinality(c, type.inner, rows);
    default:
      throw new DbError('NOT_IMPLEMENTED', `Native input of ${type.name} columns is not supported over this interface`);
  }
}

/** The array offsets just skipped end with the total element count. */
function* lastOffset(c: Cursor): Generator<number, number, void> {
  const b = c.src.view();
  const p = c.pos - 8;
  const lo = (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16)) + b[p + 3]! * 0x1000000;
  const hi = b[p + 4]! | (b[p + 5]! << 8) | (b[p + 6]! << 16) | (b[p + 7]! << 24);
  if (hi !== 0 || lo > 0xffff_fffe) throw new DbError('INCORRECT_DATA', 'Array offsets are corrupted');
  return lo;
}

const HAS_ADDITIONAL_KEYS = 1 << 9;

function* lowCardinality(c: Cursor, inner: DataType, rows: number): Generator<number, void, void> {
  const dictType = inner.kind === 'Nullable' ? inner.inner : inner;
  let read = 0;
  while (read < rows) {
    const flags = yield* u64(c);
    const keyWidth = [1, 2, 4, 8][flags & 0xff];
    if (keyWidth === undefined) throw new DbError('INCORRECT_DATA', `Invalid LowCardinality index type ${flags}`);
    if (flags & HAS_ADDITIONAL_KEYS) {
      const dictSize = yield* u64(c);
      yield* data(c, dictType, dictSize);
    }
    const count = yield* u64(c);
    if (count > rows - read || (count === 0 && !(flags & HAS_ADDITIONAL_KEYS))) throw new DbError('INCORRECT_DATA', 'Corrupted LowCardinality granule');
    yield* skip(c, count * keyWidth);
    read += count;
  }
}

/** Scans one block (BlockInfo when asked, header, columns) starting at offset 0 of `src`. */
export function* scanNativeBlock(src: ScanSource, options: ScanOptions): BlockScan {
  const c = new Cursor(src, options.maxBytes);
  if (options.withBlockInfo) {
    for (;;) {
      const field = yield* varuint(c);
      if (field === 0) break;
      if (field === 1) yield* skip(c, 1);
      else if (field === 2) yield* skip(c, 4);
      else throw new DbError('UNKNOWN_BLOCK_INFO_FIELD', `Unknown BlockInfo field number ${field}`);
    }
  }
  const ncols = yield* varuint(c);
  const rows = yield* varuint(c);
  if (ncols > 1_000_000) throw new DbError('INCORRECT_DATA', `Too many columns in Native block: ${ncols}`);
  for (let i = 0; i < ncols; i++) {
    yield* stringValue(c);
    const type = parseDataType(yield* stringValue(c));
    if (options.revision >= REVISION_WITH_CUSTOM_SERIALIZATION) yield* skip(c, 1);
    if (rows > 0) {
      yield* prefix(c, type);
      yield* data(c, type, rows);
    }
  }
  return c.pos;
}
