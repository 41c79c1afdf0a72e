import type { Column } from '../columns/column.js';
import { materialize } from '../columns/ops.js';
import { createBuilder } from '../columns/builder.js';
import { DbError } from '../errors/index.js';
import { castColumn } from '../functions/core/cast.js';
import { withAggregateNulls } from '../functions/aggregate/null-wrapper.js';
import type { AggregateFunctionDescriptor, AggregateStates, FunctionContext } from '../functions/function.js';
import type { DataType } from '../types/data-type.js';
import { decodeColumn, encodeColumn, isNumericType } from './js-values.js';
import { argumentCountError, udfTimeoutMs, type JsUdfRuntime } from './udf-runtime.js';

let nextStatesId = 1;
const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

function family(t: DataType): string {
  return t.kind === 'LowCardinality' ? family(t.inner) : t.kind;
}

/**
 * A JavaScript UDA (Proton's AggregateFunctionJavaScriptAdapter). Each group's state is an object inside the
 * UDF's sandbox context: a shallow copy of the UDA object with `initialize()` called on it. A block of rows
 * is one sandbox call: the rows are split by group and each group's `process(col1, col2, …[, deltas])` gets
 * its rows as arrays; `finalize()` gives a group's result; `serialize()` / `deserialize(s)` / `merge(s)`
 * carry states across (checkpoints, -State/-Merge, parallel parts). `process` receives `deltas` (+1 / −1 per
 * row) only over a changelog.
 */
export function jsAggregateFunction(rt: JsUdfRuntime): AggregateFunctionDescriptor {
  const name = rt.definition.name;
  return withAggregateNulls({
    name,
    category: 'User-defined',
    description: `JavaScript user-defined aggregate function ${name}`,
    resolve(_params, argTypes, ctx) {
      if (argTypes.length !== rt.argTypes.length) throw argumentCountError(name, argTypes.length, rt.argTypes.length);
      argTypes.forEach((t, i) => {
        const want = rt.argTypes[i]!;
        if (family(t) === family(want) || (isNumericType(t) && isNumericType(want))) return;
        throw new DbError('ILLEGAL_TYPE_OF_ARGUMENT', `argument ${i} of UDF ${name}: expect type '${want.name}' but get '${t.name}'`);
      });
      return { returnType: rt.returnType, createStates: () => new JsAggregateStates(rt, argTypes, ctx) };
    },
  });
}

export class JsAggregateStates implements AggregateStates {
  readonly sid = nextStatesId++;
  private groups = 0;
  /** Set once the sandbox holds this object's states: a later miss means the sandbox restarted. */
  private known = false;
  private readonly timeoutMs: number;
  private readonly timezone: string;

  constructor(
    private readonly rt: JsUdfRuntime,
    private readonly argTypes: readonly DataType[],
    ctx: FunctionContext,
  ) {
    this.timeoutMs = udfTimeoutMs(ctx);
    this.timezone = ctx.timezone;
    this.customEmit = rt.definition.customEmit === true;
    rt.sandbox.track(this, rt.sandboxDef.key, this.sid);
  }

  /** has_customized_emit: process() returns how many results a group has ready; they are taken with takeCustomEmits. */
  readonly customEmit: boolean;
  /** has_customized_emit: group → results ready (the count process() returned last). */
  private readonly pending = new Map<number, number>();
  /** Set while a custom emission reads the key columns through the group table. */
  placeholderFinalize = false;
  /** has_customized_emit: set by the streaming aggregation that emits for it (custom-emit.ts); elsewhere it is refused. */
  streamingEmit = false;

  private notApplicable(): DbError {
    return new DbError('UDA_NOT_APPLICABLE', `JavaScript UDA ${this.rt.definition.name} has its own emit strategy (has_customized_emit): it works only alone in a streaming aggregation without windows`);
  }

  private call(op: string, fields: Record<string, unknown>): unknown {
    const out = this.rt.sandbox.call(this.rt.sandboxDef, { op, sid: this.sid, known: this.known, ret: this.rt.spec, customEmit: this.customEmit, ...fields }, this.timeoutMs);
    this.known = true;
    return out;
  }

