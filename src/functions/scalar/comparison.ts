import { type Column, ConstColumn, NumericColumn, type NumericArray, StringColumn } from '../../columns/column.js';
import { materialize } from '../../columns/ops.js';
import { readValue } from '../../columns/values.js';
import { type DataType, isFloat, isInteger, T } from '../../types/data-type.js';
import type { ResolvedFunction, ScalarFunction } from '../function.js';
import { checkArgCount, illegalTypes } from '../core/args.js';
import { castColumn } from '../core/cast.js';
import { isBigArray, toBigInts, toFloat64 } from '../core/columns.js';
import { compareBytes, compareValues } from '../core/compare.js';
import { binaryKernel } from '../core/kernels.js';
import { leastSupertype } from '../core/type-rules.js';

const CATEGORY = 'Comparison';

export type CmpOp = 'equals' | 'notEquals' | 'less' | 'greater' | 'lessOrEquals' | 'greaterOrEquals';

const EXPR: Record<CmpOp, string> = {
  equals: 'x === y ? 1 : 0',
  notEquals: 'x !== y ? 1 : 0',
  less: 'x < y ? 1 : 0',
  greater: 'x > y ? 1 : 0',
  lessOrEquals: 'x <= y ? 1 : 0',
  greaterOrEquals: 'x >= y ? 1 : 0',
};

const TEST: Record<CmpOp, (c: number) => boolean> = {
  equals: (c) => c === 0,
  notEquals: (c) => c !== 0,
  less: (c) => c < 0,
  greater: (c) => c > 0,
  lessOrEquals: (c) => c <= 0,
  greaterOrEquals: (c) => c >= 0,
};

const NUMERIC_KINDS = new Set(['Int8', 'Int16', 'Int32', 'Int64', 'UInt8', 'UInt16', 'UInt32', 'UInt64', 'Float32', 'Float64', 'Bool']);
const TIME_KINDS = new Set(['Date', 'Date32', 'DateTime', 'DateTime64']);
const BIG_KINDS = new Set(['Int128', 'Int256', 'UInt128', 'UInt256']);

type Exec = (cols: Column[], rows: number) => Column;

