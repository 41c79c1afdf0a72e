import { ArrayColumn, type Column, ConstColumn, NumericColumn } from '../../columns/column.js';
import { createBuilder, StringBuilder } from '../../columns/builder.js';
import { readValue, type Value } from '../../columns/values.js';
import { DbError } from '../../errors/index.js';
import { mapEntryType } from '../../columns/physical.js';
import {
  arrayType,
  type DataType,
  isFloat,
  isInteger,
  isStringLike,
  nullableType,
  removeNullable,
  T,
  tupleType,
  canBeInsideNullable,
} from '../../types/data-type.js';
import { formatValue } from '../../types/text-conversion.js';
import type { ArgumentInfo, ResolvedFunction, ScalarFunction } from '../function.js';
import { checkArgCount, constString, illegalType } from '../core/args.js';
import { castColumn, convertValue } from '../core/cast.js';
import { concatColumns, materialize, takeColumn } from '../../columns/ops.js';
import { cumulativeFn, numericArrayAggregate } from '../core/array-aggregates.js';
import { resolveLambdaAggregate } from './higher-order.js';
import { arrayArg, takeOrDefault } from '../core/arrays.js';
import { toFloat64 } from '../core/columns.js';
import { compareValues } from '../core/compare.js';
import { rowwise } from '../core/rowwise.js';
import { leastSupertype, numberSupertype } from '../core/type-rules.js';
import { keyOfValue } from '../aggregate/combinators.js';
import { mapBytes } from '../core/strings.js';
import { reverseBytesKernel } from './strings.js';

const CATEGORY = 'Arrays';

function requireArray(name: string, t: DataType, i: number): DataType {
  if (t.kind !== 'Array') throw illegalType(name, t, i);
  return t.element;
}

function arrayRow(name: string, description: string, syntax: string, argc: [number, number], bind: (args: readonly ArgumentInfo[], tz: string) => { returnType: DataType; row: (v: Value[]) => Value }, extra: { aliases?: string[]; handlesNulls?: boolean } = {}): ScalarFunction {
  return rowwise({
    name,
    ...extra,
    category: CATEGORY,
    description,
    syntax,
    minArgs: argc[0],
    maxArgs: argc[1],
    bind: (args, ctx) => bind(args, ctx.timezone),
  });
}

// ------------------------------------------------------------------ array(...)

const arrayFn: ScalarFunction = {
  name: 'array',
  handlesNulls: true,
  category: CATEGORY,
  description: 'An array of the arguments (converted to their common supertype)',
  syntax: 'array(x1, x2, …), [x1, x2, …]',
  resolve(args, ctx) {
    const el = args.length ? leastSupertype(args.map((a) => a.type)) : T.Nothing;
    const rt = arrayType(el);
    const c = { timezone: ctx.timezone };
    return {
      returnType: rt,
      execute(cols, rows) {
        const k = cols.length;
        const allConst = cols.every((x) => x.kind === 'const');
        const n = allConst ? 1 : rows;
        const offsets = new Uint32Array(n + 1);
        for (let i = 0; i <= n; i++) offsets[i] = i * k;
        if (k === 0) {
          const res = new ArrayColumn(offsets, createBuilder(el, 0).build());
          return allConst ? new ConstColumn(res, rows) : res;
        }
        const casted = cols.map((col, j) => castColumn(allConst ? (col as ConstColumn).inner : materializeRows(col, n), args[j]!.type, el, c));
        // interleave: element j of row i is casted[j] row i
        const idx = new Uint32Array(n * k);
        for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) idx[i * k + j] = j * n + i;
        const inner = takeConcat(casted, idx);
        const res = new ArrayColumn(offsets, inner);
        return allConst ? new ConstColumn(res, rows) : res;
      },
    };
  },
};

function materializeRows(col: Column, n: number): Column {
  return col.kind === 'const' ? materialize(new ConstColumn(col.inner, n)) : col;
}
function takeConcat(cols: Column[], idx: Uint32Array): Column {
  return takeColumn(concatColumns(cols), idx);
}

// ------------------------------------------------------------------ arrayElement / map access

