import { ArrayColumn, type Column, NullableColumn, NumericColumn } from '../../columns/column.js';
import { createBuilder } from '../../columns/builder.js';
import { filterColumn, takeColumn } from '../../columns/ops.js';
import { readValue, type Value } from '../../columns/values.js';
import { DbError } from '../../errors/index.js';
import { arrayType, type DataType, nullableType, removeNullable, T, canBeInsideNullable } from '../../types/data-type.js';
import type { ArgumentInfo, ExecuteContext, ResolvedFunction, ScalarFunction } from '../function.js';
import { illegalType } from '../core/args.js';
import { arrayArg, rebasedOffsets, rowOfElements, takeOrDefault } from '../core/arrays.js';
import { compareValues } from '../core/compare.js';
import { conditionMask } from '../aggregate/combinators.js';
import { rowwise } from '../core/rowwise.js';
import { sliceColumn } from '../../columns/ops.js';
import { cumulativeFn, numericArrayAggregate } from '../core/array-aggregates.js';

const CATEGORY = 'Higher-order';

interface LambdaCall {
  /** Element types of the array arguments (the lambda's parameter types). */
  elements: DataType[];
  /** The lambda body's type. */
  bodyType: DataType;
}

function bindLambda(name: string, args: readonly ArgumentInfo[]): LambdaCall {
  const lambda = args[0]?.lambda;
  if (!lambda) throw new DbError('ILLEGAL_TYPE_OF_ARGUMENT', `First argument for function ${name} must be a function (lambda)`);
  if (args.length < 2) throw new DbError('NUMBER_OF_ARGUMENTS_DOESNT_MATCH', `Function ${name} needs at least one array argument`);
  const elements = args.slice(1).map((a, i) => {
    if (a.type.kind !== 'Array') throw illegalType(name, a.type, i + 1);
    return a.type.element;
  });
  if (lambda.arity !== elements.length) {
    throw new DbError('NUMBER_OF_ARGUMENTS_DOESNT_MATCH', `Lambda for function ${name} has ${lambda.arity} arguments, but ${elements.length} arrays were passed`);
  }
  return { elements, bodyType: lambda.bind(elements) };
}

interface Evaluated {
  arrays: ArrayColumn[];
  offsets: Uint32Array;
  /** Lambda result, one value per element. */
  result: Column;
}

/** Evaluates the lambda over every element of the array arguments (arrays of one row must have equal sizes). */
function evaluate(name: string, cols: Column[], rows: number, ctx: ExecuteContext): Evaluated {
  const lambda = ctx.lambdas[0];
  if (!lambda) throw new DbError('LOGICAL_ERROR', `No lambda passed to ${name}`);
  const arrays = cols.slice(1).map((c) => arrayArg(c, rows));
  const first = arrays[0]!;
  for (let k = 1; k < arrays.length; k++) {
    const a = arrays[k]!;
    for (let i = 0; i < rows; i++) {
      if (a.offsets[i + 1]! - a.offsets[i]! !== first.offsets[i + 1]! - first.offsets[i]!) {
        throw new DbError('SIZES_OF_ARRAYS_DONT_MATCH', `Arrays passed to ${name} must have equal size`);
      }
    }
  }
  const params = arrays.map((a) => sliceColumn(a.inner, a.offsets[0]!, a.offsets[rows]!));
  const result = lambda.execute(params, rowOfElements(first, rows));
  return { arrays, offsets: rebasedOffsets(first), result };
}

function truthy(result: Column): Uint8Array {
  const m = conditionMask(result, result.length);
  if (m === true) return new Uint8Array(result.length).fill(1);
  if (m === false) return new Uint8Array(result.length);
  return m;
}

function lambdaFunction(name: string, description: string, syntax: string, build: (call: LambdaCall, args: readonly ArgumentInfo[]) => { returnType: DataType; execute: (ev: Evaluated, rows: number) => Column }): ScalarFunction {
  return {
    name,
    handlesNulls: true,
    category: CATEGORY,
    description,
    syntax,
    resolve(args): ResolvedFunction {
      const call = bindLambda(name, args);
      const { returnType, execute } = build(call, args);
      return { returnType, execute: (cols, rows, ctx) => execute(evaluate(name, cols, rows, ctx), rows) };
    },
  };
}

