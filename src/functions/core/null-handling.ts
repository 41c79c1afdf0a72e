import { type Column, ConstColumn, NullableColumn } from '../../columns/column.js';
import { materialize } from '../../columns/ops.js';
import { canBeInsideNullable, type DataType, nullableType, removeNullable } from '../../types/data-type.js';
import type { ArgumentInfo, ResolvedFunction, ScalarFunction } from '../function.js';
import { constNull, NULLABLE_NOTHING, nothingNulls } from './columns.js';

/**
 * ClickHouse's default implementation for NULLs (useDefaultImplementationForNulls): Nullable arguments
 * are stripped before the function resolves; it computes over the inner values (NULL rows carry the
 * type's default); the result is Nullable with the OR of the argument null maps. A NULL constant
 * argument makes the result NULL: of Nullable(Nothing) for a bare NULL, else of the Nullable of the type
 * the function gives over the inner argument types.
 */
export function withDefaultNulls(fn: ScalarFunction): ScalarFunction {
  if (fn.handlesNulls) return fn;
  const resolveInner = fn.resolve.bind(fn);
  return {
    ...fn,
    resolve(args, ctx): ResolvedFunction {
      let anyNullable = false;
      let nullConstant = false;
      for (const a of args) {
        if (a.lambda) continue;
        if (a.type.kind === 'Nothing') nullConstant = true;
        else if (a.type.kind === 'Nullable') {
          anyNullable = true;
          if (a.type.inner.kind === 'Nothing' || (a.constant && a.constant.value === null)) nullConstant = true;
        }
      }
      if (nullConstant) {
        // A NULL constant argument makes the result NULL, but its type still comes from the inner argument
        // types: CAST(NULL AS Nullable(UInt8)) + 1 is Nullable(UInt16). Only a Nothing argument (a bare NULL)
        // gives Nullable(Nothing).
        const bareNull = args.some((a) => !a.lambda && (a.type.kind === 'Nothing' || (a.type.kind === 'Nullable' && a.type.inner.kind === 'Nothing')));
        if (!bareNull) {
          let innerType: DataType | undefined;
          try {
            const stripped: ArgumentInfo[] = args.map((a) => (a.type.kind === 'Nullable' ? { ...a, type: removeNullable(a.type) } : a));
            innerType = resolveInner(stripped, ctx).returnType;
          } catch {
            innerType = undefined;
          }
          if (innerType && canBeInsideNullable(innerType)) {
            const rt = nullableType(innerType);
            return { returnType: rt, execute: (_cols, rows) => constNull(rt, rows) };
          }
        }
        return { returnType: NULLABLE_NOTHING, execute: (_cols, rows) => nothingNulls(rows) };
      }
      if (!anyNullable) return resolveInner(args, ctx);
      const stripped: ArgumentInfo[] = args.map((a) => (a.type.kind === 'Nullable' ? { ...a, type: removeNullable(a.type) } : a));
      const inner = resolveInner(stripped, ctx);
      const returnType = canBeInsideNullable(inner.returnType) ? nullableType(inner.returnType) : inner.returnType;
      return {
        returnType,
        execute(cols, rows, ectx) {
          let nulls: Uint8Array | undefined;
          let owned = false;
          let allNull = false;
          const innerCols: Column[] = new Array(cols.length);
          for (let k = 0; k < cols.length; k++) {
            const c = cols[k]!;
            if (c.kind === 'const' && c.inner.kind === 'nullable') {
              if (c.inner.nulls[0]) allNull = true;
              innerCols[k] = new ConstColumn(c.inner.inner, c.rows);
            } else if (c.kind === 'nullable') {
              if (!nulls) nulls = c.nulls;
              else {
                if (!owned) {
                  nulls = nulls.slice();
                  owned = true;
                }
                const m = c.nulls;
                for (let i = 0; i < rows; i++) nulls[i]! |= m[i]!;
              }
              innerCols[k] = c.inner;
            } else innerCols[k] = c;
          }
          if (allNull) return constNull(returnType, rows);
          const res = inner.execute(innerCols, rows, ectx);
          return attachNulls(res, nulls, returnType, rows);
        },
      };
    },
  };
}

/** Wraps a result column into Nullable with `nulls` (OR-ing with a null map the result already has). */
export function attachNulls(res: Column, nulls: Uint8Array | undefined, returnType: DataType, rows: number): Column {
  if (returnType.kind !== 'Nullable') return res;
  if (res.kind === 'nullable') {
    if (!nulls) return res;
    const m = res.nulls.slice();
    for (let i = 0; i < rows; i++) m[i]! |= nulls[i]!;
    return new NullableColumn(m, res.inner);
  }
  if (res.kind === 'const') {
    if (res.inner.kind === 'nullable') {
      if (!nulls) return res;
      if (res.inner.nulls[0]) return res;
      // a non-NULL constant with per-row NULLs
      const inner = materializeConst(res);
      return new NullableColumn(nulls.slice(0, rows), (inner as NullableColumn).inner);
    }
    if (!nulls) return new ConstColumn(new NullableColumn(new Uint8Array(1), res.inner), rows);
    return new NullableColumn(nulls.slice(0, rows), materializeConst(res));
  }
  return new NullableColumn(nulls ? nulls.slice(0, rows) : new Uint8Array(rows), res);
}

function materializeConst(c: ConstColumn): Column {
  return materialize(c);
}