const arrayElement: ScalarFunction = {
  name: 'arrayElement',
  category: CATEGORY,
  description: 'Element at a 1-based index (negative counts from the end; out of range gives the default). For maps, the value for a key',
  syntax: 'arrayElement(arr, n), arr[n], map[key]',
  resolve(args, ctx) {
    checkArgCount('arrayElement', args, 2);
    const t = args[0]!.type;
    if (t.kind === 'Map') return mapElement(t.key, t.value, args[1]!.type, ctx.timezone);
    const el = requireArray('arrayElement', t, 0);
    const it = args[1]!.type;
    if (!isInteger(it) && it.kind !== 'Bool') throw illegalType('arrayElement', it, 1);
    return {
      returnType: el,
      execute(cols, rows) {
        const a = arrayArg(cols[0]!, rows);
        const ic = cols[1]!;
        const constIdx = ic.kind === 'const' ? Number((ic.inner as NumericColumn).data[0]) : undefined;
        const idxData = constIdx === undefined ? toFloat64((ic as NumericColumn).data).data : undefined;
        const out = new Int32Array(rows);
        for (let i = 0; i < rows; i++) {
          const s = a.offsets[i]!;
          const len = a.offsets[i + 1]! - s;
          const k = constIdx ?? idxData![i]!;
          if (k > 0 && k <= len) out[i] = s + k - 1;
          else if (k < 0 && -k <= len) out[i] = s + len + k;
          else out[i] = -1;
        }
        return takeOrDefault(a.inner, el, out);
      },
    };
  },
};

function mapElement(keyType: DataType, valueType: DataType, argType: DataType, tz: string): ResolvedFunction {
  const c = { timezone: tz };
  return {
    returnType: valueType,
    execute(cols, rows) {
      const m = arrayArg(cols[0]!, rows);
      const entries = m.inner as import('../../columns/column.js').TupleColumn;
      const keys = entries.columns[0]!;
      const vals = entries.columns[1]!;
      const kc = castColumn(cols[1]!, argType, keyType, c);
      const out = new Int32Array(rows).fill(-1);
      for (let i = 0; i < rows; i++) {
        const want = keyOfValue(kc.kind === 'const' ? readValue(keyType, kc.inner, 0) : readValue(keyType, kc, i));
        for (let j = m.offsets[i + 1]! - 1; j >= m.offsets[i]!; j--) {
          if (keyOfValue(readValue(keyType, keys, j)) === want) {
            out[i] = j;
            break;
          }
        }
      }
      return takeOrDefault(vals, valueType, out);
    },
  };
}

// ------------------------------------------------------------------ search

/** Equality used by has/indexOf/countEqual: NULL equals NULL, numbers compare numerically. */
function same(a: Value, b: Value): boolean {
  if (a === null || b === null) return a === b;
  return compareValues(a, b) === 0;
}

function searchFunction(name: string, description: string, rt: DataType, fn: (arr: Value[], x: Value) => Value): ScalarFunction {
  return {
    name,
    handlesNulls: true,
    category: CATEGORY,
    description,
    syntax: `${name}(arr, x)`,
    resolve(args, ctx) {
      checkArgCount(name, args, 2);
      const t = args[0]!.type;
      if (removeNullable(t).kind === 'Nothing') return { returnType: rt, execute: (_c, rows) => new ConstColumn(createBuilderWith(rt, name === 'indexOf' || name === 'countEqual' ? 0n : 0), rows) };
      const el = requireArray(name, t, 0);
      const xt = args[1]!.type;
      // compare in the element type so '2020-01-01' finds a Date and 1 finds 1n
      let target = el;
      try {
        target = removeNullable(el).kind === 'Nothing' ? xt : leastSupertype([el, xt]);
      } catch {
        if (!(isStringLike(removeNullable(xt)) || isStringLike(removeNullable(el)))) throw illegalType(name, xt, 1);
      }
      const c = { timezone: ctx.timezone };
      return {
        returnType: rt,
        execute(cols, rows) {
          const ac = cols[0]!;
          const xc = castColumn(cols[1]!, xt, target, c);
          const at = arrayType(target);
          const arr = castColumn(ac, t, at, c);
          if (arr.kind === 'const' && name === 'has') {
            // has(constant array, column): a set lookup
            const set = new Set((readValue(at, arr.inner, 0) as Value[]).map(keyOfValue));
            const out = new Uint8Array(rows);
            for (let i = 0; i < rows; i++) out[i] = set.has(keyOfValue(valueOf(target, xc, i))) ? 1 : 0;
            return new NumericColumn(out);
          }
          const b = createBuilder(rt, rows);
          for (let i = 0; i < rows; i++) b.push(fn(valueOf(at, arr, i) as Value[], valueOf(target, xc, i)));
          return b.build();
        },
      };
    },
  };
}

