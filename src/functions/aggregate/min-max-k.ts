import type { Value } from '../../columns/values.js';
import { DbError } from '../../errors/index.js';
import { arrayType, tupleType } from '../../types/data-type.js';
import type { AggregateFunctionDescriptor } from '../function.js';
import { objectAggregate } from './object-states.js';

interface KState {
  k: number;
  /** At most k entries, kept sorted by x (ascending for min_k, descending for max_k): x, or [x, extras…]. */
  values: Value[];
}

function compare(a: Value, b: Value): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) return Number(a) - Number(b);
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Proton's `min_k(x, k[, c1, …])` / `max_k(…)`: the k smallest / largest values of x, smallest / largest first;
 * with extra columns, tuples `(x, c1, …)` of the rows holding them.
 */
function minMaxK(name: string, largest: boolean): AggregateFunctionDescriptor {
  return {
    name,
    category: 'Aggregate',
    description: `The k ${largest ? 'largest' : 'smallest'} values of x, ${largest ? 'largest' : 'smallest'} first (Proton)`,
    syntax: `${name}(x, k[, column, …])`,
    resolve(_params, argTypes) {
      if (argTypes.length < 2) throw new DbError('NUMBER_OF_ARGUMENTS_DOESNT_MATCH', `Aggregate function ${name} requires at least 2 arguments: ${name}(x, k[, column, …])`);
      if (!/^U?Int\d+$/.test(argTypes[1]!.kind)) throw new DbError('ILLEGAL_TYPE_OF_ARGUMENT', `The second argument of ${name} must be a constant integer k`);
      const withExtras = argTypes.length > 2;
      const key = (v: Value): Value => (withExtras ? (v as Value[])[0]! : v);
      const order = (a: Value, b: Value): number => (largest ? compare(key(b), key(a)) : compare(key(a), key(b)));
      const insert = (s: KState, v: Value): void => {
        const vals = s.values;
        if (vals.length >= s.k && order(v, vals[vals.length - 1]!) >= 0) return;
        let lo = 0;
        let hi = vals.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (order(vals[mid]!, v) <= 0) lo = mid + 1;
          else hi = mid;
        }
        vals.splice(lo, 0, v);
        if (vals.length > s.k) vals.pop();
      };
      const element = withExtras ? tupleType([argTypes[0]!, ...argTypes.slice(2)]) : argTypes[0]!;
      return objectAggregate<KState>(arrayType(element), argTypes, {
        create: () => ({ k: 0, values: [] }),
        add(s, v) {
          if (!s.k) {
            s.k = Number(v[1]);
            if (!(s.k >= 1)) throw new DbError('BAD_ARGUMENTS', `The k of ${name} must be at least 1`);
          }
          insert(s, withExtras ? [v[0]!, ...v.slice(2)] : v[0]!);
          return s;
        },
        merge(into, from) {
          if (!into.k) into.k = from.k;
          for (const v of from.values) insert(into, v);
          return into;
        },
        finalize: (s) => s.values.slice(),
      });
    },
  };
}

export const minMaxKFunctions: AggregateFunctionDescriptor[] = [minMaxK('min_k', false), minMaxK('max_k', true)];
