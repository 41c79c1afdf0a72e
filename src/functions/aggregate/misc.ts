import type { Value } from '../../columns/values.js';
import { DbError } from '../../errors/index.js';
import { arrayType, type DataType, isFloat, isInteger, T, tupleType } from '../../types/data-type.js';
import type { AggregateFunctionDescriptor } from '../function.js';
import { compareValues } from '../core/compare.js';
import { keyOfValue } from './combinators.js';
import { objectAggregate } from './object-states.js';
import { sumResultType } from './sum-avg.js';

const CATEGORY = 'Aggregate';

function argc(name: string, argTypes: readonly DataType[], min: number, max = min): void {
  if (argTypes.length < min || argTypes.length > max) throw new DbError('NUMBER_OF_ARGUMENTS_DOESNT_MATCH', `Aggregate function ${name} requires ${min === max ? min : `${min} to ${max}`} arguments`);
}

/** sumMap / minMap / maxMap over (keys array, values array) or a Map: per-key totals, keys sorted. */
function mapAggregate(name: string, op: 'sum' | 'min' | 'max', withOverflow = false): AggregateFunctionDescriptor {
  return {
    name,
    category: CATEGORY,
    description: `Per key ${op === 'sum' ? 'sums' : op === 'min' ? 'minimums' : 'maximums'} of values given as (keys, values) arrays or a Map; keys sorted`,
    syntax: `${name}(keys, values) | ${name}(map)`,
    resolve(_p, argTypes) {
      argc(name, argTypes, 1, 2);
      let keyType: DataType;
      let valType: DataType;
      const asMap = argTypes.length === 1;
      if (asMap) {
        const m = argTypes[0]!;
        if (m.kind !== 'Map') throw new DbError('ILLEGAL_TYPE_OF_ARGUMENT', `Aggregate function ${name} requires a Map or two arrays`);
        keyType = m.key;
        valType = m.value;
      } else {
        const [k, v] = argTypes as [DataType, DataType];
        if (k.kind !== 'Array' || v.kind !== 'Array') throw new DbError('ILLEGAL_TYPE_OF_ARGUMENT', `Aggregate function ${name} requires arrays of keys and values`);
        keyType = k.element;
        valType = v.element;
      }
      const outVal = op === 'sum' && !withOverflow ? sumResultType(valType) : valType;
      const rt = asMap ? ({ kind: 'Map', name: `Map(${keyType.name}, ${outVal.name})`, key: keyType, value: outVal } as DataType) : tupleType([arrayType(keyType), arrayType(outVal)]);
      const bigSum = outVal.kind === 'Int64' || outVal.kind === 'UInt64' || outVal.kind === 'Decimal';
      const combine = (a: Value, b: Value): Value => {
        if (op === 'sum') return bigSum ? BigInt(a as bigint | number) + BigInt(b as bigint | number) : Number(a) + Number(b);
        const c = compareValues(b, a);
        return (op === 'min' ? c < 0 : c > 0) ? b : a;
      };
      return objectAggregate<Map<string, [Value, Value]>>(rt, argTypes, {
        create: () => new Map(),
        add(s, v) {
          const pairs: [Value, Value][] = asMap ? (v[0] as [Value, Value][]) : (v[0] as Value[]).map((k, i) => [k, (v[1] as Value[])[i] ?? null]);
          for (const [k, x] of pairs) {
            if (x === null) continue;
            const key = keyOfValue(k);
            const cur = s.get(key);
            const val = op === 'sum' && bigSum && typeof x !== 'bigint' ? BigInt(Math.trunc(Number(x))) : x;
            s.set(key, cur ? [k, combine(cur[1], val)] : [k, val]);
          }
          return s;
        },
        merge(into, from) {
          for (const [key, [k, x]] of from) {
            const cur = into.get(key);
            into.set(key, cur ? [k, combine(cur[1], x)] : [k, x]);
          }
          return into;
        },
        finalize(s) {
          const entries = [...s.values()].sort((a, b) => compareValues(a[0], b[0])).filter(([, x]) => op !== 'sum' || (x !== 0 && x !== 0n));
          if (asMap) return entries;
          return [entries.map((e) => e[0]), entries.map((e) => e[1])];
        },
      });
    },
  };
}

function bitAggregate(name: string, op: 'and' | 'or' | 'xor'): AggregateFunctionDescriptor {
  return {
    name,
    category: CATEGORY,
    description: `Bitwise ${op.toUpperCase()} of all values`,
    syntax: `${name}(x)`,
    resolve(_p, argTypes) {
      argc(name, argTypes, 1);
      const t = argTypes[0]!;
      if (!isInteger(t)) throw new DbError('ILLEGAL_TYPE_OF_ARGUMENT', `Illegal type ${t.name} of argument for aggregate function ${name}`);
      const bits = Number(/(\d+)$/.exec(t.kind)?.[1] ?? 64);
      const signed = !t.kind.startsWith('UInt');
      const wrap = (v: bigint) => (signed ? BigInt.asIntN(bits, v) : BigInt.asUintN(bits, v));
      const asOut = (v: bigint): Value => (bits >= 64 ? wrap(v) : Number(wrap(v)));
      return objectAggregate<{ v: bigint; has: boolean }>(t, argTypes, {
        create: () => ({ v: op === 'and' ? -1n : 0n, has: false }),
        add(s, v) {
          const x = BigInt(v[0] as number | bigint);
          s.v = op === 'and' ? s.v & x : op === 'or' ? s.v | x : s.v ^ x;
          s.has = true;
          return s;
        },
        merge(into, from) {
          if (!from.has) return into;
          into.v = op === 'and' ? into.v & from.v : op === 'or' ? into.v | from.v : into.v ^ from.v;
          into.has = true;
          return into;
        },
        finalize: (s) => asOut(s.has ? s.v : 0n),
      });
    },
  };
}