function valueOf(t: DataType, col: Column, i: number): Value {
  return col.kind === 'const' ? readValue(t, col.inner, 0) : readValue(t, col, i);
}

function createBuilderWith(rt: DataType, v: Value): Column {
  const b = createBuilder(rt, 1);
  b.push(v);
  return b.build();
}

function setFunction(name: string, description: string, fn: (a: Value[], b: Value[]) => boolean): ScalarFunction {
  return arrayRow(name, description, `${name}(arr, subset)`, [2, 2], (args) => {
    requireArray(name, args[0]!.type, 0);
    requireArray(name, args[1]!.type, 1);
    return { returnType: T.UInt8, row: (v) => (fn(v[0] as Value[], v[1] as Value[]) ? 1 : 0) };
  });
}

// ------------------------------------------------------------------ construction

const range = arrayRow('range', 'Array of numbers from start (default 0) below end, by step', 'range([start, ]end[, step])', [1, 3], (args) => {
  for (let i = 0; i < args.length; i++) if (!isInteger(args[i]!.type)) throw illegalType('range', args[i]!.type, i);
  const el = numberSupertype(args.map((a) => a.type));
  return {
    returnType: arrayType(el),
    row(v) {
      const nums = v.map((x) => Number(x));
      const [start, end, step] = nums.length === 1 ? [0, nums[0]!, 1] : [nums[0]!, nums[1]!, nums[2] ?? 1];
      if (step === 0) throw new DbError('BAD_ARGUMENTS', 'A call to function range would produce an infinite loop');
      const len = Math.max(0, Math.ceil((end - start) / step));
      if (len > 100_000_000) throw new DbError('ARGUMENT_OUT_OF_BOUND', 'A call to function range would produce too many elements');
      const out: Value[] = new Array(len);
      const big = el.kind === 'Int64' || el.kind === 'UInt64';
      for (let k = 0; k < len; k++) out[k] = big ? BigInt(start + k * step) : start + k * step;
      return out;
    },
  };
});

function emptyArrayOf(kind: string): ScalarFunction {
  const t = kind === 'String' ? T.String : kind === 'Date' ? T.Date : kind === 'DateTime' ? ({ kind: 'DateTime', name: 'DateTime' } as DataType) : (T as Record<string, DataType>)[kind]!;
  return {
    name: `emptyArray${kind}`,
    category: CATEGORY,
    description: `An empty Array(${t.name})`,
    syntax: `emptyArray${kind}()`,
    resolve(args) {
      checkArgCount(`emptyArray${kind}`, args, 0);
      return { returnType: arrayType(t), execute: (_c, rows) => new ConstColumn(new ArrayColumn(new Uint32Array(2), createBuilder(t, 0).build()), rows) };
    },
  };
}

const arrayWithConstant = arrayRow('arrayWithConstant', 'An array of n copies of x', 'arrayWithConstant(n, x)', [2, 2], (args) => ({
  returnType: arrayType(args[1]!.type),
  row: (v) => new Array<Value>(Math.max(0, Math.min(1e8, Number(v[0])))).fill(v[1]!),
}), { handlesNulls: true });

// ------------------------------------------------------------------ transformations (value based)

function sameTypeArrayFunction(name: string, description: string, fn: (a: Value[], rest: Value[]) => Value[], argc: [number, number] = [1, 1], syntax = `${name}(arr)`, aliases: string[] = []): ScalarFunction {
  return arrayRow(name, description, syntax, argc, (args) => {
    requireArray(name, args[0]!.type, 0);
    return { returnType: args[0]!.type, row: (v) => fn(v[0] as Value[], v.slice(1)) };
  }, { aliases });
}

