import type { Column } from '../../columns/column.js';
import type { DataType } from '../../types/data-type.js';
import type { ArgumentInfo, FunctionContext, FunctionDocs } from '../function.js';

/**
 * Window-only functions (row_number, rank, lagInFrame …). The engine's window operator sorts a
 * partition by the window's ORDER BY, computes frame boundaries, and calls `compute` once per partition.
 * Aggregate functions used with OVER are not these: the operator drives them through AggregateStates
 * (add rows of the frame, finalize), using getState/mergeState for sliding frames.
 */
export interface WindowPartition {
  /** Rows in the partition, in window ORDER BY order. */
  readonly rows: number;
  /** Argument columns restricted to the partition's rows (already in order, materialised). */
  readonly args: readonly Column[];
  /**
   * For each row, the index of the first row of its peer group (rows equal on the ORDER BY key; every row
   * is its own peer when there is no ORDER BY… ClickHouse treats the whole partition as one peer group
   * then). Used by rank, dense_rank, percent_rank, cume_dist.
   */
  readonly peerStart: Uint32Array;
  /** For each row, one past the last row of its peer group. */
  readonly peerEnd: Uint32Array;
  /** For each row, its frame as [frameStart[i], frameEnd[i]) partition row indexes. */
  readonly frameStart: Uint32Array;
  readonly frameEnd: Uint32Array;
}

export interface ResolvedWindowFunction {
  readonly returnType: DataType;
  /** One value per partition row. */
  compute(partition: WindowPartition): Column;
}

export interface WindowFunctionDescriptor extends FunctionDocs {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly caseInsensitive?: boolean;
  resolve(args: readonly ArgumentInfo[], ctx: FunctionContext): ResolvedWindowFunction;
}
