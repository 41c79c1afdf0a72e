import { randomBytes } from 'node:crypto';
import type { DataType } from '../types/data-type.js';
import { physicalOf, mapEntryType } from '../columns/physical.js';
import { ArrayColumn, BigNumColumn, FixedColumn, NullableColumn, NumericColumn, StringColumn, TupleColumn, type Column, type NumericArray } from '../columns/column.js';
import { DbError } from '../errors/index.js';

/**
 * Random values of a column's type, for the columns of a random stream that have no DEFAULT (Proton's
 * `fillColumnWithRandomData` in StorageRandom.cpp): integers, Date, DateTime, IPv4, UUID, IPv6 and
 * FixedString are random bits; Float32/Float64 too (so any bit pattern, as in Proton); strings and arrays have
 * 0–20 elements (strings of printable ASCII); Nullable is NULL one time in 16; an Enum takes one of its values.
 * Unlike Proton, Decimal stays within its precision, Date32 within its range and Bool is 0 or 1, so every
 * generated value can be printed and read back; Map (which Proton refuses) gets 0–20 random entries.
 */

const MAX_STRING_LENGTH = 20;
const MAX_ARRAY_LENGTH = 20;
const DATE32_MIN = -25567; // 1900-01-01
const DATE32_MAX = 120529; // 2299-12-31