/** Resolves a comparison over non-Nullable types; returns a UInt8 result executor. */
export function resolveComparison(op: CmpOp, a: DataType, b: DataType, tz: string): Exec {
  const ctx = { timezone: tz };
  if (a.kind === 'LowCardinality') return resolveComparison(op, a.inner, b, tz);
  if (b.kind === 'LowCardinality') return resolveComparison(op, a, b.inner, tz);
  const castBoth = (t: DataType, next: Exec): Exec => (cols, rows) => next([castColumn(cols[0]!, a, t, ctx), castColumn(cols[1]!, b, t, ctx)], rows);

  if (NUMERIC_KINDS.has(a.kind) && NUMERIC_KINDS.has(b.kind)) return (cols, rows) => numericCompare(op, cols[0]!, cols[1]!, rows);
  if (a.name === b.name && (a.kind === 'Enum8' || a.kind === 'Enum16' || a.kind === 'IPv4' || a.kind === 'Interval' || TIME_KINDS.has(a.kind))) {
    return (cols, rows) => numericCompare(op, cols[0]!, cols[1]!, rows);
  }
  if (TIME_KINDS.has(a.kind) && TIME_KINDS.has(b.kind)) {
    const t = leastSupertype([a, b]);
    return castBoth(t, (cols, rows) => numericCompare(op, cols[0]!, cols[1]!, rows));
  }
  const aStr = a.kind === 'String' || a.kind === 'FixedString';
  const bStr = b.kind === 'String' || b.kind === 'FixedString';
  if (aStr && bStr) return (cols, rows) => stringCompare(op, cols[0]!, a, cols[1]!, b, rows);
  // A string against a typed value: the string is parsed as that type (dates, UUIDs, enums, numbers …).
  if (aStr !== bStr) {
    const other = aStr ? b : a;
    if (other.kind !== 'Array' && other.kind !== 'Tuple' && other.kind !== 'Map') {
      const inner = resolveComparison(op, other, other, tz);
      return (cols, rows) =>
        inner([aStr ? castColumn(cols[0]!, a, other, ctx) : cols[0]!, bStr ? castColumn(cols[1]!, b, other, ctx) : cols[1]!], rows);
    }
    throw illegalTypes(op, [a, b]);
  }
  // Enums with numbers compare by value
  if ((a.kind === 'Enum8' || a.kind === 'Enum16') && (NUMERIC_KINDS.has(b.kind) || b.kind === 'Enum8' || b.kind === 'Enum16')) return (cols, rows) => numericCompare(op, cols[0]!, cols[1]!, rows);
  if ((b.kind === 'Enum8' || b.kind === 'Enum16') && NUMERIC_KINDS.has(a.kind)) return (cols, rows) => numericCompare(op, cols[0]!, cols[1]!, rows);
  if ((TIME_KINDS.has(a.kind) && NUMERIC_KINDS.has(b.kind)) || (TIME_KINDS.has(b.kind) && NUMERIC_KINDS.has(a.kind))) {
    return (cols, rows) => numericCompare(op, cols[0]!, cols[1]!, rows);
  }
  if (a.kind === 'Decimal' || b.kind === 'Decimal' || BIG_KINDS.has(a.kind) || BIG_KINDS.has(b.kind)) {
    if (isFloat(a) || isFloat(b)) return castBoth(T.Float64, (cols, rows) => numericCompare(op, cols[0]!, cols[1]!, rows));
    const okA = a.kind === 'Decimal' || isInteger(a) || a.kind === 'Bool';
    const okB = b.kind === 'Decimal' || isInteger(b) || b.kind === 'Bool';
    if (!okA || !okB) throw illegalTypes(op, [a, b]);
    return (cols, rows) => decimalCompare(op, cols[0]!, a, cols[1]!, b, rows);
  }
  if ((a.kind === 'UUID' || a.kind === 'IPv6') && a.kind === b.kind) return (cols, rows) => fixedCompare(op, cols[0]!, cols[1]!, rows);
  if (a.kind === 'IPv4' && b.kind === 'IPv6') return castBoth(T.IPv6, (cols, rows) => fixedCompare(op, cols[0]!, cols[1]!, rows));
  if (a.kind === 'IPv6' && b.kind === 'IPv4') return castBoth(T.IPv6, (cols, rows) => fixedCompare(op, cols[0]!, cols[1]!, rows));
  if ((a.kind === 'Array' && b.kind === 'Array') || (a.kind === 'Tuple' && b.kind === 'Tuple') || (a.kind === 'Map' && b.kind === 'Map')) {
    if (a.kind === 'Tuple' && b.kind === 'Tuple' && a.elements.length !== b.elements.length) throw illegalTypes(op, [a, b]);
    leastSupertype([a, b]); // throws NO_COMMON_TYPE for incomparable element types
    return (cols, rows) => valueCompare(op, cols[0]!, a, cols[1]!, b, rows);
  }
  if (a.kind === 'Nothing' || b.kind === 'Nothing') return (_cols, rows) => new ConstColumn(new NumericColumn(new Uint8Array(1)), rows);
  throw illegalTypes(op, [a, b]);
}

function numArr(col: Column): { data: NumericArray; isConst: boolean } {
  if (col.kind === 'const') return { data: (col.inner as NumericColumn).data, isConst: true };
  return { data: (col as NumericColumn).data, isConst: false };
}

export function numericCompare(op: CmpOp, ca: Column, cb: Column, rows: number): Column {
  const A = numArr(ca);
  const B = numArr(cb);
  const bothConst = A.isConst && B.isConst;
  const n = bothConst ? 1 : rows;
  let a = A.data;
  let b = B.data;
  let exact = true;
  if (isBigArray(a)) {
    const c = toFloat64(a);
    a = c.data;
    exact &&= c.exact;
  }
  if (isBigArray(b)) {
    const c = toFloat64(b);
    b = c.data;
    exact &&= c.exact;
  }
  const out = new Uint8Array(n);
  if (exact) binaryKernel(EXPR[op], a, A.isConst, b, B.isConst, out)(a, b, out, n);
  else {
    const xa = toBigInts(new NumericColumn(A.data));
    const xb = toBigInts(new NumericColumn(B.data));
    const t = TEST[op];
    for (let i = 0; i < n; i++) {
      const x = xa[A.isConst ? 0 : i]!;
      const y = xb[B.isConst ? 0 : i]!;
      out[i] = t(x < y ? -1 : x > y ? 1 : 0) ? 1 : 0;
    }
  }
  const res = new NumericColumn(out);
  return bothConst ? new ConstColumn(res, rows) : res;
}

function bytesOf(col: Column, t: DataType): { chars: Uint8Array; offsets: Uint32Array | null; width: number; isConst: boolean } {
  const isConst = col.kind === 'const';
  const c = isConst ? (col as ConstColumn).inner : col;
  if (c.kind === 'string') return { chars: c.chars, offsets: c.offsets, width: 0, isConst };
  if (c.kind === 'fixed') return { chars: c.data, offsets: null, width: c.width, isConst };
  throw new Error(`expected string column for ${t.name}`);
}

