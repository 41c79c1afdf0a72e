import {
  ArrayColumn,
  type Column,
  ConstColumn,
  FixedColumn,
  NullableColumn,
  NumericColumn,
  type NumericArray,
  StringColumn,
  TupleColumn,
  BigNumColumn,
  utf8Encoder,
} from '../../columns/column.js';
import { createBuilder, NullableBuilder, StringBuilder } from '../../columns/builder.js';
import { defaultColumn, materialize } from '../../columns/ops.js';
import { physicalOf, mapEntryType } from '../../columns/physical.js';
import { readValue, type Value } from '../../columns/values.js';
import { DbError } from '../../errors/index.js';
import { type DataType, isFloat, isInteger, nullableType } from '../../types/data-type.js';
import { formatValueText, parseValueText } from '../../types/text-conversion.js';
import { localDays, fromLocalSeconds } from '../../types/time.js';
import { float64ToInt64, isBigArray, toFloat64, TWO32 } from './columns.js';

/**
 * Converts a column from one type to another (CAST, toX, implicit conversions in if/array/comparisons).
 * `mode` chooses what a value that cannot be converted becomes: an error (CAST, toX), NULL (toXOrNull,
 * accurateCastOrNull; the caller makes the target Nullable) or the default (toXOrZero).
 */
export type CastMode = 'throw' | 'null' | 'zero';

export interface CastContext {
  readonly timezone: string;
}

export function castColumn(col: Column, from: DataType, to: DataType, ctx: CastContext, mode: CastMode = 'throw'): Column {
  if (from.name === to.name) return col;
  if (col.kind === 'const') {
    return new ConstColumn(castColumn(col.inner, from, to, ctx, mode), col.rows);
  }
  if (from.kind === 'LowCardinality') return castColumn(col, from.inner, to, ctx, mode);
  if (to.kind === 'LowCardinality') return castColumn(col, from, to.inner, ctx, mode);
  if (from.kind === 'SimpleAggregateFunction') return castColumn(col, from.inner, to, ctx, mode);
  if (to.kind === 'SimpleAggregateFunction') return castColumn(col, from, to.inner, ctx, mode);
  const rows = col.length;

  if (from.kind === 'Nothing') return defaultColumn(to, rows);
  if (from.kind === 'Nullable' && from.inner.kind === 'Nothing') return defaultColumnOrThrow(col, to, rows);

  if (to.kind === 'Nullable') {
    if (from.kind === 'Nullable') {
      const nc = col as NullableColumn;
      const inner = castInner(nc.inner, from.inner, to.inner, ctx, mode, nc.nulls);
      return mergeNullable(nc.nulls, inner);
    }
    const inner = castInner(col, from, to.inner, ctx, mode === 'null' ? 'null' : mode);
    return mergeNullable(undefined, inner);
  }
  if (from.kind === 'Nullable') {
    const nc = col as NullableColumn;
    for (let i = 0; i < rows; i++) {
      if (nc.nulls[i]) {
        if (mode === 'throw') throw new DbError('CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN', `Cannot convert NULL value to non-Nullable type ${to.name}`);
      }
    }
    return castInner(nc.inner, from.inner, to, ctx, mode === 'null' ? 'zero' : mode, nc.nulls);
  }
  const res = castInner(col, from, to, ctx, mode === 'null' ? 'zero' : mode);
  if (res.kind === 'nullable') return res.inner;
  return res;
}

function defaultColumnOrThrow(col: Column, to: DataType, rows: number): Column {
  if (to.kind === 'Nullable') return defaultColumn(to, rows);
  if (rows > 0) throw new DbError('CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN', `Cannot convert NULL value to non-Nullable type ${to.name}`);
  return defaultColumn(to, 0);
}

function mergeNullable(nulls: Uint8Array | undefined, inner: Column): Column {
  if (inner.kind === 'nullable') {
    if (!nulls) return inner;
    const m = inner.nulls.slice();
    for (let i = 0; i < m.length; i++) m[i]! |= nulls[i]!;
    return new NullableColumn(m, inner.inner);
  }
  return new NullableColumn(nulls ? nulls.slice() : new Uint8Array(inner.length), inner);
}

