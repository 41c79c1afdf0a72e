import { typeNameFor } from '../../types/dialect.js';
import { type Column, ConstColumn, FixedColumn, NumericColumn, StringColumn } from '../../columns/column.js';
import { StringBuilder } from '../../columns/builder.js';
import { concatColumns, materialize, takeColumn } from '../../columns/ops.js';
import { readValue, type Value } from '../../columns/values.js';
import { DbError } from '../../errors/index.js';
import {
  type DataType,
  dateTime64Type,
  dateTimeType,
  decimalType,
  fixedStringType,
  isFloat,
  isInteger,
  isStringLike,
  nullableType,
  removeNullable,
  simpleType,
  T,
} from '../../types/data-type.js';
import { parseDataType } from '../../types/type-factory.js';
import { checkTimezone } from '../../types/time.js';
import type { ArgumentInfo, FunctionContext, ResolvedFunction, ScalarFunction } from '../function.js';
import { checkArgCount, constNumber, constString, illegalType } from '../core/args.js';
import { castColumn, type CastMode, convertValue } from '../core/cast.js';
import { toFloat64 } from '../core/columns.js';
import { rowwiseResolved } from '../core/rowwise.js';
import { maxPrecisionForWidth } from '../core/type-rules.js';

const CATEGORY = 'Type Conversion';

const NUMBER_TARGETS = ['Int8', 'Int16', 'Int32', 'Int64', 'Int128', 'Int256', 'UInt8', 'UInt16', 'UInt32', 'UInt64', 'UInt128', 'UInt256', 'Float32', 'Float64'] as const;

function castResolved(from: DataType, to: DataType, ctx: FunctionContext, mode: CastMode = 'throw', argIndex = 0): ResolvedFunction {
  const c = { timezone: ctx.timezone };
  return {
    returnType: to,
    execute: (cols, rows) => {
      const res = castColumn(cols[argIndex]!, from, to, c, mode);
      return res.length === rows || res.kind === 'const' ? res : res;
    },
  };
}

type Variant = '' | 'OrNull' | 'OrZero' | 'OrDefault';

function suffixMode(v: Variant): CastMode {
  return v === 'OrNull' ? 'null' : v === 'OrZero' || v === 'OrDefault' ? 'zero' : 'throw';
}

/** toInt32 / toFloat64OrNull / toUInt8OrZero …: conversions to one fixed type. */
function toTypeFunction(name: string, target: (args: readonly ArgumentInfo[]) => DataType, variant: Variant, argCount: [number, number], description: string, aliases: string[] = []): ScalarFunction {
  return {
    name,
    aliases,
    category: CATEGORY,
    description,
    syntax: `${name}(x)`,
    resolve(args, ctx) {
      checkArgCount(name, args, argCount[0], argCount[1] + (variant === 'OrDefault' ? 1 : 0));
      const from = args[0]!.type;
      const to = target(args);
      if (variant === '') return castResolved(from, to, ctx);
      if (variant === 'OrDefault' && args.length > argCount[1]) {
        const defIdx = args.length - 1;
        const c = { timezone: ctx.timezone };
        return {
          returnType: to,
          execute(cols, rows) {
            const attempt = castColumn(cols[0]!, from, nullableType(to), c, 'null');
            const fallback = castColumn(cols[defIdx]!, args[defIdx]!.type, to, c);
            return coalesceColumns(attempt, fallback, to, rows);
          },
        };
      }
      return castResolved(from, variant === 'OrNull' ? nullableType(to) : to, ctx, suffixMode(variant));
    },
  };
}

function coalesceColumns(attempt: Column, fallback: Column, _to: DataType, rows: number): Column {
  const a = materialize(attempt);
  if (a.kind !== 'nullable') return a;
  const f = materialize(fallback.kind === 'const' ? new ConstColumn(fallback.inner, rows) : fallback);
  const idx = new Uint32Array(rows);
  for (let i = 0; i < rows; i++) idx[i] = a.nulls[i] ? rows + i : i;
  return takeColumn(concatColumns([a.inner, f]), idx);
}

