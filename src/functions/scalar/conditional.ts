import { type Column, ConstColumn, NumericColumn } from '../../columns/column.js';
import { readValue, type Value } from '../../columns/values.js';
import { DbError } from '../../errors/index.js';
import { arrayType, type DataType, isFloat, isInteger, nullableType, removeNullable } from '../../types/data-type.js';
import { takeColumn } from '../../columns/ops.js';
import { columnFromValues } from '../../columns/builder.js';
import type { ArgumentInfo, ResolvedFunction, ScalarFunction } from '../function.js';
import { checkArgCount, constArg, illegalType } from '../core/args.js';
import { castColumn } from '../core/cast.js';
import { selectBranches } from '../core/select.js';
import { leastSupertype } from '../core/type-rules.js';
import { conditionMask, keyOfValue } from '../aggregate/combinators.js';
import { resolveComparison } from './comparison.js';

const CATEGORY = 'Conditional';

function checkCondition(name: string, t: DataType, i: number): void {
  const b = removeNullable(t);
  if (b.kind === 'Nothing' || b.kind === 'Bool' || isInteger(b) || isFloat(b)) return;
  throw new DbError('ILLEGAL_TYPE_OF_ARGUMENT', `Illegal type ${t.name} of ${i === 0 ? 'first ' : ''}argument (condition) of function ${name}. Must be UInt8.`);
}

/** 1 where the condition is true (non-zero, not NULL). */
function condition(col: Column, rows: number): Uint8Array {
  const m = conditionMask(col, rows);
  if (m === true) return new Uint8Array(rows).fill(1);
  if (m === false) return new Uint8Array(rows);
  if (m.length === rows) return m;
  return m;
}

const ifFunction: ScalarFunction = {
  name: 'if',
  caseInsensitive: true,
  handlesNulls: true,
  category: CATEGORY,
  description: 'then when the condition is true (non-zero), else otherwise (a NULL condition counts as false)',
  syntax: 'if(cond, then, else), cond ? then : else',
  resolve(args, ctx): ResolvedFunction {
    checkArgCount('if', args, 3);
    checkCondition('if', args[0]!.type, 0);
    const rt = leastSupertype([args[1]!.type, args[2]!.type]);
    const c = { timezone: ctx.timezone };
    return {
      returnType: rt,
      execute(cols, rows) {
        const [cc, a, b] = cols as [Column, Column, Column];
        const ca = castColumn(a, args[1]!.type, rt, c);
        const cb = castColumn(b, args[2]!.type, rt, c);
        if (cc.kind === 'const') {
          const m = conditionMask(cc, rows);
          const pick = m === true ? ca : cb;
          return pick;
        }
        const cond = condition(cc, rows);
        const branch = new Uint8Array(rows);
        for (let i = 0; i < rows; i++) branch[i] = cond[i] ? 0 : 1;
        return selectBranches(branch, [ca, cb], rows);
      },
    };
  },
};

const multiIf: ScalarFunction = {
  name: 'multiIf',
  caseInsensitive: false,
  handlesNulls: true,
  category: CATEGORY,
  description: 'The value of the first branch whose condition is true, else the last argument (CASE WHEN … END)',
  syntax: 'multiIf(cond1, then1, cond2, then2, …, else)',
  resolve(args, ctx): ResolvedFunction {
    if (args.length < 3 || args.length % 2 === 0) {
      throw new DbError('NUMBER_OF_ARGUMENTS_DOESNT_MATCH', 'Invalid number of arguments for function multiIf');
    }
    const valueTypes: DataType[] = [];
    for (let i = 0; i < args.length - 1; i += 2) {
      checkCondition('multiIf', args[i]!.type, i);
      valueTypes.push(args[i + 1]!.type);
    }
    valueTypes.push(args[args.length - 1]!.type);
    const rt = leastSupertype(valueTypes);
    const c = { timezone: ctx.timezone };
    return {
      returnType: rt,
      execute(cols, rows) {
        const nBranches = valueTypes.length;
        const branch = new Uint16Array(rows).fill(nBranches - 1);
        const decided = new Uint8Array(rows);
        for (let k = 0; k < nBranches - 1; k++) {
          const cond = condition(cols[2 * k]!, rows);
          for (let i = 0; i < rows; i++) {
            if (!decided[i] && cond[i]) {
              branch[i] = k;
              decided[i] = 1;
            }
          }
        }
        const values: Column[] = [];
        for (let k = 0; k < nBranches - 1; k++) values.push(castColumn(cols[2 * k + 1]!, valueTypes[k]!, rt, c));
        values.push(castColumn(cols[cols.length - 1]!, valueTypes[nBranches - 1]!, rt, c));
        return selectBranches(branch, values, rows);
      },
    };
  },
};