  private encode(args: Column[]): unknown[] {
    return args.map((c, i) => encodeColumn(castColumn(materialize(c), this.argTypes[i]!, this.rt.argTypes[i]!, { timezone: this.timezone }), this.rt.argTypes[i]!));
  }

  resize(groups: number): void {
    if (groups > this.groups) this.groups = groups;
  }

  add(groupIds: Uint32Array, args: Column[], rows: number): void {
    if (this.customEmit && !this.streamingEmit) throw this.notApplicable();
    if (rows === 0) return;
    this.noteEmits(this.call('uda_process', { rows, groupIds: groupIds.slice(0, rows), args: this.encode(args) }));
  }

  private noteEmits(emits: unknown): void {
    if (!this.customEmit) return;
    const e = emits as number[];
    for (let i = 0; i < e.length; i += 2) {
      if (e[i + 1]! > 0) this.pending.set(e[i]!, e[i + 1]!);
      else this.pending.delete(e[i]!);
    }
  }

  /**
   * has_customized_emit: the results the groups have ready, one row each (`groupOfRow[i]` is row i's group),
   * taken from finalize() (an array per group); undefined when no group has any.
   */
  takeCustomEmits(): { groupOfRow: Uint32Array; column: Column } | undefined {
    if (this.pending.size === 0) return undefined;
    const groups = [...this.pending.keys()].sort((a, b) => a - b);
    this.pending.clear();
    const perGroup = this.call('uda_finalize', { only: groups, groups: this.groups }) as unknown[][];
    const owner: number[] = [];
    const values: unknown[] = [];
    perGroup.forEach((results, i) => {
      for (const r of results) {
        owner.push(groups[i]!);
        values.push(r);
      }
    });
    return { groupOfRow: Uint32Array.from(owner), column: decodeColumn(this.rt.returnType, values) };
  }

  addAll(args: Column[], rows: number): void {
    this.resize(1);
    if (this.customEmit && !this.streamingEmit) throw this.notApplicable();
    if (rows === 0) return;
    this.noteEmits(this.call('uda_process', { rows, args: this.encode(args) }));
  }

  /** Over a changelog (`_tp_delta` per row): `process(values…, deltas)`. */
  addDeltas(groupIds: Uint32Array, args: Column[], rows: number, deltas: (row: number) => number): void {
    if (this.customEmit && !this.streamingEmit) throw this.notApplicable();
    if (rows === 0) return;
    const d = new Float64Array(rows);
    for (let i = 0; i < rows; i++) d[i] = deltas(i);
    this.noteEmits(this.call('uda_process', { rows, groupIds: groupIds.slice(0, rows), args: this.encode(args), deltas: d }));
  }

  mergeFrom(other: AggregateStates, src: number, dst: number): void {
    this.resize(dst + 1);
    if (other instanceof JsAggregateStates && other.rt.sandboxDef.key === this.rt.sandboxDef.key) {
      this.call('uda_merge_from', { srcSid: other.sid, src, dst });
    } else this.mergeState(dst, other.getState(src));
  }

  finalize(groups: number): Column {
    this.resize(groups);
    if (this.customEmit) {
      if (this.placeholderFinalize) return createBuilder(this.rt.returnType, 0).build();
      throw this.notApplicable();
    }
    if (groups === 0) return decodeColumn(this.rt.returnType, []);
    return decodeColumn(this.rt.returnType, this.call('uda_finalize', { groups }) as unknown[]);
  }

  getState(group: number): unknown {
    this.resize(group + 1);
    return this.call('uda_serialize', { group }) as string;
  }

  mergeState(group: number, state: unknown): void {
    this.resize(group + 1);
    this.call('uda_merge_state', { group, state: typeof state === 'string' ? state : String(state) });
  }

  serializeState(group: number): Uint8Array {
    return utf8.encode(this.getState(group) as string);
  }

  deserializeState(bytes: Uint8Array): unknown {
    return utf8Decoder.decode(bytes);
  }
}