/**
 * Non-Nullable to non-Nullable conversion. In 'null' mode may return a NullableColumn marking rows that
 * failed. `skip` marks rows whose value is irrelevant (NULL rows of the source), never reported as errors.
 */
function castInner(col: Column, from: DataType, to: DataType, ctx: CastContext, mode: CastMode, skip?: Uint8Array): Column {
  if (from.name === to.name) return col;
  if (from.kind === 'LowCardinality') return castInner(col, from.inner, to, ctx, mode, skip);
  if (to.kind === 'LowCardinality') return castInner(col, from, to.inner, ctx, mode, skip);
  const rows = col.length;

  // numbers (incl. Bool, Date, DateTime, Enum, IPv4, Interval stored as plain numbers)
  if (col.kind === 'numeric' && isPlainNumeric(from) && isPlainNumeric(to)) {
    return castNumeric(col.data, from, to, ctx);
  }
  if (to.kind === 'String') return toStringColumn(col, from, ctx);
  if (from.kind === 'String') return parseColumn(col as StringColumn, to, ctx, mode, skip);
  if (from.kind === 'FixedString' && col.kind === 'fixed') {
    if (to.kind === 'FixedString') return resizeFixed(col, to.n, mode);
    const strings = fixedToStrings(col);
    return castInner(strings, { kind: 'String', name: 'String' }, to, ctx, mode, skip);
  }
  if (from.kind === 'Array' && to.kind === 'Array' && col.kind === 'array') {
    return new ArrayColumn(col.offsets, castColumn(col.inner, from.element, to.element, ctx, mode));
  }
  if (from.kind === 'Map' && to.kind === 'Map' && col.kind === 'array') {
    return new ArrayColumn(col.offsets, castColumn(col.inner, mapEntryType(from.key, from.value), mapEntryType(to.key, to.value), ctx, mode));
  }
  if (from.kind === 'Tuple' && to.kind === 'Tuple' && col.kind === 'tuple') {
    if (from.elements.length !== to.elements.length) {
      throw new DbError('TYPE_MISMATCH', `CAST AS Tuple can only be performed between tuple types with the same number of elements. Left type: ${from.name}, right type: ${to.name}`);
    }
    return new TupleColumn(
      col.columns.map((c, k) => castColumn(c, from.elements[k]!, to.elements[k]!, ctx, mode)),
      rows,
    );
  }
  if (from.kind === 'Decimal' || to.kind === 'Decimal' || isBigKind(from) || isBigKind(to)) {
    return castViaValues(col, from, to, ctx, mode, skip);
  }
  return castViaValues(col, from, to, ctx, mode, skip);
}

function isBigKind(t: DataType): boolean {
  return t.kind === 'Int128' || t.kind === 'Int256' || t.kind === 'UInt128' || t.kind === 'UInt256';
}

const PLAIN_NUMERIC = new Set([
  'Int8', 'Int16', 'Int32', 'Int64', 'UInt8', 'UInt16', 'UInt32', 'UInt64', 'Float32', 'Float64', 'Bool', 'Date', 'Date32',
  'DateTime', 'DateTime64', 'Enum8', 'Enum16', 'IPv4', 'Interval',
]);

function isPlainNumeric(t: DataType): boolean {
  return PLAIN_NUMERIC.has(t.kind);
}