const numberConversions: ScalarFunction[] = [];
for (const kind of NUMBER_TARGETS) {
  const t = simpleType(kind);
  for (const v of ['', 'OrNull', 'OrZero', 'OrDefault'] as Variant[]) {
    numberConversions.push(
      toTypeFunction(`to${kind}${v}`, () => t, v, [1, 1], `Converts a value to ${kind}${v ? ` (${v === 'OrNull' ? 'NULL' : v === 'OrZero' ? 'zero' : 'the default'} when it cannot be parsed)` : ''}`),
    );
  }
}

function decimalConversion(bits: 32 | 64 | 128 | 256, v: Variant): ScalarFunction {
  const width = bits / 8;
  const p = maxPrecisionForWidth(width);
  return toTypeFunction(
    `toDecimal${bits}${v}`,
    (args) => decimalType(p, constNumber(`toDecimal${bits}`, args, 1)),
    v,
    [2, 2],
    `Converts a value to Decimal${bits}(S)${v ? ` (${v})` : ''}`,
  );
}
const decimalConversions: ScalarFunction[] = [];
for (const bits of [32, 64, 128, 256] as const) for (const v of ['', 'OrNull', 'OrZero', 'OrDefault'] as Variant[]) decimalConversions.push(decimalConversion(bits, v));

// ------------------------------------------------------------------ dates

function tzArg(name: string, args: readonly ArgumentInfo[], i: number): string | undefined {
  if (args.length <= i) return undefined;
  return checkTimezone(constString(name, args, i));
}

function toDateFunction(name: 'toDate' | 'toDate32', v: Variant): ScalarFunction {
  const target = name === 'toDate' ? T.Date : T.Date32;
  const fname = `${name}${v}`;
  return {
    name: fname,
    aliases: name === 'toDate' && v === '' ? ['DATE'] : [],
    caseInsensitive: name === 'toDate' && v === '',
    category: CATEGORY,
    description: `Converts a string, number or date with time to ${target.name}${v ? ` (${v})` : ''}`,
    syntax: `${fname}(x[, timezone])`,
    resolve(args, ctx) {
      checkArgCount(fname, args, 1, 2);
      const from = args[0]!.type;
      const tz = tzArg(fname, args, 1) ?? ctx.timezone;
      const to = v === 'OrNull' ? nullableType(target) : target;
      const c = { timezone: tz };
      if (isInteger(from) || isFloat(from)) {
        // Numbers above 65535 are unix timestamps; smaller ones are day numbers.
        return {
          returnType: to,
          execute(cols, rows) {
            const col = cols[0]!;
            const inner = col.kind === 'const' ? col.inner : col;
            if (inner.kind !== 'numeric') throw new Error('expected numeric');
            const d = toFloat64(inner.data).data;
            const n = d.length;
            const asTime = new Uint8Array(n);
            let any = false;
            for (let i = 0; i < n; i++) if (d[i]! > 65535) asTime[i] = 1, (any = true);
            let res: Column;
            if (!any) res = castColumn(inner, from, target, c);
            else {
              const days = new Float64Array(n);
              const tzDays = castColumn(new NumericColumn(Float64Array.from(d, (x) => Math.max(0, Math.trunc(x)))), T.Float64, dateTimeType(tz), c);
              const viaTime = castColumn(tzDays, dateTimeType(tz), target, c) as NumericColumn;
              for (let i = 0; i < n; i++) days[i] = asTime[i] ? Number(viaTime.data[i]) : Math.trunc(d[i]!);
              res = castColumn(new NumericColumn(days), T.Float64, target, c);
            }
            if (to.kind === 'Nullable') res = castColumn(res, target, to, c);
            return col.kind === 'const' ? new ConstColumn(res, rows) : res;
          },
        };
      }
      if (!isStringLike(from) && from.kind !== 'Date' && from.kind !== 'Date32' && from.kind !== 'DateTime' && from.kind !== 'DateTime64' && from.kind !== 'Nothing') {
        throw illegalType(fname, from);
      }
      // a DateTime's own timezone decides its date unless one is given
      const fromWithTz = (from.kind === 'DateTime' || from.kind === 'DateTime64') && args.length > 1 ? (from.kind === 'DateTime' ? dateTimeType(tz) : dateTime64Type(from.precision, tz)) : from;
      return castResolved(fromWithTz, to, { ...ctx, timezone: tz }, suffixMode(v));
    },
  };
}

