import type { Value } from '../../columns/values.js';
import { DbError } from '../../errors/index.js';
import { arrayType, T, tupleType, type DataType } from '../../types/data-type.js';
import type { AggregateFunctionDescriptor } from '../function.js';
import { keyOfValue } from './combinators.js';
import { objectAggregate } from './object-states.js';

const CATEGORY = 'Aggregate';

function maxParam(name: string, params: readonly Value[], fallback = Infinity): number {
  if (!params.length) return fallback;
  const n = Number(params[0]);
  if (!Number.isInteger(n) || n <= 0) throw new DbError('BAD_ARGUMENTS', `Parameter for aggregate function ${name} should be a positive integer`);
  return n;
}

function oneArg(name: string, argTypes: readonly DataType[], n = 1): void {
  if (argTypes.length !== n) throw new DbError('NUMBER_OF_ARGUMENTS_DOESNT_MATCH', `Aggregate function ${name} requires ${n} argument(s)`);
}

const groupArray: AggregateFunctionDescriptor = {
  name: 'groupArray',
  aliases: ['array_agg'],
  caseInsensitive: false,
  category: CATEGORY,
  description: 'The values as an array (NULLs skipped), at most max_size of them',
  syntax: 'groupArray([max_size])(x)',
  resolve(params, argTypes) {
    oneArg('groupArray', argTypes);
    const max = maxParam('groupArray', params);
    return objectAggregate<Value[]>(arrayType(argTypes[0]!), argTypes, {
      create: () => [],
      add(s, v) {
        if (s.length < max) s.push(v[0]!);
        return s;
      },
      merge(into, from) {
        for (const x of from) {
          if (into.length >= max) break;
          into.push(x);
        }
        return into;
      },
      finalize: (s) => s,
    });
  },
};

const groupArrayLast: AggregateFunctionDescriptor = {
  name: 'groupArrayLast',
  category: CATEGORY,
  description: 'The last max_size values as an array',
  syntax: 'groupArrayLast(max_size)(x)',
  resolve(params, argTypes) {
    oneArg('groupArrayLast', argTypes);
    const max = maxParam('groupArrayLast', params, 1);
    return objectAggregate<Value[]>(arrayType(argTypes[0]!), argTypes, {
      create: () => [],
      add(s, v) {
        s.push(v[0]!);
        if (s.length > max) s.shift();
        return s;
      },
      merge(into, from) {
        const all = into.concat(from);
        return all.slice(Math.max(0, all.length - max));
      },
      finalize: (s) => s,
    });
  },
};

const groupUniqArray: AggregateFunctionDescriptor = {
  name: 'groupUniqArray',
  category: CATEGORY,
  description: 'The distinct values as an array (first-seen order), at most max_size of them',
  syntax: 'groupUniqArray([max_size])(x)',
  resolve(params, argTypes) {
    oneArg('groupUniqArray', argTypes);
    const max = maxParam('groupUniqArray', params);
    return objectAggregate<Map<string, Value>>(arrayType(argTypes[0]!), argTypes, {
      create: () => new Map(),
      add(s, v) {
        const k = keyOfValue(v[0]!);
        if (!s.has(k) && s.size < max) s.set(k, v[0]!);
        return s;
      },
      merge(into, from) {
        for (const [k, x] of from) if (!into.has(k) && into.size < max) into.set(k, x);
        return into;
      },
      finalize: (s) => [...s.values()],
    });
  },
};

const groupArrayInsertAt: AggregateFunctionDescriptor = {
  name: 'groupArrayInsertAt',
  category: CATEGORY,
  description: 'An array with each value placed at its given position (gaps get the default)',
  syntax: 'groupArrayInsertAt([default[, size]])(x, pos)',
  resolve(params, argTypes) {
    oneArg('groupArrayInsertAt', argTypes, 2);
    const def = params.length ? params[0]! : null;
    const size = params.length > 1 ? Number(params[1]) : undefined;
    const el = argTypes[0]!;
    return objectAggregate<Value[]>(arrayType(el), argTypes, {
      create: () => [],
      add(s, v) {
        const pos = Number(v[1]);
        if (pos > 0xffffff) throw new DbError('TOO_LARGE_ARRAY_SIZE', 'Too large array size');
        if (size === undefined || pos < size) s[pos] = v[0]!;
        return s;
      },
      merge(into, from) {
        from.forEach((x, i) => {
          if (x !== undefined) into[i] = x;
        });
        return into;
      },
      finalize(s) {
        const n = size ?? s.length;
        const out: Value[] = [];
        for (let i = 0; i < n; i++) out.push(s[i] !== undefined ? s[i]! : (def ?? defaultOf(el)));
        return out;
      },
    });
  },
};

function defaultOf(t: DataType): Value {
  switch (t.kind) {
    case 'String':
    case 'FixedString':
      return '';
    case 'Int64':
    case 'UInt64':
    case 'Decimal':
      return 0n;
    case 'Bool':
      return false;
    case 'Array':
      return [];
    default:
      return 0;
  }
}

/**
 * ClickHouse's `topK(k)(x)` / `topKWeighted(k)(x, w)`: the k most frequent values. Proton's `top_k(x, k[, with_count
 * [, load_factor]])` writes the parameters as arguments and by default returns `(value, count)` tuples.
 */
function topKFunction(name: string, weighted: boolean, proton: boolean): AggregateFunctionDescriptor {
  const argCount = weighted ? 2 : 1;
  return {
    name,
    category: CATEGORY,
    description: proton
      ? `The k most frequent values${weighted ? ' by total weight' : ''} with their counts, most frequent first (Proton)`
      : `The k most frequent values${weighted ? ' by total weight' : ''}, most frequent first`,
    syntax: proton
      ? `${name}(x${weighted ? ', weight' : ''}, k[, with_count = true[, load_factor]])`
      : weighted ? `${name}(k)(x, weight)` : `${name}(k)(x)`,
    ...(proton ? { constantArgsFrom: argCount } : {}),
    resolve(params, argTypes) {
      oneArg(name, argTypes, argCount);
      if (params.length > 3) throw new DbError('NUMBER_OF_ARGUMENTS_DOESNT_MATCH', `Aggregate function ${name} requires three parameters or less`);
      const k = maxParam(name, params, 10);
      const withCount = proton && (params.length < 2 || Boolean(Number(params[1])));
      const element = withCount ? tupleType([argTypes[0]!, T.UInt64]) : argTypes[0]!;
      return objectAggregate<Map<string, [Value, number, number]>>(arrayType(element), argTypes, {
        create: () => new Map(),
        add(s, v) {
          const key = keyOfValue(v[0]!);
          const w = weighted ? Number(v[1]) : 1;
          const cur = s.get(key);
          if (cur) cur[1] += w;
          else s.set(key, [v[0]!, w, s.size]);
          return s;
        },
        merge(into, from) {
          for (const [key, [x, c]] of from) {
            const cur = into.get(key);
            if (cur) cur[1] += c;
            else into.set(key, [x, c, into.size]);
          }
          return into;
        },
        finalize: (s) =>
          [...s.values()]
            .sort((a, b) => b[1] - a[1] || a[2] - b[2])
            .slice(0, k)
            .map((e) => (withCount ? [e[0], BigInt(e[1])] : e[0])),
      });
    },
  };
}

export const groupArrayFunctions: AggregateFunctionDescriptor[] = [
  groupArray,
  groupArrayLast,
  groupUniqArray,
  groupArrayInsertAt,
  topKFunction('topK', false, false),
  topKFunction('topKWeighted', true, false),
  topKFunction('top_k', false, true),
  topKFunction('top_k_weighted', true, true),
];
