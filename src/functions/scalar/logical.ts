import { type Column, ConstColumn, NullableColumn, NumericColumn } from '../../columns/column.js';
import { DbError } from '../../errors/index.js';
import { type DataType, isFloat, isInteger, nullableType, T } from '../../types/data-type.js';
import type { ResolvedFunction, ScalarFunction } from '../function.js';
import { checkArgCount, illegalType } from '../core/args.js';
import { isBigArray } from '../core/columns.js';

const CATEGORY = 'Logical';

/**
 * Three-valued logic: every argument row is false (0), true (1) or NULL (2). and/or are n-ary and
 * short-circuit on known values: and(0, NULL) = 0, or(1, NULL) = 1.
 */
const FALSE = 0;
const TRUE = 1;
const NULL = 2;

function checkLogicalType(name: string, t: DataType, i: number): void {
  const b = t.kind === 'Nullable' ? t.inner : t;
  if (b.kind === 'Nothing' || b.kind === 'Bool' || isInteger(b) || isFloat(b) || b.kind === 'Decimal') return;
  throw illegalType(name, t, i);
}

/** Per-row truth states of one argument; a constant gives a single state. */
function truth(col: Column, rows: number): Uint8Array | number {
  if (col.kind === 'const') {
    const s = truth(col.inner, 1);
    return typeof s === 'number' ? s : s[0]!;
  }
  if (col.kind === 'nothing') return NULL;
  if (col.kind === 'nullable') {
    const inner = truth(col.inner, rows);
    const out = new Uint8Array(rows);
    for (let i = 0; i < rows; i++) out[i] = col.nulls[i] ? NULL : typeof inner === 'number' ? inner : inner[i]!;
    return out;
  }
  if (col.kind === 'numeric') {
    const d = col.data;
    const out = new Uint8Array(rows);
    if (isBigArray(d)) for (let i = 0; i < rows; i++) out[i] = d[i] !== 0n ? TRUE : FALSE;
    else if (d instanceof Uint8Array) for (let i = 0; i < rows; i++) out[i] = d[i] !== 0 ? TRUE : FALSE;
    else {
      const f = d as Float64Array;
      for (let i = 0; i < rows; i++) out[i] = f[i] !== 0 ? TRUE : FALSE;
    }
    return out;
  }
  if (col.kind === 'bignum') {
    const out = new Uint8Array(rows);
    for (let i = 0; i < rows; i++) out[i] = col.data[i] !== 0n ? TRUE : FALSE;
    return out;
  }
  throw new DbError('ILLEGAL_COLUMN', `Illegal column of type ${col.kind} for a logical function`);
}

function nary(name: 'and' | 'or', description: string): ScalarFunction {
  const dominant = name === 'and' ? FALSE : TRUE;
  return {
    name,
    caseInsensitive: true,
    handlesNulls: true,
    category: CATEGORY,
    description,
    syntax: `${name}(a, b, …), a ${name.toUpperCase()} b`,
    resolve(args): ResolvedFunction {
      checkArgCount(name, args, 2, Infinity);
      args.forEach((a, i) => checkLogicalType(name, a.type, i));
      const nullable = args.some((a) => a.type.kind === 'Nullable' || a.type.kind === 'Nothing');
      const returnType = nullable ? nullableType(T.UInt8) : T.UInt8;
      return {
        returnType,
        execute(cols, rows) {
          const allConst = cols.every((c) => c.kind === 'const');
          const n = allConst ? 1 : rows;
          const acc = new Uint8Array(n).fill(dominant === FALSE ? TRUE : FALSE);
          for (const c of cols) {
            const s = truth(c, n);
            if (typeof s === 'number') {
              if (s === dominant) acc.fill(dominant);
              else if (s === NULL) for (let i = 0; i < n; i++) if (acc[i] !== dominant) acc[i] = NULL;
              continue;
            }
            for (let i = 0; i < n; i++) {
              const v = s[i]!;
              if (v === dominant) acc[i] = dominant;
              else if (v === NULL && acc[i] !== dominant) acc[i] = NULL;
            }
          }
          const res = finish(acc, nullable);
          return allConst ? new ConstColumn(res, rows) : res;
        },
      };
    },
  };
}

function finish(states: Uint8Array, nullable: boolean): Column {
  const n = states.length;
  const values = new Uint8Array(n);
  if (!nullable) {
    for (let i = 0; i < n; i++) values[i] = states[i] === TRUE ? 1 : 0;
    return new NumericColumn(values);
  }
  const nulls = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const s = states[i]!;
    values[i] = s === TRUE ? 1 : 0;
    nulls[i] = s === NULL ? 1 : 0;
  }
  return new NullableColumn(nulls, new NumericColumn(values));
}

const xor: ScalarFunction = {
  name: 'xor',
  handlesNulls: true,
  category: CATEGORY,
  description: 'Logical exclusive or of two or more values; NULL if any argument is NULL',
  syntax: 'xor(a, b, …)',
  resolve(args) {
    checkArgCount('xor', args, 2, Infinity);
    args.forEach((a, i) => checkLogicalType('xor', a.type, i));
    const nullable = args.some((a) => a.type.kind === 'Nullable' || a.type.kind === 'Nothing');
    return {
      returnType: nullable ? nullableType(T.UInt8) : T.UInt8,
      execute(cols, rows) {
        const allConst = cols.every((c) => c.kind === 'const');
        const n = allConst ? 1 : rows;
        const acc = new Uint8Array(n);
        for (const c of cols) {
          const s = truth(c, n);
          for (let i = 0; i < n; i++) {
            const v = typeof s === 'number' ? s : s[i]!;
            if (acc[i] === NULL || v === NULL) acc[i] = NULL;
            else acc[i] = acc[i]! ^ v;
          }
        }
        const res = finish(acc, nullable);
        return allConst ? new ConstColumn(res, rows) : res;
      },
    };
  },
};

const not: ScalarFunction = {
  name: 'not',
  caseInsensitive: true,
  category: CATEGORY,
  description: 'Logical negation: 1 for zero, 0 for non-zero',
  syntax: 'not(a), NOT a',
  resolve(args) {
    checkArgCount('not', args, 1);
    checkLogicalType('not', args[0]!.type, 0);
    return {
      returnType: T.UInt8,
      execute(cols, rows) {
        const c = cols[0]!;
        const n = c.kind === 'const' ? 1 : rows;
        const s = truth(c, n);
        const out = new Uint8Array(n);
        for (let i = 0; i < n; i++) out[i] = (typeof s === 'number' ? s : s[i]!) === FALSE ? 1 : 0;
        const res = new NumericColumn(out);
        return c.kind === 'const' ? new ConstColumn(res, rows) : res;
      },
    };
  },
};

export const logicalFunctions: ScalarFunction[] = [
  nary('and', 'Logical conjunction of two or more values with three-valued NULL logic'),
  nary('or', 'Logical disjunction of two or more values with three-valued NULL logic'),
  xor,
  not,
];