function toDateTimeFunction(v: Variant): ScalarFunction {
  const fname = `toDateTime${v}`;
  return {
    name: fname,
    aliases: v === '' ? ['DATETIME', 'TIMESTAMP'] : [],
    caseInsensitive: v === '',
    category: CATEGORY,
    description: `Converts a string, number or date to DateTime${v ? ` (${v})` : ''}`,
    syntax: `${fname}(x[, timezone])`,
    resolve(args, ctx) {
      checkArgCount(fname, args, 1, 2);
      const from = args[0]!.type;
      const tz = tzArg(fname, args, 1);
      const target = dateTimeType(tz ?? (from.kind === 'DateTime' || from.kind === 'DateTime64' ? from.timezone : undefined));
      const to = v === 'OrNull' ? nullableType(target) : target;
      if (from.kind === 'DateTime' && args.length > 1) return castResolved(from, to, ctx);
      return castResolved(from, to, { ...ctx, timezone: tz ?? ctx.timezone }, suffixMode(v));
    },
  };
}

function toDateTime64Function(v: Variant): ScalarFunction {
  const fname = `toDateTime64${v}`;
  return {
    name: fname,
    category: CATEGORY,
    description: `Converts a value to DateTime64(precision)${v ? ` (${v})` : ''}`,
    syntax: `${fname}(x, precision[, timezone])`,
    resolve(args, ctx) {
      checkArgCount(fname, args, 1, 3);
      const from = args[0]!.type;
      const p = args.length > 1 ? constNumber(fname, args, 1) : 3;
      if (p < 0 || p > 9) throw new DbError('ARGUMENT_OUT_OF_BOUND', `Scale ${p} is out of bounds (max scale: 9)`);
      const tz = tzArg(fname, args, 2);
      const target = dateTime64Type(p, tz ?? (from.kind === 'DateTime' || from.kind === 'DateTime64' ? from.timezone : undefined));
      const to = v === 'OrNull' ? nullableType(target) : target;
      return castResolved(from, to, { ...ctx, timezone: tz ?? ctx.timezone }, suffixMode(v));
    },
  };
}

// ------------------------------------------------------------------ strings

const toStringFunction: ScalarFunction = {
  name: 'toString',
  category: CATEGORY,
  description: 'The text form of a value (DateTime in its own or the given timezone)',
  syntax: 'toString(x[, timezone])',
  resolve(args, ctx) {
    checkArgCount('toString', args, 1, 2);
    let from = args[0]!.type;
    const tz = tzArg('toString', args, 1);
    if (tz && from.kind === 'DateTime') from = dateTimeType(tz);
    if (tz && from.kind === 'DateTime64') from = dateTime64Type(from.precision, tz);
    const c = { timezone: ctx.timezone };
    return {
      returnType: T.String,
      execute(cols, rows) {
        const col = cols[0]!;
        if (from.kind === 'FixedString') {
          // trailing zero bytes are dropped
          const inner = col.kind === 'const' ? col.inner : col;
          const f = inner as FixedColumn;
          const b = new StringBuilder(f.length);
          for (let i = 0; i < f.length; i++) {
            let end = (i + 1) * f.width;
            while (end > i * f.width && f.data[end - 1] === 0) end--;
            b.pushBytes(f.data, i * f.width, end);
          }
          const res = b.build();
          return col.kind === 'const' ? new ConstColumn(res, rows) : res;
        }
        return castColumn(col, from, T.String, c);
      },
    };
  },
};

const toFixedString: ScalarFunction = {
  name: 'toFixedString',
  category: CATEGORY,
  description: 'Converts a string to FixedString(N), padding with zero bytes; throws when it is longer',
  syntax: 'toFixedString(s, N)',
  resolve(args, ctx) {
    checkArgCount('toFixedString', args, 2);
    const n = constNumber('toFixedString', args, 1);
    if (!isStringLike(args[0]!.type)) throw illegalType('toFixedString', args[0]!.type);
    return castResolved(args[0]!.type, fixedStringType(n), ctx);
  },
};