const arrayMap = lambdaFunction('arrayMap', 'The array of func applied to each element (of several arrays in parallel)', 'arrayMap(func, arr1, …)', (call) => ({
  returnType: arrayType(call.bodyType),
  execute: (ev) => new ArrayColumn(ev.offsets, ev.result),
}));

const arrayFilter = lambdaFunction('arrayFilter', 'The elements of arr1 for which func returns non-zero', 'arrayFilter(func, arr1, …)', (_call, args) => ({
  returnType: args[1]!.type,
  execute(ev, rows) {
    const mask = truthy(ev.result);
    const offsets = new Uint32Array(rows + 1);
    let k = 0;
    for (let i = 0; i < rows; i++) {
      for (let j = ev.offsets[i]!; j < ev.offsets[i + 1]!; j++) if (mask[j]) k++;
      offsets[i + 1] = k;
    }
    const a = ev.arrays[0]!;
    const inner = sliceColumn(a.inner, a.offsets[0]!, a.offsets[rows]!);
    return new ArrayColumn(offsets, filterColumn(inner, mask, k));
  },
}));

function perRow(name: string, description: string, rt: DataType, fn: (mask: Uint8Array, s: number, e: number) => number): ScalarFunction {
  return {
    name,
    handlesNulls: true,
    category: CATEGORY,
    description,
    syntax: `${name}([func, ]arr1, …)`,
    resolve(args): ResolvedFunction {
      if (!args[0]?.lambda) {
        // arrayCount(arr) / arrayExists(arr) / arrayAll(arr): the elements themselves are the conditions
        if (args.length !== 1 || args[0]!.type.kind !== 'Array') throw new DbError('ILLEGAL_TYPE_OF_ARGUMENT', `Function ${name} expects a lambda or an array of conditions`);
        return {
          returnType: rt,
          execute(cols, rows) {
            const a = arrayArg(cols[0]!, rows);
            const inner = sliceColumn(a.inner, a.offsets[0]!, a.offsets[rows]!);
            return finish(truthy(inner), rebasedOffsets(a), rows);
          },
        };
      }
      bindLambda(name, args);
      return { returnType: rt, execute: (cols, rows, ctx) => { const ev = evaluate(name, cols, rows, ctx); return finish(truthy(ev.result), ev.offsets, rows); } };
    },
  };
  function finish(mask: Uint8Array, offsets: Uint32Array, rows: number): Column {
    const out = rt.kind === 'UInt32' ? new Uint32Array(rows) : new Uint8Array(rows);
    for (let i = 0; i < rows; i++) out[i] = fn(mask, offsets[i]!, offsets[i + 1]!);
    return new NumericColumn(out);
  }
}

function finder(name: string, description: string, fromEnd: boolean, index: boolean, orNull = false): ScalarFunction {
  return lambdaFunction(name, description, `${name}(func, arr1, …)`, (call, args) => {
    const el = (args[1]!.type as { element: DataType }).element;
    const returnType = index ? T.UInt32 : orNull && canBeInsideNullable(el) ? nullableType(el) : el;
    void call;
    return {
      returnType,
      execute(ev, rows) {
        const mask = truthy(ev.result);
        const pick = new Int32Array(rows).fill(-1);
        const pos = new Uint32Array(rows);
        for (let i = 0; i < rows; i++) {
          const s = ev.offsets[i]!;
          const e = ev.offsets[i + 1]!;
          if (fromEnd) {
            for (let j = e - 1; j >= s; j--) if (mask[j]) { pick[i] = j; pos[i] = j - s + 1; break; }
          } else {
            for (let j = s; j < e; j++) if (mask[j]) { pick[i] = j; pos[i] = j - s + 1; break; }
          }
        }
        if (index) return new NumericColumn(pos);
        const a = ev.arrays[0]!;
        const inner = sliceColumn(a.inner, a.offsets[0]!, a.offsets[rows]!);
        if (returnType.kind === 'Nullable' && el.kind !== 'Nullable') {
          const nulls = new Uint8Array(rows);
          for (let i = 0; i < rows; i++) nulls[i] = pick[i]! < 0 ? 1 : 0;
          return new NullableColumn(nulls, takeOrDefault(inner, el, pick));
        }
        return takeOrDefault(inner, el, pick);
      },
    };
  });
}