const arrayConcat: ScalarFunction = arrayRow('arrayConcat', 'Concatenates arrays', 'arrayConcat(a1, a2, …)', [1, 64], (args, tz) => {
  args.forEach((a, i) => requireArray('arrayConcat', a.type, i));
  const rt = leastSupertype(args.map((a) => a.type));
  const c = { timezone: tz };
  return { returnType: rt, row: (v) => ([] as Value[]).concat(...v.map((a, i) => convertValue(a, args[i]!.type, rt, c) as Value[])) };
});

function slice(a: Value[], offset: number, length: number | undefined): Value[] {
  const n = a.length;
  let from: number;
  if (offset > 0) from = offset - 1;
  else if (offset < 0) from = n + offset;
  else return [];
  let to = length === undefined ? n : length >= 0 ? from + length : n + length;
  if (from < 0) from = 0;
  if (to > n) to = n;
  return from < to ? a.slice(from, to) : [];
}

const arraySlice = arrayRow('arraySlice', 'A slice of the array from a 1-based offset (negative from the end), optionally of a length', 'arraySlice(arr, offset[, length])', [2, 3], (args) => {
  requireArray('arraySlice', args[0]!.type, 0);
  return { returnType: args[0]!.type, row: (v) => slice(v[0] as Value[], Number(v[1]), v.length > 2 && v[2] !== null ? Number(v[2]) : undefined) };
});

function pushFunction(name: string, front: boolean): ScalarFunction {
  return arrayRow(name, `Adds an element to the ${front ? 'front' : 'end'} of the array`, `${name}(arr, x)`, [2, 2], (args, tz) => {
    const el = requireArray(name, args[0]!.type, 0);
    const st = leastSupertype([el, args[1]!.type]);
    const rt = arrayType(st);
    const c = { timezone: tz };
    return {
      returnType: rt,
      row(v) {
        const arr = (v[0] as Value[]).map((x) => convertValue(x, el, st, c));
        const x = convertValue(v[1]!, args[1]!.type, st, c);
        return front ? [x, ...arr] : [...arr, x];
      },
    };
  }, { handlesNulls: true });
}

function sortValues(a: Value[], desc: boolean): Value[] {
  const out = a.slice();
  out.sort((x, y) => {
    // NULLs and NaN last in both directions (ClickHouse's arraySort)
    const xn = x === null || (typeof x === 'number' && x !== x);
    const yn = y === null || (typeof y === 'number' && y !== y);
    if (xn || yn) return xn === yn ? (x === null ? (y === null ? 0 : 1) : y === null ? -1 : 0) : xn ? 1 : -1;
    const c = compareValues(x, y);
    return desc ? -c : c;
  });
  return out;
}

const arrayDistinct = sameTypeArrayFunction('arrayDistinct', 'The distinct elements of the array in first-seen order', (a) => {
  const seen = new Set<string>();
  const out: Value[] = [];
  for (const x of a) {
    if (x === null) continue;
    const k = keyOfValue(x);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(x);
    }
  }
  return out;
});

const arrayUniq = arrayRow('arrayUniq', 'Number of distinct elements (of tuples of elements, for several arrays)', 'arrayUniq(arr, …)', [1, 32], (args) => {
  args.forEach((a, i) => requireArray('arrayUniq', a.type, i));
  return {
    returnType: T.UInt64,
    row(v) {
      const arrays = v as Value[][];
      const seen = new Set<string>();
      for (let k = 0; k < arrays[0]!.length; k++) seen.add(arrays.map((a) => keyOfValue(a[k] ?? null)).join('\u0001'));
      return BigInt(seen.size);
    },
  };
});

const arrayEnumerate = arrayRow('arrayEnumerate', 'The array [1, 2, …, length(arr)]', 'arrayEnumerate(arr)', [1, 1], (args) => {
  requireArray('arrayEnumerate', args[0]!.type, 0);
  return { returnType: arrayType(T.UInt32), row: (v) => (v[0] as Value[]).map((_, i) => i + 1) };
});