/** Numbers between number-like types, with ClickHouse's meaning for dates and times. */
function castNumeric(data: NumericArray, from: DataType, to: DataType, ctx: CastContext): Column {
  const n = data.length;
  const conv = toFloat64(data);
  let src = conv.data;
  const exact = conv.exact;
  // Re-interpret the source in "natural" units for date/time conversions.
  if (from.kind === 'DateTime64' || to.kind === 'DateTime64' || isDateKind(from) || isDateKind(to)) {
    src = convertTimeUnits(src === (data as unknown) ? src.slice() : src, from, to, ctx);
  }
  if (to.kind === 'Bool') {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = src[i] !== 0 ? 1 : 0;
    return new NumericColumn(out);
  }
  const p = physicalOf(to);
  if (p.layout !== 'numeric') throw new DbError('CANNOT_CONVERT_TYPE', `Cannot convert ${from.name} to ${to.name}`);
  const out = new p.ctor(n);
  if (isBigArray(out)) {
    if (isFloat(from) || from.kind === 'DateTime64') {
      if (src === (data as unknown)) src = src.slice();
      for (let i = 0; i < n; i++) {
        const v = src[i]!;
        src[i] = v !== v ? 0 : Math.trunc(v);
      }
    }
    if (exact && float64ToInt64(src, out)) return new NumericColumn(out);
    // slow path: exact 64-bit conversion
    const signed = out instanceof BigInt64Array;
    for (let i = 0; i < n; i++) {
      let b: bigint;
      if (isBigArray(data)) b = data[i]!;
      else {
        const v = src[i]!;
        b = Number.isFinite(v) ? BigInt(Math.trunc(v)) : 0n;
      }
      out[i] = signed ? BigInt.asIntN(64, b) : BigInt.asUintN(64, b);
    }
    return new NumericColumn(out);
  }
  if (isBigArray(data) && !exact && isInteger(to)) {
    // wrap exactly from the low 32 bits of the 64-bit source
    const u = new Uint32Array(data.buffer, data.byteOffset, n * 2);
    const o = out as Uint32Array;
    for (let i = 0; i < n; i++) o[i] = u[2 * i]!;
    return new NumericColumn(out);
  }
  if (isInteger(to) && (isFloat(from) || from.kind === 'DateTime64')) {
    const o = out as Int32Array;
    for (let i = 0; i < n; i++) {
      const v = src[i]!;
      o[i] = v !== v ? 0 : v < 0 ? Math.ceil(v) : Math.floor(v);
    }
    return new NumericColumn(out);
  }
  (out as Float64Array).set(src);
  return new NumericColumn(out);
}

function isDateKind(t: DataType): boolean {
  return t.kind === 'Date' || t.kind === 'Date32' || t.kind === 'DateTime';
}

/** Date (days), DateTime (seconds) and DateTime64 (ticks) into the target's unit; numbers pass through. */
function convertTimeUnits(src: Float64Array, from: DataType, to: DataType, ctx: CastContext): Float64Array {
  const n = src.length;
  const fromKind = from.kind;
  const toKind = to.kind;
  const fromScale = from.kind === 'DateTime64' ? 10 ** from.precision : 1;
  const toScale = to.kind === 'DateTime64' ? 10 ** to.precision : 1;
  const toTz = (to.kind === 'DateTime' || to.kind === 'DateTime64' ? to.timezone : undefined) ?? ctx.timezone;
  const fromTz = (from.kind === 'DateTime' || from.kind === 'DateTime64' ? from.timezone : undefined) ?? ctx.timezone;
  const isDay = (k: string) => k === 'Date' || k === 'Date32';
  const isTime = (k: string) => k === 'DateTime' || k === 'DateTime64';
  if (isDay(fromKind) && isTime(toKind)) {
    for (let i = 0; i < n; i++) src[i] = fromLocalSeconds(src[i]! * 86400, toTz) * toScale;
  } else if (isTime(fromKind) && isDay(toKind)) {
    for (let i = 0; i < n; i++) src[i] = localDays(Math.floor(src[i]! / fromScale), fromTz);
  } else if (isTime(fromKind) && isTime(toKind)) {
    if (fromScale !== toScale) {
      if (toScale > fromScale) {
        const f = toScale / fromScale;
        for (let i = 0; i < n; i++) src[i] = src[i]! * f;
      } else {
        const f = fromScale / toScale;
        for (let i = 0; i < n; i++) src[i] = Math.floor(src[i]! / f);
      }
    }
  } else if (fromKind === 'DateTime64') {
    // DateTime64 → number: seconds (a Decimal's integer part)
    for (let i = 0; i < n; i++) src[i] = isFloat(to) ? src[i]! / fromScale : Math.trunc(src[i]! / fromScale);
  } else if (toKind === 'DateTime64') {
    for (let i = 0; i < n; i++) src[i] = Math.round(src[i]! * toScale);
  }
  return src;
}

