import { type Column, ConstColumn, NullableColumn, NumericColumn } from '../../columns/column.js';
import { defaultColumn, materialize } from '../../columns/ops.js';
import { canBeInsideNullable, type DataType, nullableType, removeNullable, T } from '../../types/data-type.js';
import type { ResolvedFunction, ScalarFunction } from '../function.js';
import { checkArgCount, illegalType } from '../core/args.js';
import { castColumn } from '../core/cast.js';
import { constNull } from '../core/columns.js';
import { selectBranches } from '../core/select.js';
import { leastSupertype } from '../core/type-rules.js';
import { resolveComparison } from './comparison.js';

const CATEGORY = 'Nulls';

/** Null map of an argument column: per row, a constant, or none. */
function nullState(col: Column): { nulls?: Uint8Array; constNull?: boolean } {
  if (col.kind === 'nullable') return { nulls: col.nulls };
  if (col.kind === 'const') {
    if (col.inner.kind === 'nullable') return { constNull: col.inner.nulls[0] === 1 };
    if (col.inner.kind === 'nothing') return { constNull: true };
    return { constNull: false };
  }
  if (col.kind === 'nothing') return { constNull: true };
  return {};
}

function stripNull(col: Column): Column {
  if (col.kind === 'nullable') return col.inner;
  if (col.kind === 'const' && col.inner.kind === 'nullable') return new ConstColumn(col.inner.inner, col.rows);
  return col;
}

function isNullFn(name: 'isNull' | 'isNotNull', want: 0 | 1): ScalarFunction {
  return {
    name,
    handlesNulls: true,
    category: CATEGORY,
    description: want ? 'Returns 1 when the value is NULL' : 'Returns 1 when the value is not NULL',
    syntax: `${name}(x), x IS ${want ? '' : 'NOT '}NULL`,
    resolve(args) {
      checkArgCount(name, args, 1);
      return {
        returnType: T.UInt8,
        execute(cols, rows) {
          const s = nullState(cols[0]!);
          if (s.constNull !== undefined) return new ConstColumn(new NumericColumn(Uint8Array.of(s.constNull ? want : 1 - want)), rows);
          const out = new Uint8Array(rows);
          if (s.nulls) for (let i = 0; i < rows; i++) out[i] = s.nulls[i] ? want : 1 - want;
          else out.fill(1 - want);
          return new NumericColumn(out);
        },
      };
    },
  };
}

/** coalesce(a, b, …): the first non-NULL argument. */
const coalesce: ScalarFunction = {
  name: 'coalesce',
  caseInsensitive: true,
  handlesNulls: true,
  category: CATEGORY,
  description: 'The first argument that is not NULL, else NULL',
  syntax: 'coalesce(x, y, …)',
  resolve(args, ctx): ResolvedFunction {
    checkArgCount('coalesce', args, 1, Infinity);
    const types = args.map((a) => a.type);
    const useful = types.filter((t) => removeNullable(t).kind !== 'Nothing');
    if (!useful.length) return { returnType: nullableType(T.Nothing), execute: (_c, rows) => constNull(nullableType(T.Nothing), rows) };
    const inner = leastSupertype(useful.map(removeNullable));
    // The result is Nullable only when even the last useful argument can be NULL.
    const lastNotNull = useful.some((t) => t.kind !== 'Nullable');
    const returnType = lastNotNull || !canBeInsideNullable(inner) ? inner : nullableType(inner);
    const c = { timezone: ctx.timezone };
    return {
      returnType,
      execute(cols, rows) {
        const branch = new Uint16Array(rows);
        const decided = new Uint8Array(rows);
        const candidates: Column[] = [];
        for (let k = 0; k < cols.length; k++) {
          const t = types[k]!;
          if (removeNullable(t).kind === 'Nothing') continue;
          const s = nullState(cols[k]!);
          const idx = candidates.length;
          candidates.push(castColumn(stripNull(cols[k]!), removeNullable(t), inner, c));
          for (let i = 0; i < rows; i++) {
            if (decided[i]) continue;
            const isNull = s.constNull ?? (s.nulls ? s.nulls[i] === 1 : false);
            if (!isNull) {
              branch[i] = idx;
              decided[i] = 1;
            }
          }
        }
        const res = selectBranches(branch, candidates, rows);
        if (returnType.kind !== 'Nullable') return res;
        const nulls = new Uint8Array(rows);
        for (let i = 0; i < rows; i++) nulls[i] = decided[i] ? 0 : 1;
        return new NullableColumn(nulls, res.kind === 'const' ? materializeConst(res, rows) : res);
      },
    };
  },
};

function materializeConst(c: Column, rows: number): Column {
  return materialize(c.kind === 'const' ? new ConstColumn(c.inner, rows) : c);
}

const ifNull: ScalarFunction = {
  name: 'ifNull',
  caseInsensitive: true,
  handlesNulls: true,
  category: CATEGORY,
  description: 'x when it is not NULL, else alt',
  syntax: 'ifNull(x, alt)',
  resolve(args, ctx) {
    checkArgCount('ifNull', args, 2);
    return coalesce.resolve(args, ctx);
  },
};