const toStringCutToZero = rowConversion('toStringCutToZero', T.String, 'The string up to its first zero byte', (v) => {
  const s = String(v);
  const z = s.indexOf('\0');
  return z < 0 ? s : s.slice(0, z);
});

function rowConversion(name: string, rt: DataType, description: string, fn: (v: Value) => Value): ScalarFunction {
  return {
    name,
    category: CATEGORY,
    description,
    syntax: `${name}(x)`,
    resolve(args) {
      checkArgCount(name, args, 1);
      return rowwiseResolved([args[0]!.type], rt, (vals) => fn(vals[0]!));
    },
  };
}

// ------------------------------------------------------------------ CAST and friends

function castFunction(name: string, mode: CastMode, accurate: boolean, aliases: string[] = []): ScalarFunction {
  return {
    name,
    aliases,
    caseInsensitive: name === 'CAST',
    handlesNulls: true,
    category: CATEGORY,
    description:
      mode === 'null'
        ? 'Converts x to type T, NULL when the value does not fit or parse'
        : accurate
          ? 'Converts x to type T; throws when the value does not fit'
          : 'Converts x to type T (CAST(x AS T), x::T)',
    syntax: `${name}(x, 'T')`,
    resolve(args, ctx) {
      checkArgCount(name, args, 2);
      const typeName = constString(name, args, 1);
      let to = parseDataType(typeName);
      const from = args[0]!.type;
      if (mode === 'null' && to.kind !== 'Nullable' && to.kind !== 'Array' && to.kind !== 'Tuple' && to.kind !== 'Map') to = nullableType(to);
      const c = { timezone: ctx.timezone };
      if (accurate) {
        return rowwiseResolved([from], to, (vals) => {
          const v = vals[0]!;
          try {
            checkAccurate(v, removeNullable(from), removeNullable(to));
            return convertValue(v, from, to, c);
          } catch (e) {
            if (mode === 'null') return null;
            throw e;
          }
        });
      }
      return { returnType: to, execute: (cols) => castColumn(cols[0]!, from, to, c, mode) };
    },
  };
}

const INT_RANGE: Record<string, [bigint, bigint]> = {
  Int8: [-128n, 127n],
  Int16: [-32768n, 32767n],
  Int32: [-2147483648n, 2147483647n],
  Int64: [-(2n ** 63n), 2n ** 63n - 1n],
  UInt8: [0n, 255n],
  UInt16: [0n, 65535n],
  UInt32: [0n, 4294967295n],
  UInt64: [0n, 2n ** 64n - 1n],
};

function checkAccurate(v: Value, from: DataType, to: DataType): void {
  const range = INT_RANGE[to.kind];
  if (!range || v === null) return;
  let x: number | bigint | undefined;
  if (typeof v === 'number' || typeof v === 'bigint') x = v;
  if (from.kind === 'Decimal' && typeof v === 'bigint') x = Number(v) / 10 ** from.scale;
  if (x === undefined) return;
  if (typeof x === 'number') {
    if (!Number.isFinite(x) || (isFloat(from) && x !== Math.trunc(x) && false)) throw cannotConvert(v, to);
    if (x < Number(range[0]) || x > Number(range[1])) throw cannotConvert(v, to);
  } else if (x < range[0] || x > range[1]) throw cannotConvert(v, to);
}

function cannotConvert(v: Value, to: DataType): DbError {
  return new DbError('CANNOT_CONVERT_TYPE', `Value ${String(v)} cannot be safely converted to ${to.name}`);
}

const toTypeName: ScalarFunction = {
  name: 'toTypeName',
  handlesNulls: true,
  category: 'Other',
  description: 'The name of the argument type',
  syntax: 'toTypeName(x)',
  resolve(args, ctx) {
    checkArgCount('toTypeName', args, 1);
    const name = typeNameFor(args[0]!.type.name, ctx.settings);
    return { returnType: T.String, execute: (_c, rows) => constString1(name, rows) };
  },
};

function constString1(s: string, rows: number): Column {
  const b = new StringBuilder(1);
  b.pushString(s);
  return new ConstColumn(b.build(), rows);
}