// ------------------------------------------------------------------ sorting

function sortFunction(name: string, desc: boolean): ScalarFunction {
  return {
    name,
    handlesNulls: true,
    category: CATEGORY,
    description: `The array sorted ${desc ? 'descending' : 'ascending'} (by func(elements) when a lambda is given); NULLs and NaN last`,
    syntax: `${name}([func, ]arr, …)`,
    resolve(args): ResolvedFunction {
      const hasLambda = !!args[0]?.lambda;
      const arrIdx = hasLambda ? 1 : 0;
      const at = args[arrIdx]?.type;
      if (!at || at.kind !== 'Array') throw new DbError('ILLEGAL_TYPE_OF_ARGUMENT', `Function ${name} expects an array`);
      if (hasLambda) bindLambda(name, args);
      const el = at.element;
      return {
        returnType: at,
        execute(cols, rows, ctx) {
          let keys: Column;
          let arr: ArrayColumn;
          let keyType: DataType;
          if (hasLambda) {
            const ev = evaluate(name, cols, rows, ctx);
            keys = ev.result;
            arr = ev.arrays[0]!;
            keyType = (args[0]!.lambda!.bind((args.slice(1).map((a) => (a.type as { element: DataType }).element))));
          } else {
            arr = arrayArg(cols[0]!, rows);
            keys = sliceColumn(arr.inner, arr.offsets[0]!, arr.offsets[rows]!);
            keyType = el;
          }
          const base = arr.offsets[0]!;
          const idx = new Uint32Array(arr.offsets[rows]! - base);
          const keyVals: Value[] = new Array(idx.length);
          for (let j = 0; j < idx.length; j++) keyVals[j] = readValue(keyType, keys, j);
          for (let i = 0; i < rows; i++) {
            const s = arr.offsets[i]! - base;
            const e = arr.offsets[i + 1]! - base;
            const part: number[] = [];
            for (let j = s; j < e; j++) part.push(j);
            part.sort((x, y) => {
              const a = keyVals[x]!;
              const b = keyVals[y]!;
              const an = a === null || (typeof a === 'number' && a !== a);
              const bn = b === null || (typeof b === 'number' && b !== b);
              if (an || bn) return an === bn ? x - y : an ? 1 : -1;
              const c = compareValues(a, b);
              return (desc ? -c : c) || x - y;
            });
            for (let j = s; j < e; j++) idx[j] = part[j - s]! + base;
          }
          return new ArrayColumn(rebasedOffsets(arr), takeColumn(arr.inner, idx));
        },
      };
    },
  };
}

// ------------------------------------------------------------------ arraySum(func, arr) and friends


/** arraySum/arrayAvg/arrayMin/arrayMax/arrayProduct/arrayCumSum/arrayDifference with a lambda. */
export function resolveLambdaAggregate(name: string, kind: 'sum' | 'avg' | 'min' | 'max' | 'product' | 'cumsum' | 'cumsumnn' | 'difference', args: readonly ArgumentInfo[], _tz: string): ResolvedFunction {
  const call = bindLambda(name, args);
  const body = removeNullable(call.bodyType);
  const spec = kind === 'cumsum' || kind === 'cumsumnn' || kind === 'difference' ? cumulativeFn(kind, body) : numericArrayAggregate(kind, call.bodyType);
  return {
    returnType: spec.rt,
    execute(cols, rows, ctx) {
      const ev = evaluate(name, cols, rows, ctx);
      const b = createBuilder(spec.rt, rows);
      for (let i = 0; i < rows; i++) {
        const vals: Value[] = [];
        for (let j = ev.offsets[i]!; j < ev.offsets[i + 1]!; j++) vals.push(readValue(call.bodyType, ev.result, j));
        b.push(spec.fn(vals));
      }
      return b.build();
    },
  };
}

const arrayFold = rowwise({
  name: 'arrayFold',
  category: CATEGORY,
  description: 'Not supported yet: folds need an accumulator lambda',
  minArgs: 0,
  maxArgs: Infinity,
  bind() {
    throw new DbError('NOT_IMPLEMENTED', 'arrayFold is not supported');
  },
});

