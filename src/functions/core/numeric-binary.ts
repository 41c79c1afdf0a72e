import { BigNumColumn, type Column, ConstColumn, NumericColumn, type NumericArray } from '../../columns/column.js';
import { physicalOf } from '../../columns/physical.js';
import { DbError } from '../../errors/index.js';
import { type DataType, isFloat } from '../../types/data-type.js';
import { float64ToInt64, isBigArray, toBigInts, toFloat64 } from './columns.js';
import { anyKernel, binaryKernel, unaryKernel } from './kernels.js';

/**
 * Binary and unary operations over plain numbers with ClickHouse's wrapping integer semantics.
 * The fast path computes in doubles (exact for integers below 2^53) inside a compiled, monomorphic loop;
 * 64-bit results are written through 32-bit halves; anything not exactly representable falls back to a
 * BigInt loop.
 */
export interface NumericBinaryOp {
  /** JS expression over doubles `x`, `y`. */
  readonly expr: string;
  /** Exact integer form (the result is wrapped to the result type by the caller). */
  readonly big: (x: bigint, y: bigint) => bigint;
  /** intDiv / modulo: integer division by zero throws ILLEGAL_DIVISION. */
  readonly checkZeroDivisor?: boolean;
  /** Bitwise ops: the double path only works up to 32 bits. */
  readonly bits32Only?: boolean;
  /** Function name for error messages. */
  readonly name: string;
}

function arr(col: Column): { data: NumericArray; isConst: boolean } {
  if (col.kind === 'const') {
    const inner = col.inner;
    if (inner.kind !== 'numeric') throw new Error(`expected numeric constant, got ${inner.kind}`);
    return { data: inner.data, isConst: true };
  }
  if (col.kind !== 'numeric') throw new Error(`expected numeric column, got ${col.kind}`);
  return { data: col.data, isConst: false };
}

function wrapBig(v: bigint, t: DataType): bigint {
  switch (t.kind) {
    case 'Int64':
      return BigInt.asIntN(64, v);
    case 'UInt64':
      return BigInt.asUintN(64, v);
    case 'Int128':
      return BigInt.asIntN(128, v);
    case 'UInt128':
      return BigInt.asUintN(128, v);
    case 'Int256':
      return BigInt.asIntN(256, v);
    case 'UInt256':
      return BigInt.asUintN(256, v);
    case 'Int8':
      return BigInt.asIntN(8, v);
    case 'Int16':
      return BigInt.asIntN(16, v);
    case 'Int32':
      return BigInt.asIntN(32, v);
    case 'UInt8':
      return BigInt.asUintN(8, v);
    case 'UInt16':
      return BigInt.asUintN(16, v);
    case 'UInt32':
      return BigInt.asUintN(32, v);
    default:
      return v;
  }
}

function divisionByZero(): DbError {
  return new DbError('ILLEGAL_DIVISION', 'Division by zero');
}

export function executeNumericBinary(op: NumericBinaryOp, a: Column, b: Column, rt: DataType, rows: number): Column {
  const A = arr(a);
  const B = arr(b);
  const bothConst = A.isConst && B.isConst;
  const n = bothConst ? 1 : rows;
  const res = computeBinary(op, A.data, A.isConst, B.data, B.isConst, rt, n);
  return bothConst ? new ConstColumn(res, rows) : res;
}

function computeBinary(op: NumericBinaryOp, ad: NumericArray, aConst: boolean, bd: NumericArray, bConst: boolean, rt: DataType, n: number): Column {
  const rtFloat = isFloat(rt);
  const p = physicalOf(rt);
  const is64 = p.layout === 'numeric' && (p.ctor === BigInt64Array || p.ctor === BigUint64Array);
  const isBigRt = p.layout === 'bignum';
  let a = ad;
  let b = bd;
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
  if (op.checkZeroDivisor && !rtFloat) {
    const bn = bConst ? 1 : n;
    if (anyKernel('x === 0', b)(b, bn)) throw divisionByZero();
  }
  const useBig = isBigRt || (!rtFloat && !exact) || (op.bits32Only && is64);
  if (!useBig && p.layout === 'numeric') {
    if (!is64) {
      const out = new p.ctor(n);
      binaryKernel(op.expr, a, aConst, b, bConst, out)(a, b, out, n);
      return new NumericColumn(out);
    }
    const tmp = new Float64Array(n);
    binaryKernel(op.expr, a, aConst, b, bConst, tmp)(a, b, tmp, n);
    const out = new (p.ctor as BigInt64ArrayConstructor)(n);
    if (float64ToInt64(tmp, out)) return new NumericColumn(out);
  }
  // exact path
  const xa = bigValues(ad, aConst, n);
  const xb = bigValues(bd, bConst, n);
  const outBig: bigint[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const y = xb[bConst ? 0 : i]!;
    if (op.checkZeroDivisor && y === 0n) throw divisionByZero();
    outBig[i] = wrapBig(op.big(xa[aConst ? 0 : i]!, y), rt);
  }
  if (isBigRt) return new BigNumColumn(outBig);
  if (p.layout !== 'numeric') throw new Error('unexpected result layout');
  const out = new p.ctor(n);
  if (isBigArray(out)) for (let i = 0; i < n; i++) out[i] = outBig[i]!;
  else for (let i = 0; i < n; i++) (out as Float64Array)[i] = Number(outBig[i]!);
  return new NumericColumn(out);
}