const boundingRatio: AggregateFunctionDescriptor = {
  name: 'boundingRatio',
  category: CATEGORY,
  description: 'Slope between the points with the smallest and largest x',
  syntax: 'boundingRatio(x, y)',
  resolve(_p, argTypes) {
    argc('boundingRatio', argTypes, 2);
    return objectAggregate<{ x1: number; y1: number; x2: number; y2: number; has: boolean }>(T.Float64, argTypes, {
      create: () => ({ x1: 0, y1: 0, x2: 0, y2: 0, has: false }),
      add(s, v) {
        const x = Number(v[0]);
        const y = Number(v[1]);
        if (!s.has) Object.assign(s, { x1: x, y1: y, x2: x, y2: y, has: true });
        else {
          if (x < s.x1) Object.assign(s, { x1: x, y1: y });
          if (x > s.x2) Object.assign(s, { x2: x, y2: y });
        }
        return s;
      },
      merge(into, from) {
        if (!from.has) return into;
        if (!into.has) return { ...from };
        if (from.x1 < into.x1) Object.assign(into, { x1: from.x1, y1: from.y1 });
        if (from.x2 > into.x2) Object.assign(into, { x2: from.x2, y2: from.y2 });
        return into;
      },
      finalize: (s) => (s.has && s.x2 !== s.x1 ? (s.y2 - s.y1) / (s.x2 - s.x1) : NaN),
    });
  },
};

/** retention(cond1, cond2, …): [cond1, cond1 and cond2, cond1 and cond3, …] as 0/1 per group. */
const retention: AggregateFunctionDescriptor = {
  name: 'retention',
  category: CATEGORY,
  description: 'For conditions c1…cN, an array whose k-th element is 1 when c1 and ck were both met in the group',
  syntax: 'retention(cond1, cond2, …)',
  resolve(_p, argTypes) {
    argc('retention', argTypes, 1, 32);
    const n = argTypes.length;
    return objectAggregate<number[]>(arrayType(T.UInt8), argTypes, {
      create: () => new Array<number>(n).fill(0),
      add(s, v) {
        v.forEach((x, i) => {
          if (x && x !== 0n) s[i] = 1;
        });
        return s;
      },
      merge: (into, from) => into.map((x, i) => x | from[i]!),
      finalize: (s) => s.map((x, i) => (i === 0 ? x : s[0]! & x)),
    });
  },
};

/** windowFunnel(window)(timestamp, cond1, …): the longest chain of events in order within the window. */
const windowFunnel: AggregateFunctionDescriptor = {
  name: 'windowFunnel',
  category: CATEGORY,
  description: 'Length of the longest chain cond1 → cond2 → … of events within a sliding time window',
  syntax: 'windowFunnel(window)(timestamp, cond1, cond2, …)',
  resolve(params, argTypes) {
    argc('windowFunnel', argTypes, 2, 33);
    const window = Number(params[0] ?? 0);
    const levels = argTypes.length - 1;
    return objectAggregate<[number, number][]>(T.UInt8, argTypes, {
      create: () => [],
      add(s, v) {
        const ts = Number(v[0]);
        for (let k = 1; k < v.length; k++) if (v[k] && v[k] !== 0n) s.push([ts, k]);
        return s;
      },
      merge: (into, from) => into.concat(from),
      finalize(s) {
        const events = s.slice().sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        const starts: (number | undefined)[] = new Array(levels + 1);
        let best = 0;
        for (const [ts, level] of events) {
          if (level === 1) starts[1] = ts;
          else if (starts[level - 1] !== undefined && ts <= starts[level - 1]! + window) starts[level] = starts[level - 1];
          for (let l = levels; l >= 1; l--) {
            if (starts[l] !== undefined && ts <= starts[l]! + window) {
              best = Math.max(best, l);
              break;
            }
          }
        }
        return best;
      },
    });
  },
};

const sumCount: AggregateFunctionDescriptor = {
  name: 'sumCount',
  category: CATEGORY,
  description: 'Sum and count of the values as a tuple',
  syntax: 'sumCount(x)',
  resolve(_p, argTypes) {
    argc('sumCount', argTypes, 1);
    const st = sumResultType(argTypes[0]!);
    const floating = isFloat(argTypes[0]!);
    return objectAggregate<{ s: number | bigint; c: number }>(tupleType([st, T.UInt64]), argTypes, {
      create: () => ({ s: floating ? 0 : 0n, c: 0 }),
      add(s, v) {
        s.s = floating ? (s.s as number) + Number(v[0]) : (s.s as bigint) + BigInt(v[0] as number | bigint);
        s.c++;
        return s;
      },
      merge(into, from) {
        into.s = floating ? (into.s as number) + (from.s as number) : (into.s as bigint) + (from.s as bigint);
        into.c += from.c;
        return into;
      },
      finalize: (s) => [s.s, BigInt(s.c)],
    });
  },
};

export const miscAggregateFunctions: AggregateFunctionDescriptor[] = [
  mapAggregate('sumMap', 'sum'),
  mapAggregate('sumMapWithOverflow', 'sum', true),
  mapAggregate('minMap', 'min'),
  mapAggregate('maxMap', 'max'),
  bitAggregate('groupBitAnd', 'and'),
  bitAggregate('groupBitOr', 'or'),
  bitAggregate('groupBitXor', 'xor'),
  boundingRatio,
  retention,
  windowFunnel,
  sumCount,
];