const toColumnTypeName: ScalarFunction = {
  name: 'toColumnTypeName',
  handlesNulls: true,
  category: 'Other',
  description: 'The name of the physical column class holding the argument',
  syntax: 'toColumnTypeName(x)',
  resolve(args) {
    checkArgCount('toColumnTypeName', args, 1);
    return {
      returnType: T.String,
      execute(cols, rows) {
        return constString1(columnTypeName(cols[0]!, args[0]!.type), rows);
      },
    };
  },
};

function columnTypeName(c: Column, t: DataType): string {
  const b = t.kind === 'LowCardinality' ? t.inner : t;
  switch (c.kind) {
    case 'const':
      return `Const(${columnTypeName(c.inner, t)})`;
    case 'nullable':
      return `Nullable(${columnTypeName(c.inner, b.kind === 'Nullable' ? b.inner : b)})`;
    case 'string':
      return 'String';
    case 'fixed':
      return b.kind === 'UUID' ? 'UUID' : b.kind === 'IPv6' ? 'IPv6' : 'FixedString';
    case 'array':
      return `Array(${columnTypeName(c.inner, b.kind === 'Array' ? b.element : b)})`;
    case 'tuple':
      return `Tuple(${c.columns.map((x, k) => columnTypeName(x, b.kind === 'Tuple' ? b.elements[k]! : b)).join(', ')})`;
    case 'object':
      return 'AggregateFunction';
    case 'nothing':
      return 'Nothing';
    default: {
      const k = b.kind;
      if (k === 'Date') return 'UInt16';
      if (k === 'DateTime') return 'UInt32';
      if (k === 'Bool') return 'UInt8';
      if (k === 'Decimal') return `Decimal${b.kind === 'Decimal' ? (b.precision <= 9 ? 32 : b.precision <= 18 ? 64 : b.precision <= 38 ? 128 : 256) : ''}`;
      if (k === 'DateTime64') return 'DateTime64';
      return k;
    }
  }
}

const toBool: ScalarFunction = toTypeFunction('toBool', () => T.Bool, '', [1, 1], 'Converts a number or a string (true/false/1/0) to Bool', ['toBoolean']);

// ------------------------------------------------------------------ reinterpret

function reinterpretAs(kind: string): ScalarFunction {
  const name = `reinterpretAs${kind}`;
  const rt = kind === 'String' ? T.String : kind === 'FixedString' ? T.String : kind === 'UUID' ? T.UUID : kind === 'Date' ? T.Date : kind === 'DateTime' ? dateTimeType() : simpleType(kind as 'Int8');
  return {
    name,
    category: CATEGORY,
    description: `Reinterprets the bytes of a value as ${kind} (little-endian)`,
    syntax: `${name}(x)`,
    resolve(args) {
      checkArgCount(name, args, 1);
      const from = args[0]!.type;
      return rowwiseResolved([from], rt, (vals) => {
        const bytes = bytesOfValue(vals[0]!, from);
        return valueFromBytes(bytes, rt, kind);
      });
    },
  };
}

function bytesOfValue(v: Value, t: DataType): Uint8Array {
  if (typeof v === 'string') {
    if (t.kind === 'UUID') return uuidBytes(v);
    return new TextEncoder().encode(v);
  }
  if (v instanceof Uint8Array) return v;
  const buf = new ArrayBuffer(32);
  const dv = new DataView(buf);
  let size = 8;
  switch (t.kind) {
    case 'Int8':
    case 'UInt8':
    case 'Bool':
      size = 1;
      dv.setUint8(0, Number(v) & 255);
      break;
    case 'Int16':
    case 'UInt16':
    case 'Date':
      size = 2;
      dv.setUint16(0, Number(v) & 0xffff, true);
      break;
    case 'Int32':
    case 'UInt32':
    case 'DateTime':
    case 'IPv4':
    case 'Date32':
      size = 4;
      dv.setUint32(0, Number(v) >>> 0, true);
      break;
    case 'Float32':
      size = 4;
      dv.setFloat32(0, Number(v), true);
      break;
    case 'Float64':
    case 'DateTime64':
      dv.setFloat64(0, Number(v), true);
      break;
    default: {
      const b = typeof v === 'bigint' ? v : BigInt(Math.trunc(Number(v)));
      size = t.kind.endsWith('256') ? 32 : t.kind.endsWith('128') ? 16 : 8;
      let x = BigInt.asUintN(size * 8, b);
      for (let i = 0; i < size; i++) {
        dv.setUint8(i, Number(x & 255n));
        x >>= 8n;
      }
    }
  }
  return new Uint8Array(buf, 0, size);
}

