import { ArrayColumn, type Column, ConstColumn, TupleColumn } from '../../columns/column.js';
import { materialize } from '../../columns/ops.js';
import { readValue, type Value } from '../../columns/values.js';
import { createBuilder } from '../../columns/builder.js';
import { DbError } from '../../errors/index.js';
import { arrayType, type DataType, mapType, T, tupleType } from '../../types/data-type.js';
import type { ScalarFunction } from '../function.js';
import { checkArgCount, constArg, illegalType } from '../core/args.js';
import { castColumn, convertValue } from '../core/cast.js';
import { arrayArg, rebasedOffsets } from '../core/arrays.js';
import { rowwise } from '../core/rowwise.js';
import { leastSupertype } from '../core/type-rules.js';
import { keyOfValue } from '../aggregate/combinators.js';
import { sliceColumn } from '../../columns/ops.js';

const CATEGORY = 'Maps and Tuples';

const tuple: ScalarFunction = {
  name: 'tuple',
  handlesNulls: true,
  category: CATEGORY,
  description: 'A tuple of the arguments',
  syntax: 'tuple(x1, x2, …), (x1, x2, …)',
  resolve(args) {
    const rt = tupleType(args.map((a) => a.type));
    return {
      returnType: rt,
      execute(cols, rows) {
        const allConst = cols.every((c) => c.kind === 'const');
        if (allConst) return new ConstColumn(new TupleColumn(cols.map((c) => (c as ConstColumn).inner), 1), rows);
        return new TupleColumn(cols.map((c) => (c.kind === 'const' ? materialize(c) : c)), rows);
      },
    };
  },
};

const tupleElement: ScalarFunction = {
  name: 'tupleElement',
  handlesNulls: true,
  category: CATEGORY,
  description: 'The element of a tuple by 1-based index or by name (also over arrays of tuples)',
  syntax: 'tupleElement(t, n | name[, default]), t.n, t.name',
  resolve(args, ctx) {
    checkArgCount('tupleElement', args, 2, 3);
    let t = args[0]!.type;
    let depth = 0;
    while (t.kind === 'Array') {
      t = t.element;
      depth++;
    }
    if (t.kind !== 'Tuple') throw illegalType('tupleElement', args[0]!.type, 0);
    const key = constArg('tupleElement', args, 1);
    let idx: number;
    if (typeof key === 'string') {
      idx = t.names ? t.names.indexOf(key) : -1;
      if (idx < 0 && /^\d+$/.test(key)) idx = Number(key) - 1;
      if (idx < 0) {
        if (args.length === 3) {
          const d = args[2]!;
          return { returnType: d.type, execute: (cols) => cols[2]! };
        }
        throw new DbError('NOT_FOUND_COLUMN_IN_BLOCK', `Tuple doesn't have element with name '${key}'`);
      }
    } else {
      idx = Number(key) - 1;
      if (idx < 0 || idx >= t.elements.length) {
        if (args.length === 3) return { returnType: args[2]!.type, execute: (cols) => cols[2]! };
        throw new DbError('ILLEGAL_INDEX', `Index for tuple element is out of range`);
      }
    }
    let rt = t.elements[idx]!;
    for (let k = 0; k < depth; k++) rt = arrayType(rt);
    void ctx;
    return {
      returnType: rt,
      execute(cols) {
        const pick = (c: Column, d: number): Column => {
          if (c.kind === 'const') return new ConstColumn(pick(c.inner, d), c.rows);
          if (d > 0) {
            const a = c as ArrayColumn;
            return new ArrayColumn(a.offsets, pick(a.inner, d - 1));
          }
          return (c as TupleColumn).columns[idx]!;
        };
        return pick(cols[0]!, depth);
      },
    };
  },
};

const mapFn: ScalarFunction = {
  name: 'map',
  handlesNulls: true,
  category: CATEGORY,
  description: 'A map from alternating keys and values',
  syntax: 'map(k1, v1, k2, v2, …)',
  resolve(args, ctx) {
    if (args.length % 2) throw new DbError('NUMBER_OF_ARGUMENTS_DOESNT_MATCH', 'Function map requires an even number of arguments');
    const kt = args.length ? leastSupertype(args.filter((_, i) => i % 2 === 0).map((a) => a.type)) : T.Nothing;
    const vt = args.length ? leastSupertype(args.filter((_, i) => i % 2 === 1).map((a) => a.type)) : T.Nothing;
    const rt = mapType(kt, vt);
    const c = { timezone: ctx.timezone };
    return {
      returnType: rt,
      execute(cols, rows) {
        const k = cols.length / 2;
        const allConst = cols.every((x) => x.kind === 'const');
        const n = allConst ? 1 : rows;
        const offsets = new Uint32Array(n + 1);
        for (let i = 0; i <= n; i++) offsets[i] = i * k;
        const keys: Value[] = [];
        const vals: Value[] = [];
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < k; j++) {
            keys.push(readAt(cols[2 * j]!, args[2 * j]!.type, i));
            vals.push(readAt(cols[2 * j + 1]!, args[2 * j + 1]!.type, i));
          }
        }
        const kc = buildCol(kt, keys.map((v, i) => convertValue(v, args[2 * (i % k)]!.type, kt, c)));
        const vc = buildCol(vt, vals.map((v, i) => convertValue(v, args[2 * (i % k) + 1]!.type, vt, c)));
        const res = new ArrayColumn(offsets, new TupleColumn([kc, vc], keys.length));
        return allConst ? new ConstColumn(res, rows) : res;
      },
    };
  },
};

