import { T, type DataType, isInteger, isNumber } from '../../types/data-type.js';
import type { Value } from '../../columns/values.js';
import { DbError } from '../../errors/index.js';
import type { ScalarFunction } from '../function.js';
import { illegalType } from '../core/args.js';
import { rowwise } from '../core/rowwise.js';
import { convertValue } from '../core/cast.js';

const CATEGORY = 'Rounding';

const is64 = (t: DataType) => t.kind === 'Int64' || t.kind === 'UInt64';

const roundToExp2 = rowwise({
  name: 'roundToExp2',
  category: CATEGORY,
  description: 'Rounds down to the nearest power of two (0 for numbers below 1)',
  syntax: 'roundToExp2(x)',
  minArgs: 1,
  bind(args) {
    const t = args[0]!.type;
    if (!isNumber(t) || t.kind === 'Decimal') throw illegalType('roundToExp2', t, 0);
    return {
      returnType: t,
      row(v) {
        const x = v[0]!;
        if (typeof x === 'bigint') {
          if (x < 1n) return 0n;
          return 1n << BigInt(x.toString(2).length - 1);
        }
        const n = Number(x);
        if (!(n >= 1)) return isInteger(t) ? 0 : n < 1 ? 0 : n;
        const p = 2 ** Math.floor(Math.log2(n));
        return p > n ? p / 2 : p;
      },
    };
  },
});

function bucketRound(name: string, description: string, bounds: readonly number[], rt: DataType): ScalarFunction {
  return rowwise({
    name,
    category: CATEGORY,
    description,
    syntax: `${name}(x)`,
    minArgs: 1,
    bind(args) {
      if (!isNumber(args[0]!.type)) throw illegalType(name, args[0]!.type, 0);
      return {
        returnType: rt,
        row(v) {
          const x = Number(v[0]);
          let r = 0;
          for (const b of bounds) if (x >= b) r = b;
          return name === 'roundAge' && r === 1 ? 17 : r;
        },
      };
    },
  });
}

const roundDown = rowwise({
  name: 'roundDown',
  category: CATEGORY,
  description: 'Rounds the number down to an element of the array (the lowest element when it is below all of them)',
  syntax: 'roundDown(x, arr)',
  minArgs: 2,
  bind(args) {
    const t = args[0]!.type;
    const a = args[1]!.type;
    if (!isNumber(t)) throw illegalType('roundDown', t, 0);
    if (a.kind !== 'Array' || !isNumber(a.element)) throw illegalType('roundDown', a, 1);
    const el = a.element;
    return {
      returnType: t,
      row(v) {
        const arr = (v[1] as Value[]).map((x) => Number(x)).sort((p, q) => p - q);
        if (!arr.length) throw new DbError('BAD_ARGUMENTS', 'Function roundDown requires a non-empty array of boundaries');
        const x = Number(v[0]);
        let r = arr[0]!;
        for (const b of arr) if (x >= b) r = b;
        const asValue: Value = is64(el) || el.kind === 'Decimal' ? BigInt(Math.trunc(r)) : r;
        return convertValue(asValue, el, t, { timezone: 'UTC' } as never);
      },
    };
  },
});

function widthBucketType(count: DataType): DataType {
  switch (count.kind) {
    case 'UInt8': case 'Int8': return T.UInt16;
    case 'UInt16': case 'Int16': return T.UInt32;
    default: return T.UInt64;
  }
}

const widthBucket = rowwise({
  name: 'widthBucket',
  aliases: ['WIDTH_BUCKET'],
  category: CATEGORY,
  description: 'The bucket operand falls in among count equal-width buckets over [low, high): 0 below low, count + 1 at or above high',
  syntax: 'widthBucket(operand, low, high, count)',
  minArgs: 4,
  bind(args) {
    for (let i = 0; i < 3; i++) if (!isNumber(args[i]!.type)) throw illegalType('widthBucket', args[i]!.type, i);
    const ct = args[3]!.type;
    if (!isInteger(ct)) throw illegalType('widthBucket', ct, 3);
    const rt = widthBucketType(ct);
    const big = rt.kind === 'UInt64';
    return {
      returnType: rt,
      row(v) {
        const [x, low, high] = [Number(v[0]), Number(v[1]), Number(v[2])];
        const count = Number(v[3]);
        const res = (() => {
          if (!Number.isFinite(x) || !Number.isFinite(low) || !Number.isFinite(high) || count <= 0 || low === high) return 0;
          if (low < high) {
            if (x < low) return 0;
            if (x >= high) return count + 1;
            return Math.floor((count * (x - low)) / (high - low)) + 1;
          }
          if (x > low) return 0;
          if (x <= high) return count + 1;
          return Math.floor((count * (low - x)) / (low - high)) + 1;
        })();
        return big ? BigInt(res) : res;
      },
    };
  },
});

export const roundingFunctions: ScalarFunction[] = [
  roundToExp2,
  bucketRound('roundDuration', 'Rounds down to the nearest of 0, 1, 10, 30, 60, 120, 180, 240, 300, 600, 1200, 1800, 3600, 7200, 18000, 36000', [0, 1, 10, 30, 60, 120, 180, 240, 300, 600, 1200, 1800, 3600, 7200, 18000, 36000], T.UInt16),
  bucketRound('roundAge', 'Rounds an age down to 0, 17, 18, 25, 35, 45 or 55 (0 below 1, 17 for 1–17)', [0, 1, 18, 25, 35, 45, 55], T.UInt8),
  roundDown,
  widthBucket,
];
