import type { DataType } from '../types/data-type.js';
import type { Column } from '../columns/column.js';
import type { Value } from '../columns/values.js';
import type { Block } from '../core/block.js';
import type { FunctionContext } from '../functions/function.js';

/** An expression ready to run over blocks of its scope: `eval` returns one column of block.rows rows. */
export interface CompiledExpr {
  readonly type: DataType;
  /** Canonical column name (ClickHouse's naming). */
  readonly name: string;
  /** Set when the expression is constant: its value and a one-row column holding it. */
  readonly constant?: { readonly value: Value; readonly column: Column };
  eval(block: Block, ctx: FunctionContext): Column;
}