function resizeFixed(col: FixedColumn, n: number, mode: CastMode): Column {
  if (col.width === n) return col;
  const rows = col.length;
  const out = new Uint8Array(rows * n);
  for (let i = 0; i < rows; i++) {
    const b = col.bytesAt(i);
    let len = b.length;
    if (len > n) {
      while (len > n && b[len - 1] === 0) len--;
      if (len > n && mode === 'throw') throw new DbError('TOO_LARGE_STRING_SIZE', 'String too long for type FixedString(' + n + ')');
      len = Math.min(len, n);
    }
    out.set(b.subarray(0, len), i * n);
  }
  return new FixedColumn(out, n);
}

function fixedToStrings(col: FixedColumn): StringColumn {
  const rows = col.length;
  const offsets = new Uint32Array(rows + 1);
  for (let i = 0; i < rows; i++) offsets[i + 1] = (i + 1) * col.width;
  return new StringColumn(col.data, offsets);
}

/** Text form of every row (toString). */
export function toStringColumn(col: Column, from: DataType, ctx: CastContext): StringColumn {
  const rows = col.length;
  if (col.kind === 'string') return col;
  const b = new StringBuilder(rows, rows * 8);
  if (from.kind === 'FixedString' && col.kind === 'fixed') {
    for (let i = 0; i < rows; i++) b.pushBytes(col.data, i * col.width, (i + 1) * col.width);
    return b.build();
  }
  if (col.kind === 'numeric' && (isInteger(from) && !isBigArray(col.data))) {
    const d = col.data as Int32Array;
    for (let i = 0; i < rows; i++) b.pushString(String(d[i]!));
    return b.build();
  }
  for (let i = 0; i < rows; i++) {
    const v = readValue(from, col, i);
    b.pushString(v === null ? 'NULL' : formatValueText(from, col, i, ctx.timezone));
  }
  return b.build();
}

/** Parses every row of a String column into `to` (toInt32('…'), CAST('…' AS T)). */
function parseColumn(col: StringColumn, to: DataType, ctx: CastContext, mode: CastMode, skip?: Uint8Array): Column {
  const rows = col.length;
  if (to.kind === 'FixedString') {
    const out = new Uint8Array(rows * to.n);
    for (let i = 0; i < rows; i++) {
      const s = col.offsets[i]!;
      let len = col.offsets[i + 1]! - s;
      if (len > to.n) {
        if (mode === 'throw' && !skip?.[i]) throw new DbError('TOO_LARGE_STRING_SIZE', 'String too long for type FixedString(' + to.n + ')');
        len = to.n;
      }
      out.set(col.chars.subarray(s, s + len), i * to.n);
    }
    return new FixedColumn(out, to.n);
  }
  // Numbers: a fast path for plain decimal integers.
  const p = physicalOf(to);
  if (p.layout === 'numeric' && (to.kind === 'Int32' || to.kind === 'UInt32' || to.kind === 'Int16' || to.kind === 'UInt16' || to.kind === 'Int8' || to.kind === 'UInt8' || to.kind === 'Float64' || to.kind === 'Float32')) {
    const out = new p.ctor(rows) as Float64Array;
    let failed: Uint8Array | undefined;
    const { chars, offsets } = col;
    for (let i = 0; i < rows; i++) {
      const s = offsets[i]!;
      const e = offsets[i + 1]!;
      let v = 0;
      let j = s;
      let neg = false;
      if (j < e && (chars[j] === 45 || chars[j] === 43)) {
        neg = chars[j] === 45;
        j++;
      }
      let simple = j < e && e - j <= 15;
      for (let k = j; simple && k < e; k++) {
        const c = chars[k]! - 48;
        if (c < 0 || c > 9) simple = false;
        else v = v * 10 + c;
      }
      if (simple) {
        out[i] = neg ? -v : v;
        continue;
      }
      if (skip?.[i]) continue;
      try {
        const val = parseValueText(to, col.stringAt(i), ctx.timezone);
        out[i] = typeof val === 'bigint' ? Number(val) : (val as number);
      } catch (e) {
        if (mode === 'throw') throw e;
        if (!failed) failed = new Uint8Array(rows);
        failed[i] = 1;
      }
    }
    const res = new NumericColumn(out);
    return mode === 'null' && failed ? new NullableColumn(failed, res) : res;
  }
  const nb = mode === 'null' ? new NullableBuilder(createBuilder(to, rows)) : undefined;
  const b = nb ?? createBuilder(to, rows);
  for (let i = 0; i < rows; i++) {
    if (skip?.[i]) {
      b.pushDefault();
      if (nb) (nb.nulls[nb.length - 1] = 0);
      continue;
    }
    try {
      const v = parseValueText(to, col.stringAt(i), ctx.timezone);
      b.push(v);
    } catch (e) {
      if (mode === 'throw') throw e;
      if (nb) nb.pushNull();
      else b.pushDefault();
    }
  }
  return b.build();
}