function uuidBytes(s: string): Uint8Array {
  const hex = s.replace(/-/g, '');
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function valueFromBytes(bytes: Uint8Array, rt: DataType, kind: string): Value {
  if (kind === 'String' || kind === 'FixedString') {
    let end = bytes.length;
    while (end > 0 && bytes[end - 1] === 0) end--;
    return new TextDecoder().decode(bytes.subarray(0, end));
  }
  const buf = new Uint8Array(32);
  buf.set(bytes.subarray(0, 32));
  const dv = new DataView(buf.buffer);
  switch (rt.kind) {
    case 'Int8':
      return dv.getInt8(0);
    case 'UInt8':
      return dv.getUint8(0);
    case 'Int16':
      return dv.getInt16(0, true);
    case 'UInt16':
    case 'Date':
      return dv.getUint16(0, true);
    case 'Int32':
      return dv.getInt32(0, true);
    case 'UInt32':
    case 'DateTime':
      return dv.getUint32(0, true);
    case 'Float32':
      return dv.getFloat32(0, true);
    case 'Float64':
      return dv.getFloat64(0, true);
    case 'Int64':
      return dv.getBigInt64(0, true);
    case 'UInt64':
      return dv.getBigUint64(0, true);
    case 'UUID': {
      const hex = Array.from(buf.subarray(0, 16), (b) => b.toString(16).padStart(2, '0')).join('');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    }
    default: {
      const size = kind.endsWith('256') ? 32 : 16;
      let x = 0n;
      for (let i = size - 1; i >= 0; i--) x = (x << 8n) | BigInt(buf[i]!);
      return kind.startsWith('Int') ? BigInt.asIntN(size * 8, x) : x;
    }
  }
}

const REINTERPRET_KINDS = ['Int8', 'Int16', 'Int32', 'Int64', 'Int128', 'Int256', 'UInt8', 'UInt16', 'UInt32', 'UInt64', 'UInt128', 'UInt256', 'Float32', 'Float64', 'String', 'FixedString', 'UUID', 'Date', 'DateTime'];

/** Proton's generic spellings: to_int(x) = toInt64, to_float = toFloat64, to_decimal(x, P, S). */
const protonGeneric: ScalarFunction[] = [
  toTypeFunction('toInt', () => T.Int64, '', [1, 1], 'Converts a value to Int64 (Proton)', ['to_int']),
  toTypeFunction('toFloat', () => T.Float64, '', [1, 1], 'Converts a value to Float64 (Proton)', ['to_float']),
  toTypeFunction('toDecimal', (args) => decimalType(constNumber('toDecimal', args, 1), args.length > 2 ? constNumber('toDecimal', args, 2) : 0), '', [2, 3], 'Converts a value to Decimal(P, S) (Proton)', ['to_decimal']),
];

export const conversionFunctions: ScalarFunction[] = [
  ...numberConversions,
  ...decimalConversions,
  ...(['', 'OrNull', 'OrZero', 'OrDefault'] as Variant[]).flatMap((v) => [toDateFunction('toDate', v), toDateFunction('toDate32', v), toDateTimeFunction(v), toDateTime64Function(v)]),
  toStringFunction,
  toFixedString,
  toStringCutToZero,
  castFunction('CAST', 'throw', false, ['cast']),
  castFunction('_CAST', 'throw', false),
  castFunction('accurateCast', 'throw', true),
  castFunction('accurateCastOrNull', 'null', true),
  castFunction('_accurateCast', 'throw', true),
  toTypeName,
  toColumnTypeName,
  toBool,
  ...REINTERPRET_KINDS.map(reinterpretAs),
  ...protonGeneric,
];

export { StringColumn };