/** xoshiro128**: a small, fast PRNG over 32-bit words (random streams need speed, not cryptography). */
export class RandomGenerator {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed?: Uint32Array) {
    const bytes = seed ? undefined : randomBytes(16);
    const s = seed ?? Uint32Array.of(bytes!.readUInt32LE(0), bytes!.readUInt32LE(4), bytes!.readUInt32LE(8), bytes!.readUInt32LE(12));
    this.a = s[0]! | 0;
    this.b = s[1]! | 0;
    this.c = s[2]! | 0;
    this.d = s[3]! | 0;
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 0x9e3779b9 | 0;
  }

  /** A generator whose sequence is fixed by `seed` (Proton's `ENGINE = Random(seed)`). */
  static fromSeed(seed: bigint): RandomGenerator {
    let state = Number(BigInt.asUintN(32, seed)) ^ Math.imul(Number(BigInt.asUintN(32, seed >> 32n)), 0x85ebca6b);
    const words = new Uint32Array(4);
    for (let i = 0; i < 4; i++) {
      // splitmix32
      state = (state + 0x9e3779b9) | 0;
      let t = state ^ (state >>> 16);
      t = Math.imul(t, 0x21f0aaad);
      t ^= t >>> 15;
      t = Math.imul(t, 0x735a2d97);
      words[i] = (t ^ (t >>> 15)) >>> 0;
    }
    return new RandomGenerator(words);
  }

  /** A uniformly random unsigned 32-bit integer. */
  nextU32(): number {
    const b = this.b;
    const r = Math.imul(rotl(Math.imul(b, 5), 7), 9);
    const t = b << 9;
    this.c ^= this.a;
    this.d ^= b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return r >>> 0;
  }

  /** A random integer in [0, n) for n up to 2^32 (modulo bias is irrelevant for test data). */
  below(n: number): number {
    return n <= 0x100000000 ? this.nextU32() % n : Math.floor(this.fraction() * n);
  }

  /** A random number in [0, 1) with 53 random bits. */
  fraction(): number {
    return ((this.nextU32() >>> 5) * 67108864 + (this.nextU32() >>> 6)) / 9007199254740992;
  }

  /** `bits` random bits as a non-negative bigint. */
  bigBits(bits: number): bigint {
    let v = 0n;
    for (let i = 0; i < bits; i += 32) v = (v << 32n) | BigInt(this.nextU32());
    return BigInt.asUintN(bits, v);
  }

  /** Fills a byte range with random bits. */
  fillBytes(bytes: Uint8Array): void {
    const words = bytes.byteLength >>> 2;
    if (words > 0 && bytes.byteOffset % 4 === 0) {
      const w = new Uint32Array(bytes.buffer, bytes.byteOffset, words);
      for (let i = 0; i < words; i++) w[i] = this.nextU32();
    } else {
      for (let i = 0; i < words * 4; i += 4) {
        const r = this.nextU32();
        bytes[i] = r;
        bytes[i + 1] = r >>> 8;
        bytes[i + 2] = r >>> 16;
        bytes[i + 3] = r >>> 24;
      }
    }
    for (let i = words * 4; i < bytes.byteLength; i++) bytes[i] = this.nextU32();
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Throws NOT_IMPLEMENTED (Proton's message) for types random values cannot be made of. */
export function checkRandomType(type: DataType): void {
  switch (type.kind) {
    case 'Interval':
    case 'AggregateFunction':
    case 'Nothing':
      throw new DbError('NOT_IMPLEMENTED', `The 'Generating' is not implemented for type ${type.name}`);
    case 'Nullable':
    case 'LowCardinality':
    case 'SimpleAggregateFunction':
      return checkRandomType(type.inner);
    case 'Array':
      return checkRandomType(type.element);
    case 'Map':
      checkRandomType(type.key);
      return checkRandomType(type.value);
    case 'Tuple':
      for (const e of type.elements) checkRandomType(e);
      return;
    default:
      return;
  }
}

/**
 * A column of `rows` random values of `type`. Rows set in `zero` (the NULL rows of an enclosing Nullable) get
 * the type's default value instead, as a Nullable column's inner column must hold there.
 */
export function randomColumn(type: DataType, rows: number, rng: RandomGenerator, zero?: Uint8Array): Column {
  switch (type.kind) {
    case 'Bool': {
      const data = new Uint8Array(rows);
      for (let i = 0; i < rows; i++) data[i] = rng.nextU32() & 1;
      return new NumericColumn(zeroed(data, zero));
    }
    case 'Date32': {
      const data = new Int32Array(rows);
      for (let i = 0; i < rows; i++) data[i] = DATE32_MIN + rng.below(DATE32_MAX - DATE32_MIN + 1);
      return new NumericColumn(zeroed(data, zero));
    }
    case 'DateTime64': {
      // Proton: ticks in [0, 2^32 · 10^precision), i.e. seconds anywhere in the DateTime range.
      const range = 4294967296 * 10 ** type.precision;
      const data = new Float64Array(rows);
      for (let i = 0; i < rows; i++) data[i] = Math.floor(rng.fraction() * range);
      return new NumericColumn(zeroed(data, zero));
    }
    case 'Enum8':
    case 'Enum16': {
      const data = type.kind === 'Enum8' ? new Int8Array(rows) : new Int16Array(rows);
      const values = type.values;
      for (let i = 0; i < rows; i++) data[i] = values[rng.below(values.length)]![1];
      return new NumericColumn(zeroed(data, zero));
    }
    case 'Decimal':
      return randomDecimal(type.precision, rows, rng, zero);
    case 'Nullable': {
      const nulls = new Uint8Array(rows);
      for (let i = 0; i < rows; i++) nulls[i] = rng.nextU32() % 16 === 0 || zero?.[i] ? 1 : 0;
      return new NullableColumn(nulls, randomColumn(type.inner, rows, rng, nulls));
    }
    case 'LowCardinality':
    case 'SimpleAggregateFunction':
      return randomColumn(type.inner, rows, rng, zero);
    case 'Array':
      return randomArray(type.element, rows, rng, zero);
    case 'Map':
      return randomArray(mapEntryType(type.key, type.value), rows, rng, zero);
    case 'Tuple':
      return new TupleColumn(
        type.elements.map((e) => randomColumn(e, rows, rng, zero)),
        rows,
      );
    case 'String':
      return randomString(rows, rng, zero);
    case 'Int128':
    case 'Int256':
    case 'UInt128':
    case 'UInt256': {
      const bits = type.kind.endsWith('128') ? 128 : 256;
      const signed = type.kind.startsWith('Int');
      const data: bigint[] = new Array<bigint>(rows);
      for (let i = 0; i < rows; i++) {
        const v = rng.bigBits(bits);
        data[i] = zero?.[i] ? 0n : signed ? BigInt.asIntN(bits, v) : v;
      }
      return new BigNumColumn(data);
    }
    default:
      break;
  }
  checkRandomType(type);
  const phys = physicalOf(type);
  if (phys.layout === 'numeric') {
    const data = new phys.ctor(rows);
    rng.fillBytes(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    return new NumericColumn(zeroed(data, zero));
  }
  if (phys.layout === 'fixed') {
    const data = new Uint8Array(rows * phys.width);
    rng.fillBytes(data);
    if (zero) for (let i = 0; i < rows; i++) if (zero[i]) data.fill(0, i * phys.width, (i + 1) * phys.width);
    return new FixedColumn(data, phys.width);
  }
  throw new DbError('NOT_IMPLEMENTED', `The 'Generating' is not implemented for type ${type.name}`);
}

function zeroed<A extends NumericArray>(data: A, zero: Uint8Array | undefined): A {
  if (!zero) return data;
  const big = data instanceof BigInt64Array || data instanceof BigUint64Array;
  for (let i = 0; i < data.length; i++) if (zero[i]) (data as Float64Array)[i] = big ? (0n as unknown as number) : 0;
  return data;
}

function randomString(rows: number, rng: RandomGenerator, zero: Uint8Array | undefined): StringColumn {
  const offsets = new Uint32Array(rows + 1);
  let total = 0;
  for (let i = 0; i < rows; i++) {
    if (!zero?.[i]) total += rng.below(MAX_STRING_LENGTH + 1);
    offsets[i + 1] = total;
  }
  const chars = new Uint8Array(total);
  for (let p = 0; p < total; p += 2) {
    const r = rng.nextU32();
    // Printable ASCII 32..126, by multiply-shift of 16 random bits (as Proton's randomPrintableASCII).
    chars[p] = 32 + (((r & 0xffff) * 95) >>> 16);
    if (p + 1 < total) chars[p + 1] = 32 + (((r >>> 16) * 95) >>> 16);
  }
  return new StringColumn(chars, offsets);
}

function randomArray(element: DataType, rows: number, rng: RandomGenerator, zero: Uint8Array | undefined): ArrayColumn {
  const offsets = new Uint32Array(rows + 1);
  let total = 0;
  for (let i = 0; i < rows; i++) {
    if (!zero?.[i]) total += rng.below(MAX_ARRAY_LENGTH + 1);
    offsets[i + 1] = total;
  }
  return new ArrayColumn(offsets, randomColumn(element, total, rng));
}

/** An unscaled decimal value with at most `precision` digits, either sign. */
function randomDecimal(precision: number, rows: number, rng: RandomGenerator, zero: Uint8Array | undefined): Column {
  if (precision <= 9) {
    const limit = 10 ** precision - 1;
    const data = new Int32Array(rows);
    for (let i = 0; i < rows; i++) data[i] = rng.below(2 * limit + 1) - limit;
    return new NumericColumn(zeroed(data, zero));
  }
  const limit = 10n ** BigInt(precision) - 1n;
  const span = 2n * limit + 1n;
  const bits = precision <= 18 ? 64 : precision <= 38 ? 128 : 256;
  const values: bigint[] = new Array<bigint>(rows);
  for (let i = 0; i < rows; i++) values[i] = zero?.[i] ? 0n : (rng.bigBits(bits + 32) % span) - limit;
  if (precision <= 18) return new NumericColumn(BigInt64Array.from(values));
  return new BigNumColumn(values);
}