function enumerateUniqLike(name: string, dense: boolean): ScalarFunction {
  return arrayRow(name, dense ? 'For each element, the rank of its first occurrence among distinct values' : 'For each element, how many times it has occurred so far', `${name}(arr, …)`, [1, 32], (args) => {
    args.forEach((a, i) => requireArray(name, a.type, i));
    return {
      returnType: arrayType(T.UInt32),
      row(v) {
        const arrays = v as Value[][];
        const counts = new Map<string, number>();
        const out: Value[] = [];
        for (let k = 0; k < arrays[0]!.length; k++) {
          const key = arrays.map((a) => keyOfValue(a[k] ?? null)).join('\u0001');
          if (dense) {
            if (!counts.has(key)) counts.set(key, counts.size + 1);
            out.push(counts.get(key)!);
          } else {
            const c = (counts.get(key) ?? 0) + 1;
            counts.set(key, c);
            out.push(c);
          }
        }
        return out;
      },
    };
  });
}

const arrayZip = arrayRow('arrayZip', 'Combines arrays of equal length into an array of tuples', 'arrayZip(a1, a2, …)', [1, 32], (args) => {
  const els = args.map((a, i) => requireArray('arrayZip', a.type, i));
  return {
    returnType: arrayType(tupleType(els)),
    row(v) {
      const arrays = v as Value[][];
      const n = arrays[0]!.length;
      if (!arrays.every((a) => a.length === n)) throw new DbError('SIZES_OF_ARRAYS_DONT_MATCH', 'The argument 1 and argument 2 of function arrayZip have different array sizes');
      const out: Value[] = [];
      for (let k = 0; k < n; k++) out.push(arrays.map((a) => a[k]!));
      return out;
    },
  };
});

function flattenType(t: DataType): DataType {
  return t.kind === 'Array' ? flattenType(t.element) : t;
}
function flattenValues(a: Value[]): Value[] {
  const out: Value[] = [];
  for (const x of a) {
    if (Array.isArray(x)) out.push(...flattenValues(x as Value[]));
    else out.push(x);
  }
  return out;
}

const arrayFlatten = arrayRow('arrayFlatten', 'Flattens nested arrays into one array', 'arrayFlatten(arr)', [1, 1], (args) => {
  requireArray('arrayFlatten', args[0]!.type, 0);
  return { returnType: arrayType(flattenType(args[0]!.type)), row: (v) => flattenValues(v[0] as Value[]) };
}, { aliases: ['flatten'] });

const arrayCompact = sameTypeArrayFunction('arrayCompact', 'Removes consecutive duplicate elements', (a) => a.filter((x, i) => i === 0 || !same(x, a[i - 1]!)));

const arrayResize = arrayRow('arrayResize', 'The array truncated or extended (with the default or the given value) to a size', 'arrayResize(arr, size[, extender])', [2, 3], (args) => {
  const el = requireArray('arrayResize', args[0]!.type, 0);
  return {
    returnType: args[0]!.type,
    row(v) {
      const a = v[0] as Value[];
      const size = Number(v[1]);
      const fill = v.length > 2 ? v[2]! : defaultValue(el);
      if (size >= 0) return a.length >= size ? a.slice(0, size) : [...a, ...new Array<Value>(size - a.length).fill(fill)];
      const n = -size;
      return a.length >= n ? a.slice(a.length - n) : [...new Array<Value>(n - a.length).fill(fill), ...a];
    },
  };
});

function defaultValue(t: DataType): Value {
  const b = createBuilder(t, 1);
  b.pushDefault();
  return readValue(t, b.build(), 0);
}

const arrayIntersect = arrayRow('arrayIntersect', 'Elements present in every argument array', 'arrayIntersect(a1, a2, …)', [1, 32], (args, tz) => {
  args.forEach((a, i) => requireArray('arrayIntersect', a.type, i));
  const rt = leastSupertype(args.map((a) => a.type));
  const c = { timezone: tz };
  return {
    returnType: rt,
    row(v) {
      const arrays = v.map((a, i) => convertValue(a, args[i]!.type, rt, c) as Value[]);
      const sets = arrays.slice(1).map((a) => new Set(a.map(keyOfValue)));
      const seen = new Set<string>();
      const out: Value[] = [];
      for (const x of arrays[0]!) {
        const k = keyOfValue(x);
        if (!seen.has(k) && sets.every((s) => s.has(k))) {
          seen.add(k);
          out.push(x);
        }
      }
      return out;
    },
  };
});