function bigValues(d: NumericArray, isConst: boolean, n: number): bigint[] {
  return toBigInts(new NumericColumn(isConst ? d.subarray(0, 1) : d.subarray(0, n)));
}

/** Binary op where one side may be a BigNumColumn (128/256-bit): always the exact path. */
export function executeBigBinary(op: NumericBinaryOp, a: Column, b: Column, rt: DataType, rows: number): Column {
  const aConst = a.kind === 'const';
  const bConst = b.kind === 'const';
  const n = aConst && bConst ? 1 : rows;
  const xa = toBigInts(aConst ? a.inner : a);
  const xb = toBigInts(bConst ? b.inner : b);
  const out: bigint[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const y = xb[bConst ? 0 : i]!;
    if (op.checkZeroDivisor && y === 0n) throw divisionByZero();
    out[i] = wrapBig(op.big(xa[aConst ? 0 : i]!, y), rt);
  }
  const p = physicalOf(rt);
  let res: Column;
  if (p.layout === 'bignum') res = new BigNumColumn(out);
  else if (p.layout === 'numeric') {
    const o = new p.ctor(n);
    if (isBigArray(o)) for (let i = 0; i < n; i++) o[i] = out[i]!;
    else for (let i = 0; i < n; i++) (o as Float64Array)[i] = Number(out[i]!);
    res = new NumericColumn(o);
  } else throw new Error('unexpected result layout');
  return aConst && bConst ? new ConstColumn(res, rows) : res;
}

export interface NumericUnaryOp {
  readonly expr: string;
  readonly big: (x: bigint) => bigint;
}

export function executeNumericUnary(op: NumericUnaryOp, a: Column, rt: DataType, rows: number): Column {
  const isC = a.kind === 'const';
  const src = isC ? a.inner : a;
  const n = isC ? 1 : rows;
  let res: Column;
  const p = physicalOf(rt);
  if (src.kind === 'numeric' && p.layout === 'numeric') {
    let d = src.data;
    let exact = true;
    if (isBigArray(d)) {
      const c = toFloat64(d);
      d = c.data;
      exact = c.exact;
    }
    const is64 = p.ctor === BigInt64Array || p.ctor === BigUint64Array;
    if (exact || isFloat(rt)) {
      if (!is64) {
        const out = new p.ctor(n);
        unaryKernel(op.expr, d, out)(d, out, n);
        res = new NumericColumn(out);
        return isC ? new ConstColumn(res, rows) : res;
      }
      const tmp = new Float64Array(n);
      unaryKernel(op.expr, d, tmp)(d, tmp, n);
      const out = new (p.ctor as BigInt64ArrayConstructor)(n);
      if (float64ToInt64(tmp, out)) {
        res = new NumericColumn(out);
        return isC ? new ConstColumn(res, rows) : res;
      }
    }
  }
  const xs = toBigInts(src);
  const out: bigint[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = wrapBig(op.big(xs[i]!), rt);
  if (p.layout === 'bignum') res = new BigNumColumn(out);
  else if (p.layout === 'numeric') {
    const o = new p.ctor(n);
    if (isBigArray(o)) for (let i = 0; i < n; i++) o[i] = out[i]!;
    else for (let i = 0; i < n; i++) (o as Float64Array)[i] = Number(out[i]!);
    res = new NumericColumn(o);
  } else throw new Error('unexpected result layout');
  return isC ? new ConstColumn(res, rows) : res;
}