/** arrayFill / arrayReverseFill: elements where func is false take the value of the nearest kept one before (after). */
function fillFunction(name: string, reverse: boolean): ScalarFunction {
  return lambdaFunction(name, reverse
    ? 'Replaces the elements for which func is false by the next element for which it is true (the last element is always kept)'
    : 'Replaces the elements for which func is false by the previous element for which it is true (the first element is always kept)', `${name}(func, arr1, …)`, (_call, args) => ({
    returnType: args[1]!.type,
    execute(ev, rows) {
      const mask = truthy(ev.result);
      const total = ev.offsets[rows]!;
      const idx = new Uint32Array(total);
      for (let i = 0; i < rows; i++) {
        const s = ev.offsets[i]!;
        const e = ev.offsets[i + 1]!;
        if (s === e) continue;
        if (!reverse) {
          let keep = s;
          for (let j = s; j < e; j++) {
            if (j === s || mask[j]) keep = j;
            idx[j] = keep;
          }
        } else {
          let keep = e - 1;
          for (let j = e - 1; j >= s; j--) {
            if (j === e - 1 || mask[j]) keep = j;
            idx[j] = keep;
          }
        }
      }
      const a = ev.arrays[0]!;
      const inner = sliceColumn(a.inner, a.offsets[0]!, a.offsets[rows]!);
      return new ArrayColumn(ev.offsets, takeColumn(inner, idx));
    },
  }));
}

/** arraySplit / arrayReverseSplit: splits the array before (after) the elements for which func is true. */
function splitFunction(name: string, reverse: boolean): ScalarFunction {
  return lambdaFunction(name, reverse
    ? 'Splits the array into several arrays after the elements for which func is true'
    : 'Splits the array into several arrays before the elements for which func is true (never before the first)', `${name}(func, arr1, …)`, (_call, args) => ({
    returnType: arrayType(args[1]!.type),
    execute(ev, rows) {
      const mask = truthy(ev.result);
      const outer = new Uint32Array(rows + 1);
      const innerOffsets: number[] = [0];
      for (let i = 0; i < rows; i++) {
        const s = ev.offsets[i]!;
        const e = ev.offsets[i + 1]!;
        for (let j = s; j < e; j++) {
          const cut = reverse ? mask[j] && j !== e - 1 : mask[j] && j !== s;
          if (!reverse && cut) innerOffsets.push(j);
          if (reverse && cut) innerOffsets.push(j + 1);
        }
        if (e > s) innerOffsets.push(e);
        outer[i + 1] = innerOffsets.length - 1;
      }
      const a = ev.arrays[0]!;
      const inner = sliceColumn(a.inner, a.offsets[0]!, a.offsets[rows]!);
      return new ArrayColumn(outer, new ArrayColumn(Uint32Array.from(innerOffsets), inner));
    },
  }));
}

export const higherOrderFunctions: ScalarFunction[] = [
  fillFunction('arrayFill', false),
  fillFunction('arrayReverseFill', true),
  splitFunction('arraySplit', false),
  splitFunction('arrayReverseSplit', true),
  arrayMap,
  arrayFilter,
  perRow('arrayExists', 'Returns 1 when func is true for some element', T.UInt8, (m, s, e) => { for (let j = s; j < e; j++) if (m[j]) return 1; return 0; }),
  perRow('arrayAll', 'Returns 1 when func is true for every element', T.UInt8, (m, s, e) => { for (let j = s; j < e; j++) if (!m[j]) return 0; return 1; }),
  perRow('arrayCount', 'Number of elements for which func is true (non-zero elements without func)', T.UInt32, (m, s, e) => { let c = 0; for (let j = s; j < e; j++) if (m[j]) c++; return c; }),
  finder('arrayFirst', 'The first element for which func is true (default when none)', false, false),
  finder('arrayLast', 'The last element for which func is true (default when none)', true, false),
  finder('arrayFirstOrNull', 'The first element for which func is true, NULL when none', false, false, true),
  finder('arrayLastOrNull', 'The last element for which func is true, NULL when none', true, false, true),
  finder('arrayFirstIndex', '1-based index of the first element for which func is true, 0 when none', false, true),
  finder('arrayLastIndex', '1-based index of the last element for which func is true, 0 when none', true, true),
  sortFunction('arraySort', false),
  sortFunction('arrayReverseSort', true),
  arrayFold,
].filter((f) => f.name !== 'arrayFold');