// ------------------------------------------------------------------ aggregates over arrays (without lambda)

function arrayAggregateFunction(name: string, kind: 'sum' | 'avg' | 'min' | 'max' | 'product'): ScalarFunction {
  return {
    name,
    category: CATEGORY,
    description: `The ${kind} of the array elements (of func(elements) with a lambda)`,
    syntax: `${name}([func, ]arr, …)`,
    resolve(args, ctx) {
      if (args[0]?.lambda) return resolveLambdaAggregate(name, kind, args, ctx.timezone);
      checkArgCount(name, args, 1);
      const el = requireArray(name, args[0]!.type, 0);
      const { rt, fn } = numericArrayAggregate(kind, el);
      return rowwise({ name, category: CATEGORY, description: '', minArgs: 1, bind: () => ({ returnType: rt, row: (v) => fn(v[0] as Value[]) }) }).resolve(args, ctx);
    },
  };
}


function cumulative(name: string, description: string, op: 'cumsum' | 'cumsumnn' | 'difference'): ScalarFunction {
  return {
    name,
    category: CATEGORY,
    description,
    syntax: `${name}([func, ]arr)`,
    resolve(args, ctx) {
      if (args[0]?.lambda) return resolveLambdaAggregate(name, op, args, ctx.timezone);
      checkArgCount(name, args, 1);
      const el = removeNullable(requireArray(name, args[0]!.type, 0));
      const { rt, fn } = cumulativeFn(op, el);
      return rowwise({ name, category: CATEGORY, description, minArgs: 1, bind: () => ({ returnType: rt, row: (v) => fn(v[0] as Value[]) }) }).resolve(args, ctx);
    },
  };
}

const arrayStringConcat = arrayRow('arrayStringConcat', 'Joins the array elements (as text) with a separator', 'arrayStringConcat(arr[, separator])', [1, 2], (args, tz) => {
  const el = requireArray('arrayStringConcat', args[0]!.type, 0);
  return {
    returnType: T.String,
    row(v) {
      const sep = v.length > 1 ? String(v[1]) : '';
      return (v[0] as Value[]).filter((x) => x !== null).map((x) => (isStringLike(removeNullable(el)) ? String(x) : formatValue(el, x, tz))).join(sep);
    },
  };
});

const arrayReduce = arrayRow('arrayReduce', "Applies an aggregate function to the array elements: arrayReduce('max', arr)", "arrayReduce('agg', arr, …)", [2, 32], (args, tz) => {
  const aggName = constString('arrayReduce', args, 0);
  const els = args.slice(1).map((a, i) => requireArray('arrayReduce', a.type, i + 1));
  const ctx = { timezone: tz, queryStartMs: 0, currentUser: '', currentDatabase: '', settings: new Map<string, string>(), server: { version: '', revision: 0, displayName: '', hostName: '', startTimeMs: 0, serverTimezone: tz } };
  const { name, params } = parseAggregateCall(aggName);
  const agg = registryRef.current!.resolveAggregate(name, params, els, ctx);
  return {
    returnType: agg.returnType,
    row(v) {
      const arrays = v.slice(1) as Value[][];
      const n = arrays[0]!.length;
      const cols = arrays.map((a, i) => {
        const b = createBuilder(els[i]!, n);
        for (const x of a) b.push(x);
        return b.build();
      });
      const states = agg.createStates();
      states.resize(1);
      if (n) states.addAll(cols, n);
      return readValue(agg.returnType, states.finalize(1), 0);
    },
  };
});

export function parseAggregateCall(text: string): { name: string; params: Value[] } {
  const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\((.*)\))?\s*$/.exec(text);
  if (!m) throw new DbError('BAD_ARGUMENTS', `Illegal aggregate function name ${text}`);
  const params = m[2] ? m[2].split(',').map((p) => {
    const s = p.trim();
    if (/^'.*'$/.test(s)) return s.slice(1, -1);
    return Number(s);
  }) : [];
  return { name: m[1]!, params };
}