function readAt(col: Column, t: DataType, i: number): Value {
  return col.kind === 'const' ? readValue(t, col.inner, 0) : readValue(t, col, i);
}
function buildCol(t: DataType, values: Value[]): Column {
  const b = createBuilder(t, Math.max(1, values.length));
  for (const v of values) b.push(v);
  return b.build();
}

function mapPart(name: string, part: 0 | 1): ScalarFunction {
  return {
    name,
    category: CATEGORY,
    description: `The ${part === 0 ? 'keys' : 'values'} of a map as an array`,
    syntax: `${name}(m)`,
    resolve(args) {
      checkArgCount(name, args, 1);
      const t = args[0]!.type;
      if (t.kind !== 'Map') throw illegalType(name, t);
      return {
        returnType: arrayType(part === 0 ? t.key : t.value),
        execute(cols, rows) {
          const c = cols[0]!;
          const a = (c.kind === 'const' ? c.inner : c) as ArrayColumn;
          const res = new ArrayColumn(a.offsets, (a.inner as TupleColumn).columns[part]!);
          return c.kind === 'const' ? new ConstColumn(res, rows) : res;
        },
      };
    },
  };
}

const mapContains = rowwise({
  name: 'mapContains',
  aliases: ['mapContainsKey'],
  category: CATEGORY,
  description: 'Returns 1 when the map has the key',
  syntax: 'mapContains(m, key)',
  minArgs: 2,
  bind(args, ctx) {
    const t = args[0]!.type;
    if (t.kind !== 'Map') throw illegalType('mapContains', t);
    const c = { timezone: ctx.timezone };
    return {
      returnType: T.UInt8,
      row(v) {
        const want = keyOfValue(convertValue(v[1]!, args[1]!.type, t.key, c));
        return (v[0] as [Value, Value][]).some(([k]) => keyOfValue(k) === want) ? 1 : 0;
      },
    };
  },
});

const mapFromArrays = rowwise({
  name: 'mapFromArrays',
  aliases: ['MAP_FROM_ARRAYS'],
  category: CATEGORY,
  description: 'A map from an array of keys and an array of values',
  syntax: 'mapFromArrays(keys, values)',
  minArgs: 2,
  bind(args) {
    const kt = args[0]!.type;
    const vt = args[1]!.type;
    if (kt.kind !== 'Array') throw illegalType('mapFromArrays', kt, 0);
    if (vt.kind !== 'Array') throw illegalType('mapFromArrays', vt, 1);
    return {
      returnType: mapType(kt.element, vt.element),
      row(v) {
        const ks = v[0] as Value[];
        const vs = v[1] as Value[];
        if (ks.length !== vs.length) throw new DbError('SIZES_OF_ARRAYS_DONT_MATCH', 'Function mapFromArrays requires arrays of equal size');
        return ks.map((k, i) => [k, vs[i]!]);
      },
    };
  },
});

const untuple: ScalarFunction = {
  name: 'untuple',
  category: CATEGORY,
  description: 'Expands a tuple into columns (the engine does this in the select list)',
  syntax: 'untuple(t)',
  resolve() {
    throw new DbError('NOT_IMPLEMENTED', 'untuple is expanded by the query analyzer');
  },
};

/** mapKeys over Map stored as Array(Tuple(K, V)): a helper for the engine's `m.keys` subcolumn. */
export function mapKeysColumn(col: Column, rows: number): Column {
  const a = arrayArg(col, rows);
  return new ArrayColumn(rebasedOffsets(a), sliceColumn((a.inner as TupleColumn).columns[0]!, a.offsets[0]!, a.offsets[rows]!));
}

/** Proton's `map_cast(keys, values)` (two arrays) or `map_cast(k1, v1, k2, v2, …)`. */
const mapCast: ScalarFunction = {
  name: 'map_cast',
  handlesNulls: true,
  category: CATEGORY,
  description: "A map from an array of keys and an array of values, or from alternating keys and values (Proton)",
  syntax: 'map_cast(keys, values) | map_cast(k1, v1, …)',
  resolve(args, ctx) {
    if (args.length % 2 !== 0) throw new DbError('NUMBER_OF_ARGUMENTS_DOESNT_MATCH', `Function map_cast requires even number of arguments, but ${args.length} given`);
    const arrays = args.length === 2 ? args.filter((a) => a.type.kind === 'Array').length : 0;
    if (arrays === 1) throw new DbError('ILLEGAL_TYPE_OF_ARGUMENT', 'Function map_cast requires 2 array of arguments');
    return arrays === 2 ? mapFromArrays.resolve(args, ctx) : mapFn.resolve(args, ctx);
  },
};

export const mapTupleFunctions: ScalarFunction[] = [tuple, tupleElement, mapFn, mapPart('mapKeys', 0), mapPart('mapValues', 1), mapContains, mapFromArrays, mapCast, untuple];
export { castColumn };