function stringCompare(op: CmpOp, ca: Column, ta: DataType, cb: Column, tb: DataType, rows: number): Column {
  const A = bytesOf(ca, ta);
  const B = bytesOf(cb, tb);
  const bothConst = A.isConst && B.isConst;
  const n = bothConst ? 1 : rows;
  const out = new Uint8Array(n);
  const t = TEST[op];
  const eqOnly = op === 'equals' || op === 'notEquals';
  const hit = op === 'equals' ? 1 : 0;
  for (let i = 0; i < n; i++) {
    const ia = A.isConst ? 0 : i;
    const ib = B.isConst ? 0 : i;
    const as = A.offsets ? A.offsets[ia]! : ia * A.width;
    const ae = A.offsets ? A.offsets[ia + 1]! : as + A.width;
    const bs = B.offsets ? B.offsets[ib]! : ib * B.width;
    const be = B.offsets ? B.offsets[ib + 1]! : bs + B.width;
    if (eqOnly) {
      if (ae - as !== be - bs) {
        out[i] = 1 - hit;
        continue;
      }
      let same = 1;
      for (let k = 0; k < ae - as; k++) {
        if (A.chars[as + k] !== B.chars[bs + k]) {
          same = 0;
          break;
        }
      }
      out[i] = same ? hit : 1 - hit;
    } else out[i] = t(compareBytes(A.chars, as, ae, B.chars, bs, be)) ? 1 : 0;
  }
  const res = new NumericColumn(out);
  return bothConst ? new ConstColumn(res, rows) : res;
}

function fixedCompare(op: CmpOp, ca: Column, cb: Column, rows: number): Column {
  return stringCompare(op, ca, T.String, cb, T.String, rows);
}

function decimalCompare(op: CmpOp, ca: Column, ta: DataType, cb: Column, tb: DataType, rows: number): Column {
  const sa = ta.kind === 'Decimal' ? ta.scale : 0;
  const sb = tb.kind === 'Decimal' ? tb.scale : 0;
  const s = Math.max(sa, sb);
  const fa = 10n ** BigInt(s - sa);
  const fb = 10n ** BigInt(s - sb);
  const A = ca.kind === 'const' ? ca.inner : ca;
  const B = cb.kind === 'const' ? cb.inner : cb;
  const xa = toBigInts(A);
  const xb = toBigInts(B);
  const bothConst = ca.kind === 'const' && cb.kind === 'const';
  const n = bothConst ? 1 : rows;
  const out = new Uint8Array(n);
  const t = TEST[op];
  for (let i = 0; i < n; i++) {
    const x = xa[ca.kind === 'const' ? 0 : i]! * fa;
    const y = xb[cb.kind === 'const' ? 0 : i]! * fb;
    out[i] = t(x < y ? -1 : x > y ? 1 : 0) ? 1 : 0;
  }
  const res = new NumericColumn(out);
  return bothConst ? new ConstColumn(res, rows) : res;
}

function valueCompare(op: CmpOp, ca: Column, ta: DataType, cb: Column, tb: DataType, rows: number): Column {
  const out = new Uint8Array(rows);
  const t = TEST[op];
  const A = materialize(ca);
  const B = materialize(cb);
  for (let i = 0; i < rows; i++) out[i] = t(compareValues(readValue(ta, A, i), readValue(tb, B, i))) ? 1 : 0;
  return new NumericColumn(out);
}

function comparison(op: CmpOp, description: string, syntax: string, aliases: string[] = []): ScalarFunction {
  return {
    name: op,
    aliases,
    category: CATEGORY,
    description,
    syntax,
    resolve(args, ctx): ResolvedFunction {
      checkArgCount(op, args, 2);
      const exec = resolveComparison(op, args[0]!.type, args[1]!.type, ctx.timezone);
      return { returnType: T.UInt8, execute: (cols, rows) => exec(cols, rows) };
    },
  };
}

export const comparisonFunctions: ScalarFunction[] = [
  comparison('equals', 'Returns 1 when the arguments are equal', 'equals(a, b), a = b, a == b'),
  comparison('notEquals', 'Returns 1 when the arguments differ', 'notEquals(a, b), a != b, a <> b'),
  comparison('less', 'Returns 1 when a < b', 'less(a, b), a < b'),
  comparison('greater', 'Returns 1 when a > b', 'greater(a, b), a > b'),
  comparison('lessOrEquals', 'Returns 1 when a <= b', 'lessOrEquals(a, b), a <= b'),
  comparison('greaterOrEquals', 'Returns 1 when a >= b', 'greaterOrEquals(a, b), a >= b'),
];

export { StringColumn };