const nullIf: ScalarFunction = {
  name: 'nullIf',
  caseInsensitive: true,
  handlesNulls: true,
  category: CATEGORY,
  description: 'NULL when x equals y, else x',
  syntax: 'nullIf(x, y)',
  resolve(args, ctx) {
    checkArgCount('nullIf', args, 2);
    const xt = args[0]!.type;
    const yt = args[1]!.type;
    const base = removeNullable(xt);
    if (base.kind === 'Nothing') return { returnType: nullableType(T.Nothing), execute: (_c, rows) => constNull(nullableType(T.Nothing), rows) };
    const returnType = canBeInsideNullable(base) ? nullableType(base) : base;
    const cmp = removeNullable(yt).kind === 'Nothing' ? undefined : resolveComparison('equals', base, removeNullable(yt), ctx.timezone);
    return {
      returnType,
      execute(cols, rows) {
        const x = cols[0]!;
        const y = cols[1]!;
        const xs = nullState(x);
        const ys = nullState(y);
        const nulls = new Uint8Array(rows);
        const eq = cmp ? cmp([stripNull(x), stripNull(y)], rows) : undefined;
        const eqData = eq ? (eq.kind === 'const' ? (eq.inner as NumericColumn).data : (eq as NumericColumn).data) : undefined;
        for (let i = 0; i < rows; i++) {
          const xNull = xs.constNull ?? (xs.nulls ? xs.nulls[i] === 1 : false);
          const yNull = ys.constNull ?? (ys.nulls ? ys.nulls[i] === 1 : false);
          nulls[i] = xNull || (!yNull && eqData !== undefined && eqData[eq!.kind === 'const' ? 0 : i] === 1) ? 1 : 0;
        }
        const inner = materializeConst(stripNull(x), rows);
        return new NullableColumn(nulls, inner);
      },
    };
  },
};

const assumeNotNull: ScalarFunction = {
  name: 'assumeNotNull',
  handlesNulls: true,
  category: CATEGORY,
  description: 'The value as a non-Nullable type (NULL becomes the type default)',
  syntax: 'assumeNotNull(x)',
  resolve(args) {
    checkArgCount('assumeNotNull', args, 1);
    const t = removeNullable(args[0]!.type);
    return {
      returnType: t,
      execute(cols, rows) {
        const c = cols[0]!;
        if (t.kind === 'Nothing') return defaultColumn(T.Nothing, rows);
        return stripNull(c);
      },
    };
  },
};

const toNullable: ScalarFunction = {
  name: 'toNullable',
  handlesNulls: true,
  category: CATEGORY,
  description: 'The value as a Nullable type',
  syntax: 'toNullable(x)',
  resolve(args) {
    checkArgCount('toNullable', args, 1);
    const t = args[0]!.type;
    if (!canBeInsideNullable(t) && t.kind !== 'Nullable') throw illegalType('toNullable', t);
    const returnType = nullableType(t);
    return {
      returnType,
      execute(cols, rows) {
        const c = cols[0]!;
        if (c.kind === 'nullable') return c;
        if (c.kind === 'const') {
          if (c.inner.kind === 'nullable') return c;
          return new ConstColumn(new NullableColumn(new Uint8Array(1), c.inner), rows);
        }
        return new NullableColumn(new Uint8Array(rows), c);
      },
    };
  },
};

const isNullable: ScalarFunction = {
  name: 'isNullable',
  handlesNulls: true,
  category: CATEGORY,
  description: 'Returns 1 when the argument type is Nullable',
  syntax: 'isNullable(x)',
  resolve(args) {
    checkArgCount('isNullable', args, 1);
    const v = args[0]!.type.kind === 'Nullable' ? 1 : 0;
    return { returnType: T.UInt8, execute: (_c, rows) => new ConstColumn(new NumericColumn(Uint8Array.of(v)), rows) };
  },
};

const isZeroOrNull: ScalarFunction = {
  name: 'isZeroOrNull',
  handlesNulls: true,
  category: CATEGORY,
  description: 'Returns 1 when the value is zero or NULL',
  syntax: 'isZeroOrNull(x)',
  resolve(args) {
    checkArgCount('isZeroOrNull', args, 1);
    return {
      returnType: T.UInt8,
      execute(cols, rows) {
        const c = cols[0]!;
        const s = nullState(c);
        const inner = stripNull(c);
        const out = new Uint8Array(rows);
        const d = inner.kind === 'const' ? (inner.inner as NumericColumn).data : (inner as NumericColumn).data;
        for (let i = 0; i < rows; i++) {
          const isNull = s.constNull ?? (s.nulls ? s.nulls[i] === 1 : false);
          const v = d ? d[inner.kind === 'const' ? 0 : i] : 0;
          out[i] = isNull || v === 0 || v === 0n ? 1 : 0;
        }
        return new NumericColumn(out);
      },
    };
  },
};

export const nullFunctions: ScalarFunction[] = [
  isNullFn('isNull', 1),
  isNullFn('isNotNull', 0),
  coalesce,
  ifNull,
  nullIf,
  assumeNotNull,
  toNullable,
  isNullable,
  isZeroOrNull,
];

export type { DataType };