/** The general slow path: value by value. */
function castViaValues(col: Column, from: DataType, to: DataType, ctx: CastContext, mode: CastMode, skip?: Uint8Array): Column {
  const rows = col.length;
  const nb = mode === 'null' ? new NullableBuilder(createBuilder(to, rows)) : undefined;
  const b = nb ?? createBuilder(to, rows);
  for (let i = 0; i < rows; i++) {
    if (skip?.[i]) {
      b.pushDefault();
      if (nb) nb.nulls[nb.length - 1] = 0;
      continue;
    }
    try {
      b.push(convertValue(readValue(from, col, i), from, to, ctx));
    } catch (e) {
      if (mode === 'throw') throw e;
      if (nb) nb.pushNull();
      else b.pushDefault();
    }
  }
  return b.build();
}

/** Converts one Value between types (the row-at-a-time form of castColumn). */
export function convertValue(v: Value, from: DataType, to: DataType, ctx: CastContext): Value {
  if (v === null) {
    if (to.kind === 'Nullable') return null;
    throw new DbError('CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN', `Cannot convert NULL value to non-Nullable type ${to.name}`);
  }
  if (from.kind === 'Nullable' || from.kind === 'LowCardinality') return convertValue(v, from.inner, to, ctx);
  if (to.kind === 'Nullable' || to.kind === 'LowCardinality') return convertValue(v, from, to.inner, ctx);
  if (from.name === to.name) return v;
  if (to.kind === 'String') {
    const b = createBuilder(from, 1);
    b.push(v);
    return formatValueText(from, b.build(), 0, ctx.timezone);
  }
  if (from.kind === 'String' || from.kind === 'FixedString') return parseValueText(to, String(v), ctx.timezone);
  if (from.kind === 'Array' && to.kind === 'Array') return (v as Value[]).map((x) => convertValue(x, from.element, to.element, ctx));
  if (from.kind === 'Tuple' && to.kind === 'Tuple') return (v as Value[]).map((x, k) => convertValue(x, from.elements[k]!, to.elements[k]!, ctx));
  if (from.kind === 'Map' && to.kind === 'Map') {
    return (v as [Value, Value][]).map(([k, x]) => [convertValue(k, from.key, to.key, ctx), convertValue(x, from.value, to.value, ctx)]);
  }
  // numbers, decimals, big integers
  const num = numericOf(v, from);
  return numericTo(num, to, from, ctx);
}

/** A number-like value as an exact {int, scale} pair or a float. */
interface Num {
  big?: bigint;
  scale: number;
  float?: number;
}