/** Filled by the registry at startup so arrayReduce can resolve aggregates without an import cycle. */
export const registryRef: { current?: import('../registry.js').FunctionRegistry } = {};

// ------------------------------------------------------------------ reverse (strings and arrays)

const reverse: ScalarFunction = {
  name: 'reverse',
  caseInsensitive: true,
  category: CATEGORY,
  description: 'Reverses the bytes of a string or the elements of an array',
  syntax: 'reverse(x)',
  resolve(args, ctx) {
    checkArgCount('reverse', args, 1);
    const t = args[0]!.type;
    if (isStringLike(t)) return { returnType: T.String, execute: (cols, rows) => mapBytes(cols[0]!, rows, reverseBytesKernel) };
    if (t.kind === 'Array') return arrayReverse.resolve(args, ctx);
    throw illegalType('reverse', t);
  },
};

const arrayReverse = sameTypeArrayFunction('arrayReverse', 'The array in reverse order', (a) => a.slice().reverse());

const mapFunctionsMarker = mapEntryType;
void mapFunctionsMarker;

export const arrayFunctions: ScalarFunction[] = [
  arrayFn,
  arrayElement,
  searchFunction('has', 'Returns 1 when the array contains x (NULL finds NULL)', T.UInt8, (a, x) => (a.some((y) => same(y, x)) ? 1 : 0)),
  searchFunction('indexOf', '1-based index of the first element equal to x, 0 if absent', T.UInt64, (a, x) => BigInt(a.findIndex((y) => same(y, x)) + 1)),
  searchFunction('countEqual', 'Number of elements equal to x', T.UInt64, (a, x) => BigInt(a.filter((y) => same(y, x)).length)),
  setFunction('hasAll', 'Returns 1 when every element of subset is in arr', (a, b) => b.every((x) => a.some((y) => same(y, x)))),
  setFunction('hasAny', 'Returns 1 when some element of subset is in arr', (a, b) => b.some((x) => a.some((y) => same(y, x)))),
  setFunction('hasSubstr', 'Returns 1 when subset occurs in arr as a contiguous run', (a, b) => {
    if (!b.length) return true;
    outer: for (let i = 0; i + b.length <= a.length; i++) {
      for (let k = 0; k < b.length; k++) if (!same(a[i + k]!, b[k]!)) continue outer;
      return true;
    }
    return false;
  }),
  range,
  ...['UInt8', 'UInt16', 'UInt32', 'UInt64', 'Int8', 'Int16', 'Int32', 'Int64', 'Float32', 'Float64', 'Date', 'DateTime', 'String'].map(emptyArrayOf),
  arrayWithConstant,
  arrayConcat,
  arraySlice,
  pushFunction('arrayPushBack', false),
  pushFunction('arrayPushFront', true),
  sameTypeArrayFunction('arrayPopBack', 'The array without its last element', (a) => a.slice(0, -1)),
  sameTypeArrayFunction('arrayPopFront', 'The array without its first element', (a) => a.slice(1)),
  arrayReverse,
  reverse,
  arrayDistinct,
  arrayUniq,
  arrayEnumerate,
  enumerateUniqLike('arrayEnumerateUniq', false),
  enumerateUniqLike('arrayEnumerateDense', true),
  arrayZip,
  arrayFlatten,
  arrayCompact,
  arrayResize,
  arrayIntersect,
  arrayAggregateFunction('arraySum', 'sum'),
  arrayAggregateFunction('arrayAvg', 'avg'),
  arrayAggregateFunction('arrayMin', 'min'),
  arrayAggregateFunction('arrayMax', 'max'),
  arrayAggregateFunction('arrayProduct', 'product'),
  cumulative('arrayCumSum', 'Running sums of the elements', 'cumsum'),
  cumulative('arrayCumSumNonNegative', 'Running sums, never below zero', 'cumsumnn'),
  cumulative('arrayDifference', 'Differences between adjacent elements (first is 0)', 'difference'),
  arrayStringConcat,
  arrayReduce,
];

export { sortValues, canBeInsideNullable, nullableType, StringBuilder };