/** CASE x WHEN a THEN b … ELSE e END. */
const caseWithExpression: ScalarFunction = {
  name: 'caseWithExpression',
  handlesNulls: true,
  category: CATEGORY,
  description: 'CASE expr WHEN v1 THEN r1 … ELSE e END: the result for the first value equal to expr',
  syntax: 'caseWithExpression(expr, v1, r1, v2, r2, …, else)',
  resolve(args, ctx): ResolvedFunction {
    if (args.length < 4 || args.length % 2 !== 0) {
      throw new DbError('NUMBER_OF_ARGUMENTS_DOESNT_MATCH', 'Invalid number of arguments for function caseWithExpression');
    }
    const x = args[0]!.type;
    const resultTypes: DataType[] = [];
    const cmps: ((cols: Column[], rows: number) => Column)[] = [];
    for (let i = 1; i < args.length - 1; i += 2) {
      const wt = args[i]!.type;
      if (removeNullable(wt).kind === 'Nothing' || removeNullable(x).kind === 'Nothing') cmps.push((_c, rows) => new ConstColumn(new NumericColumn(new Uint8Array(1)), rows));
      else cmps.push(resolveComparison('equals', removeNullable(x), removeNullable(wt), ctx.timezone));
      resultTypes.push(args[i + 1]!.type);
    }
    resultTypes.push(args[args.length - 1]!.type);
    const rt = leastSupertype(resultTypes);
    const c = { timezone: ctx.timezone };
    return {
      returnType: rt,
      execute(cols, rows) {
        const n = resultTypes.length;
        const branch = new Uint16Array(rows).fill(n - 1);
        const decided = new Uint8Array(rows);
        const strip = (col: Column): Column => (col.kind === 'nullable' ? col.inner : col.kind === 'const' && col.inner.kind === 'nullable' ? new ConstColumn(col.inner.inner, col.rows) : col);
        const nullsOf = (col: Column): Uint8Array | undefined => (col.kind === 'nullable' ? col.nulls : undefined);
        const xCol = cols[0]!;
        for (let k = 0; k < n - 1; k++) {
          const wCol = cols[1 + 2 * k]!;
          const eq = condition(cmps[k]!([strip(xCol), strip(wCol)], rows), rows);
          const xn = nullsOf(xCol);
          const wn = nullsOf(wCol);
          for (let i = 0; i < rows; i++) {
            if (!decided[i] && eq[i] && !(xn && xn[i]) && !(wn && wn[i])) {
              branch[i] = k;
              decided[i] = 1;
            }
          }
        }
        const values: Column[] = [];
        for (let k = 0; k < n - 1; k++) values.push(castColumn(cols[2 + 2 * k]!, resultTypes[k]!, rt, c));
        values.push(castColumn(cols[cols.length - 1]!, resultTypes[n - 1]!, rt, c));
        return selectBranches(branch, values, rows);
      },
    };
  },
};

/** transform(x, [from…], [to…][, default]). */
const transform: ScalarFunction = {
  name: 'transform',
  category: CATEGORY,
  description: 'Maps x through parallel arrays: the element of `to` at the position of x in `from`, else default (or x)',
  syntax: 'transform(x, from_array, to_array[, default])',
  resolve(args: readonly ArgumentInfo[], ctx): ResolvedFunction {
    checkArgCount('transform', args, 3, 4);
    const fromT = args[1]!.type;
    const toT = args[2]!.type;
    if (fromT.kind !== 'Array') throw illegalType('transform', fromT, 1);
    if (toT.kind !== 'Array') throw illegalType('transform', toT, 2);
    const from = constArg('transform', args, 1) as Value[];
    const to = constArg('transform', args, 2) as Value[];
    if (from.length !== to.length) throw new DbError('BAD_ARGUMENTS', 'Second and third arguments of function transform must have equal size');
    const xT = args[0]!.type;
    const rt = args.length === 4 ? leastSupertype([toT.element, args[3]!.type]) : leastSupertype([xT, toT.element]);
    const c = { timezone: ctx.timezone };
    // normalise the lookup keys through the type of x so that 1 matches 1n and '2020-01-01' matches a Date
    const fromCasted = castColumn(buildArray(fromT.element, from), fromT.element, removeNullable(xT).kind === 'Nothing' ? fromT.element : removeNullable(xT), c, 'null');
    const keyType = removeNullable(xT).kind === 'Nothing' ? fromT.element : removeNullable(xT);
    const map = new Map<string, number>();
    for (let i = 0; i < from.length; i++) {
      const k = keyOfValue(readValue(castTarget(keyType), fromCasted, i));
      if (!map.has(k)) map.set(k, i);
    }
    const toCol = castColumn(buildArray(toT.element, to), toT.element, rt, c);
    return {
      returnType: rt,
      execute(cols, rows) {
        const x = cols[0]!;
        const fallback = args.length === 4 ? castColumn(cols[3]!, args[3]!.type, rt, c) : castColumn(x, xT, rt, c);
        const idx = new Uint32Array(rows);
        const useTo = new Uint8Array(rows);
        for (let i = 0; i < rows; i++) {
          const v = x.kind === 'const' ? readValue(xT, x.inner, 0) : readValue(xT, x, i);
          const hit = map.get(keyOfValue(v));
          if (hit !== undefined) {
            idx[i] = hit;
            useTo[i] = 1;
          }
        }
        if (toCol.length === 0) return fallback;
        const mapped = takeColumn(toCol, idx);
        const branch = new Uint8Array(rows);
        for (let i = 0; i < rows; i++) branch[i] = useTo[i] ? 0 : 1;
        return selectBranches(branch, [mapped, fallback], rows);
      },
    };
  },
};

function buildArray(t: DataType, values: Value[]): Column {
  return columnFromValues(t, values);
}
function castTarget(t: DataType): DataType {
  return t.kind === 'Nullable' ? t : nullableType(t);
}

export const conditionalFunctions: ScalarFunction[] = [ifFunction, multiIf, caseWithExpression, transform];
export { arrayType };