function numericOf(v: Value, from: DataType): Num {
  if (from.kind === 'Decimal') return { big: v as bigint, scale: from.scale };
  if (from.kind === 'DateTime64') return { big: BigInt(Math.round(v as number)), scale: from.precision };
  if (typeof v === 'bigint') return { big: v, scale: 0 };
  if (typeof v === 'boolean') return { big: v ? 1n : 0n, scale: 0 };
  if (typeof v === 'number') return Number.isInteger(v) ? { big: BigInt(v), scale: 0 } : { float: v, scale: 0 };
  throw new DbError('CANNOT_CONVERT_TYPE', `Cannot convert value of type ${from.name}`);
}

function numericTo(n: Num, to: DataType, from: DataType, ctx: CastContext): Value {
  const asFloat = () => (n.float !== undefined ? n.float : Number(n.big!) / 10 ** n.scale);
  const asTruncBig = (): bigint => {
    if (n.float !== undefined) {
      if (!Number.isFinite(n.float)) return 0n;
      return BigInt(Math.trunc(n.float));
    }
    return n.scale ? n.big! / 10n ** BigInt(n.scale) : n.big!;
  };
  switch (to.kind) {
    case 'Float32':
      return Math.fround(asFloat());
    case 'Float64':
      return asFloat();
    case 'Bool':
      return asFloat() !== 0;
    case 'Int8':
    case 'Int16':
    case 'Int32':
      return Number(BigInt.asIntN(to.kind === 'Int8' ? 8 : to.kind === 'Int16' ? 16 : 32, asTruncBig()));
    case 'UInt8':
    case 'UInt16':
    case 'UInt32':
    case 'IPv4':
      return Number(BigInt.asUintN(to.kind === 'UInt8' ? 8 : to.kind === 'UInt16' ? 16 : 32, asTruncBig()));
    case 'Int64':
      return BigInt.asIntN(64, asTruncBig());
    case 'UInt64':
      return BigInt.asUintN(64, asTruncBig());
    case 'Int128':
      return BigInt.asIntN(128, asTruncBig());
    case 'UInt128':
      return BigInt.asUintN(128, asTruncBig());
    case 'Int256':
      return BigInt.asIntN(256, asTruncBig());
    case 'UInt256':
      return BigInt.asUintN(256, asTruncBig());
    case 'Decimal': {
      let r: bigint;
      if (n.float !== undefined) {
        if (!Number.isFinite(n.float)) throw new DbError('DECIMAL_OVERFLOW', `Decimal convert overflow. Cannot convert infinity or NaN to decimal`);
        r = BigInt(Math.trunc(n.float * 10 ** to.scale));
      } else if (to.scale >= n.scale) r = n.big! * 10n ** BigInt(to.scale - n.scale);
      else r = n.big! / 10n ** BigInt(n.scale - to.scale);
      const limit = 10n ** BigInt(to.precision);
      if (r >= limit || r <= -limit) throw new DbError('DECIMAL_OVERFLOW', `Decimal convert overflow: value is out of range of ${to.name}`);
      return r;
    }
    case 'Date':
    case 'Date32':
    case 'DateTime':
    case 'DateTime64':
    case 'Enum8':
    case 'Enum16':
    case 'Interval': {
      const col = castNumeric(new Float64Array([from.kind === 'DateTime64' ? Number(n.big!) : asFloat()]), from.kind === 'Decimal' ? { kind: 'Float64', name: 'Float64' } : from, to, ctx);
      return readValue(to, col, 0);
    }
    default:
      throw new DbError('CANNOT_CONVERT_TYPE', `Conversion from ${from.name} to ${to.name} is not supported`);
  }
}

/** `CAST(x AS Nullable(T))` helper for callers: make the target Nullable when the mode produces NULLs. */
export function castTargetForMode(to: DataType, mode: CastMode): DataType {
  return mode === 'null' && to.kind !== 'Nullable' ? nullableType(to) : to;
}

/** Materialises and casts; for callers that need a plain (non-const) column. */
export function castMaterialized(col: Column, from: DataType, to: DataType, ctx: CastContext): Column {
  return castColumn(materialize(col), from, to, ctx);
}

export { BigNumColumn, TWO32, utf8Encoder };
