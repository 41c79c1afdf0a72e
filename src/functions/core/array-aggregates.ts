import { createBuilder } from '../../columns/builder.js';
import { readValue, type Value } from '../../columns/values.js';
import { DbError } from '../../errors/index.js';
import { arrayType, type DataType, isFloat, isInteger, removeNullable, T } from '../../types/data-type.js';
import { compareValues } from './compare.js';
import { numberSupertype } from './type-rules.js';

/** Aggregates over the elements of one array (arraySum, arrayAvg, arrayMin, arrayMax, arrayProduct, arrayCumSum …). */

function defaultValue(t: DataType): Value {
  const b = createBuilder(t, 1);
  b.pushDefault();
  return readValue(t, b.build(), 0);
}

export function numericArrayAggregate(kind: 'sum' | 'avg' | 'min' | 'max' | 'product', el: DataType): { rt: DataType; fn: (a: Value[]) => Value } {
  const base = removeNullable(el);
  const isNum = isInteger(base) || isFloat(base) || base.kind === 'Decimal' || base.kind === 'Bool';
  if ((kind === 'min' || kind === 'max')) {
    return {
      rt: el,
      fn(a) {
        let best: Value = null;
        for (const x of a) if (x !== null && (best === null || (kind === 'min' ? compareValues(x, best) < 0 : compareValues(x, best) > 0))) best = x;
        return best === null ? defaultValue(el) : best;
      },
    };
  }
  if (!isNum) throw new DbError('ILLEGAL_TYPE_OF_ARGUMENT', `array${kind[0]!.toUpperCase()}${kind.slice(1)} cannot be used with Array(${el.name})`);
  if (kind === 'avg') {
    return {
      rt: T.Float64,
      fn(a) {
        let s = 0;
        let n = 0;
        for (const x of a) if (x !== null) (s += base.kind === 'Decimal' ? Number(x) / 10 ** base.scale : Number(x)), n++;
        return n ? s / n : NaN;
      },
    };
  }
  if (kind === 'product') {
    return { rt: T.Float64, fn: (a) => a.reduce<number>((p, x) => (x === null ? p : p * (base.kind === 'Decimal' ? Number(x) / 10 ** base.scale : Number(x))), 1) };
  }
  // sum: Int64 / UInt64 / Float64 / Decimal128 like the sum aggregate
  const rt = isFloat(base) ? T.Float64 : base.kind === 'Decimal' ? base : base.kind.startsWith('UInt') || base.kind === 'Bool' ? T.UInt64 : T.Int64;
  return {
    rt,
    fn(a) {
      if (rt.kind === 'Float64') return a.reduce<number>((s, x) => (x === null ? s : s + Number(x)), 0);
      let s = 0n;
      for (const x of a) if (x !== null) s += typeof x === 'bigint' ? x : BigInt(Math.trunc(Number(x)));
      return rt.kind === 'UInt64' ? BigInt.asUintN(64, s) : rt.kind === 'Int64' ? BigInt.asIntN(64, s) : s;
    },
  };
}

export function cumulativeFn(op: 'cumsum' | 'cumsumnn' | 'difference', el: DataType): { rt: DataType; fn: (a: Value[]) => Value } {
  const floating = isFloat(el) || el.kind === 'Decimal';
  const unsigned = el.kind.startsWith('UInt') || el.kind === 'Bool';
  let rt: DataType;
  if (op === 'difference') rt = arrayType(floating ? T.Float64 : unsigned ? (el.kind === 'UInt64' ? T.Int64 : numberSupertype([el, T.Int8])) : numberSupertype([el]));
  else rt = arrayType(floating ? T.Float64 : unsigned ? T.UInt64 : T.Int64);
  if (op === 'difference' && !floating) rt = arrayType(el.kind === 'Int64' || el.kind === 'UInt64' ? T.Int64 : el.kind === 'UInt8' ? T.Int16 : el.kind === 'UInt16' ? T.Int32 : el.kind === 'UInt32' ? T.Int64 : el);
  const big = (rt as { element: DataType }).element.kind === 'Int64' || (rt as { element: DataType }).element.kind === 'UInt64';
  return {
    rt,
    fn(a) {
      const nums = a.map((x) => (x === null ? 0 : el.kind === 'Decimal' ? Number(x) / 10 ** (el as { scale: number }).scale : Number(x)));
      const out: number[] = [];
      let acc = 0;
      for (let i = 0; i < nums.length; i++) {
        if (op === 'difference') out.push(i === 0 ? 0 : nums[i]! - nums[i - 1]!);
        else {
          acc += nums[i]!;
          if (op === 'cumsumnn' && acc < 0) acc = 0;
          out.push(acc);
        }
      }
      return big ? out.map((x) => BigInt(x)) : out;
    },
  };
}

