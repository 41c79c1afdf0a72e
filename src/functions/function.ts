import type { DataType } from '../types/data-type.js';
import type { Column } from '../columns/column.js';
import type { Value } from '../columns/values.js';

/** What a function is told about the query it runs in. */
export interface FunctionContext {
  /** The session's timezone (`session_timezone` setting or the server's), an IANA name. */
  readonly timezone: string;
  /** Query start, in milliseconds since the epoch: now() is constant within a query. */
  readonly queryStartMs: number;
  readonly currentUser: string;
  readonly currentDatabase: string;
  /** Effective settings (name → value as text). */
  readonly settings: ReadonlyMap<string, string>;
  /** Server facts for introspection functions (version(), uptime(), hostName() …). */
  readonly server: ServerFacts;
  /**
   * Where stateful functions (lag, lags, neighbor in a streaming query, monotonic) register their state as they
   * are resolved, so a checkpointed query (SUBSCRIBE, a materialized view) saves and restores it with its other
   * state. One list per planned query: its order is the order the planner resolved the calls in, the same each
   * time the same query is planned.
   */
  readonly functionStates?: FunctionState[];
}

/** The rows a stateful function carries from block to block, as one column, for a checkpoint. */
export interface FunctionState {
  readonly type: DataType;
  snapshot(): Column;
  restore(values: Column): void;
}

export interface ServerFacts {
  readonly version: string;
  readonly revision: number;
  readonly displayName: string;
  readonly hostName: string;
  readonly startTimeMs: number;
  readonly serverTimezone: string;
}

/** A lambda argument (`x -> x + 1`) as the function sees it while resolving. */
export interface LambdaArgument {
  readonly arity: number;
  /** Binds the lambda's parameters to types; returns the body's result type. */
  bind(paramTypes: DataType[]): DataType;
}

/** A bound lambda at execution time, with the block it was called in captured. */
export interface RuntimeLambda {
  /**
   * Evaluates the body over `params` (each with one value per element). `rowOfElement[k]` is the block row
   * element k belongs to, so columns the body captures from the outer query are replicated to match.
   */
  execute(params: Column[], rowOfElement: Uint32Array): Column;
}

export interface ArgumentInfo {
  /** For lambda arguments this is Nothing; see `lambda`. */
  readonly type: DataType;
  /** Present when the argument is constant (a literal, a folded expression, a query parameter). */
  readonly constant?: { readonly value: Value };
  readonly lambda?: LambdaArgument;
}

export interface ExecuteContext extends FunctionContext {
  /** Lambdas by argument index. */
  readonly lambdas: readonly (RuntimeLambda | undefined)[];
}

export interface ResolvedFunction {
  readonly returnType: DataType;
  /**
   * Computes the result for `rows` rows. Arguments may be ConstColumn (call `materialize` or read
   * `.inner` index 0); lambda arguments are passed as NothingColumn and available in ctx.lambdas.
   * Must return a column of `rows` rows (a ConstColumn is fine).
   */
  execute(args: Column[], rows: number, ctx: ExecuteContext): Column;
}

export interface FunctionDocs {
  readonly category: string;
  readonly description: string;
  readonly syntax?: string;
  readonly arguments?: string;
  readonly returnedValue?: string;
  readonly examples?: string;
}

/** A scalar function: a descriptor (the registry, system.functions and the docs read it) and a resolver. */
export interface ScalarFunction extends FunctionDocs {
  readonly name: string;
  /** Other names, e.g. Proton's snake_case spelling when it is not derivable, or SQL aliases. */
  readonly aliases?: readonly string[];
  readonly caseInsensitive?: boolean;
  /**
   * By default NULL handling is generic (ClickHouse's useDefaultImplementationForNulls): Nullable
   * arguments are stripped before `resolve`, the function computes over the inner values, and the result
   * is Nullable with the OR of the null maps; a NULL constant argument gives NULL. Functions that look at
   * NULLs themselves (isNull, coalesce, if, …) set this.
   */
  readonly handlesNulls?: boolean;
  /** now(), rand(): never constant-folded. */
  readonly nonDeterministic?: boolean;
  /** Throws DbError (ILLEGAL_TYPE_OF_ARGUMENT, NUMBER_OF_ARGUMENTS_DOESNT_MATCH …) on bad arguments. */
  resolve(args: readonly ArgumentInfo[], ctx: FunctionContext): ResolvedFunction;
}

// ------------------------------------------------------------------ aggregates

/**
 * Per-group states of one aggregate in one GROUP BY, columnar: e.g. `sum(Float64)` keeps a Float64Array
 * indexed by group id. Group ids are dense from 0.
 */
export interface AggregateStates {
  /** Makes room for group ids < groups; new groups start in the initial state. */
  resize(groups: number): void;
  /** Adds `rows` rows: row i goes to group groupIds[i]. Arguments may be ConstColumn. */
  add(groupIds: Uint32Array, args: Column[], rows: number): void;
  /** All rows into group 0 (no GROUP BY): the fast path. */
  addAll(args: Column[], rows: number): void;
  /** Merges group `src` of `other` (same function) into group `dst` of this one. */
  mergeFrom(other: AggregateStates, src: number, dst: number): void;
  /** Final values for groups 0..groups-1. */
  finalize(groups: number): Column;
  /** A self-contained copy of one group's state (for -State, window functions, checkpoints). */
  getState(group: number): unknown;
  /** Merges a state produced by getState (of the same function and argument types) into a group. */
  mergeState(group: number, state: unknown): void;
  /** Serializes one group's state to bytes and back, for checkpoints and the AggregateFunction type over the wire. */
  serializeState(group: number): Uint8Array;
  deserializeState(bytes: Uint8Array): unknown;
}

export interface AggregateFunction {
  readonly returnType: DataType;
  createStates(): AggregateStates;
}

export interface AggregateFunctionDescriptor extends FunctionDocs {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly caseInsensitive?: boolean;
  /**
   * Default NULL handling (ClickHouse's AggregateFunctionNull): rows where any argument is NULL are skipped
   * and the result becomes Nullable (NULL for a group with no non-NULL row) unless `nullResultNotNullable`
   * (count, uniq* …). Functions that look at NULLs themselves set `handlesNulls`.
   */
  readonly handlesNulls?: boolean;
  readonly nullResultNotNullable?: boolean;
  /**
   * Proton writes the parameters as trailing constant arguments (`top_k(x, 3)` for `topK(3)(x)`): the arguments
   * from this index on become `params` when the call has no parametric list.
   */
  readonly constantArgsFrom?: number;
  /** `params` are the parametric arguments, `quantile(0.9)(x)` → [0.9]. */
  resolve(params: readonly Value[], argTypes: readonly DataType[], ctx: FunctionContext): AggregateFunction;
}
