import { type Column, ConstColumn } from '../../columns/column.js';
import { createBuilder } from '../../columns/builder.js';
import { readValue, type Value } from '../../columns/values.js';
import type { DataType } from '../../types/data-type.js';
import type { ArgumentInfo, ExecuteContext, FunctionContext, FunctionDocs, ResolvedFunction, ScalarFunction } from '../function.js';
import { checkArgCount } from './args.js';

/** A per-row implementation: argument values in, result value out. */
export type RowFn = (values: Value[], ctx: ExecuteContext, row: number) => Value;

/**
 * Builds a vectorised ResolvedFunction from a per-row function: the long tail of functions whose per-row
 * work dominates anyway. Constant arguments are read once; when every argument is constant the function
 * runs once and the result is a ConstColumn.
 */
export function rowwiseResolved(argTypes: readonly DataType[], returnType: DataType, fn: RowFn): ResolvedFunction {
  return {
    returnType,
    execute(cols: Column[], rows: number, ctx: ExecuteContext): Column {
      const n = cols.length;
      let allConst = n > 0;
      for (const c of cols) if (c.kind !== 'const') allConst = false;
      const values: Value[] = new Array(n);
      if (allConst) {
        for (let k = 0; k < n; k++) values[k] = readValue(argTypes[k]!, (cols[k] as ConstColumn).inner, 0);
        const b = createBuilder(returnType, 1);
        b.push(fn(values, ctx, 0));
        return new ConstColumn(b.build(), rows);
      }
      const constVals: Value[] = new Array(n);
      const isConst: boolean[] = new Array(n);
      for (let k = 0; k < n; k++) {
        const c = cols[k]!;
        isConst[k] = c.kind === 'const';
        if (c.kind === 'const') constVals[k] = readValue(argTypes[k]!, c.inner, 0);
      }
      const b = createBuilder(returnType, rows);
      for (let i = 0; i < rows; i++) {
        for (let k = 0; k < n; k++) values[k] = isConst[k] ? constVals[k]! : readValue(argTypes[k]!, cols[k]!, i);
        b.push(fn(values, ctx, i));
      }
      return b.build();
    },
  };
}

export interface RowwiseSpec extends FunctionDocs {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly caseInsensitive?: boolean;
  readonly handlesNulls?: boolean;
  readonly nonDeterministic?: boolean;
  readonly minArgs: number;
  readonly maxArgs?: number;
  /** Checks the argument types and returns the result type and the per-row function. */
  bind(args: readonly ArgumentInfo[], ctx: FunctionContext): { returnType: DataType; row: RowFn };
}

/** A ScalarFunction from a per-row spec (see rowwiseResolved). */
export function rowwise(spec: RowwiseSpec): ScalarFunction {
  const { bind, minArgs, maxArgs, ...docs } = spec;
  return {
    ...docs,
    resolve(args, ctx) {
      checkArgCount(spec.name, args, minArgs, maxArgs ?? minArgs);
      const { returnType, row } = bind(args, ctx);
      return rowwiseResolved(
        args.map((a) => a.type),
        returnType,
        row,
      );
    },
  };
}
